from rest_framework import serializers

from accounts.models import User
from roadmap.models import Level, Specialization


class ProfileSerializer(serializers.ModelSerializer):
    """Levels and specialization by slug. Validation is the web profile form's, so both agree."""

    current_level = serializers.SlugRelatedField(slug_field="slug", queryset=Level.objects.all(), allow_null=True)
    target_level = serializers.SlugRelatedField(slug_field="slug", queryset=Level.objects.all(), allow_null=True)
    specialization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Specialization.objects.all(), allow_null=True
    )
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
