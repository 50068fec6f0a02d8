from rest_framework import serializers

from accounts.models import MAX_WEEKLY_GOAL, User
from core.api import StrictBooleanField, StrictSlugRelatedField
from roadmap.models import Level, Specialization


class ProfileSerializer(serializers.ModelSerializer):
    """Levels and specialization by slug. Validation is the web profile form's, so both agree."""

    current_level = StrictSlugRelatedField(slug_field="slug", queryset=Level.objects.all(), allow_null=True)
    target_level = StrictSlugRelatedField(slug_field="slug", queryset=Level.objects.all(), allow_null=True)
    specialization = StrictSlugRelatedField(slug_field="slug", queryset=Specialization.objects.all(), allow_null=True)
    notices = serializers.SerializerMethodField(help_text="What the change did beyond what was asked, if anything")

    def get_notices(self, user) -> list[str]:
        return self.context.get("notices", [])

    class Meta:
        model = User
        fields = [
            "email",
            "name",
            "years_of_experience",
            "current_level",
            "target_level",
            "specialization",
            "preferred_track",
            "public_sharing",
            "date_joined",
            "notices",
        ]
        read_only_fields = ["email", "public_sharing", "date_joined"]
        extra_kwargs = {"years_of_experience": {"min_value": 0, "max_value": 60}}


class PlanSerializer(serializers.ModelSerializer):
    """The plan; validated by the web plan form, so both agree."""

    digest_opt_in = StrictBooleanField(required=False)
    readiness_fresh_only = StrictBooleanField(required=False)

    class Meta:
        model = User
        fields = ["target_date", "weekly_goal", "digest_opt_in", "readiness_fresh_only"]
        extra_kwargs = {"weekly_goal": {"min_value": 1, "max_value": MAX_WEEKLY_GOAL}}
