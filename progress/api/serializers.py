from rest_framework import serializers

from progress.models import EVIDENCE_MAX_LENGTH, NOTE_MAX_LENGTH, ItemProgress, KPIMeasurement, SkillRating, Status
from roadmap.models import KPI


class ItemProgressSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="key", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    level = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()

    class Meta:
        model = ItemProgress
        fields = [
            "item",
            "kind",
            "title",
            "level",
            "stage",
            "status",
            "note",
            "evidence_url",
            "started_at",
            "completed_at",
            "updated_at",
        ]

    def get_level(self, obj) -> str:
        return obj.item.ladder_level.slug

    def get_stage(self, obj) -> str | None:
        return obj.item.stage.slug if obj.item.stage else None


class ItemProgressInputSerializer(serializers.Serializer):
    """PUT replaces the whole record: a note or link left out is cleared."""

    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH, default="")


class SkillRatingSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)

    class Meta:
        model = SkillRating
        fields = ["skill", "name", "rating", "updated_at"]


class SkillRatingInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=0, max_value=4, help_text="0 none, 1 aware, 2 working, 3 practitioner, 4 expert"
    )


class KPIMeasurementSerializer(serializers.ModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="slug", queryset=KPI.objects.all())
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    evidence_url = serializers.CharField(required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH, default="")

    class Meta:
        model = KPIMeasurement
        fields = ["id", "kpi", "value", "measured_on", "note", "evidence_url", "created_at"]
        read_only_fields = ["id", "created_at"]


class KPIMeasurementUpdateSerializer(KPIMeasurementSerializer):
    """The KPI of a measurement does not change; log a new one instead."""

    kpi = serializers.SlugRelatedField(slug_field="slug", read_only=True)


# --- the summary: the dashboard's numbers -------------------------------------------------


class TallySerializer(serializers.Serializer):
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    skipped = serializers.IntegerField()
    total = serializers.IntegerField()
    counted = serializers.IntegerField(help_text="total minus skipped: the denominator")
    percent = serializers.IntegerField(allow_null=True, help_text="done / counted, rounded; null when nothing counts")


class LevelProgressSerializer(serializers.Serializer):
    overall = TallySerializer()
    by_kind = serializers.DictField(child=TallySerializer())


class MeasurementPointSerializer(serializers.Serializer):
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)


class KPIStatusSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.slug")
    name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")
    direction = serializers.CharField(source="kpi.direction")
    target = serializers.DecimalField(source="kpi.target", max_digits=12, decimal_places=2, coerce_to_string=False)
    target_is_default = serializers.BooleanField(source="kpi.target_is_default")
    latest = MeasurementPointSerializer(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)
    trend = serializers.CharField(allow_null=True)
    points = MeasurementPointSerializer(many=True)


class SkillRowSerializer(serializers.Serializer):
    skill = serializers.CharField(source="level_skill.skill.slug")
    name = serializers.CharField(source="level_skill.skill.name")
    expectation = serializers.CharField(source="level_skill.expectation")
    rating = serializers.IntegerField(allow_null=True)
    meets = serializers.BooleanField()


class ReadinessPartSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["skills", "items", "kpis"])
    label = serializers.CharField()
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    complete = serializers.BooleanField()
    missing = serializers.SerializerMethodField(help_text="Slugs of skills and KPIs, keys of items")

    def get_missing(self, part) -> list[str]:
        if part.key == "skills":
            return [row.level_skill.skill.slug for row in part.missing]
        if part.key == "kpis":
            return [status.kpi.slug for status in part.missing]
        return [item.key for item in part.missing]


class ReadinessSerializer(serializers.Serializer):
    next_level = serializers.CharField(source="next_level.slug", allow_null=True)
    ready = serializers.BooleanField()
    parts = ReadinessPartSerializer(many=True)


class ActivitySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["item", "skill", "kpi"])
    title = serializers.CharField()
    detail = serializers.CharField()
    at = serializers.DateTimeField()


class SummarySerializer(serializers.Serializer):
    level = serializers.CharField(source="level.slug", allow_null=True)
    progress = LevelProgressSerializer(allow_null=True)
    kpis = KPIStatusSerializer(many=True)
    skills = SkillRowSerializer(many=True)
    readiness = ReadinessSerializer(allow_null=True)
    next_step = serializers.CharField(source="next_step.key", allow_null=True, help_text="Key of the item")
    activity = ActivitySerializer(many=True)
