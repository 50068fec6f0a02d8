from rest_framework import serializers

from roadmap.models import (
    KPI,
    ExperienceRange,
    Item,
    Level,
    LevelSkill,
    SalaryBand,
    Skill,
    Source,
    Specialization,
    Stage,
    Track,
    TrackModule,
)


class SourceByKey(serializers.ModelSerializer):
    """A row's guide as the guide's key ("guide-001"); null for ours. Added in get_fields: a field
    declared as the class attribute `source` would shadow Field.source."""

    def get_fields(self):
        fields = super().get_fields()
        nullable = self.Meta.model._meta.get_field("source").null
        fields["source"] = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=nullable)
        return fields


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "number", "title", "publisher", "date_stated", "note"]


class SalaryBandSerializer(SourceByKey):
    class Meta:
        model = SalaryBand
        fields = ["source", "label_as_stated", "min_amount", "max_amount", "open_ended", "currency", "growth_note"]


class ExperienceRangeSerializer(SourceByKey):
    class Meta:
        model = ExperienceRange
        fields = ["source", "label_as_stated", "years_min", "years_max"]


class SkillSerializer(serializers.ModelSerializer):
    sources: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Skill
        fields = ["slug", "name", "kind", "description", "sources"]


class LevelSkillSerializer(SourceByKey):
    skill: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)
    kind = serializers.CharField(source="skill.kind", read_only=True)

    class Meta:
        model = LevelSkill
        fields = ["skill", "name", "kind", "expectation", "source"]


class KPISerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = KPI
        fields = [
            "slug",
            "name",
            "level",
            "description",
            "unit",
            "direction",
            "target",
            "target_is_default",
            "source",
        ]


class LevelSerializer(serializers.ModelSerializer):
    salary_bands = SalaryBandSerializer(many=True, read_only=True)
    experience_ranges = ExperienceRangeSerializer(many=True, read_only=True)
    skills = LevelSkillSerializer(source="level_skills", many=True, read_only=True)
    kpis = KPISerializer(many=True, read_only=True)

    class Meta:
        model = Level
        fields = [
            "slug",
            "order",
            "title",
            "aliases",
            "years_min",
            "years_max",
            "summary",
            "responsibilities",
            "focus",
            "how_to_advance",
            "role_outcomes",
            "who_it_is_for",
            "salary_bands",
            "experience_ranges",
            "skills",
            "kpis",
        ]


class ItemSerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    stage: serializers.SlugRelatedField[Stage] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    skills: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Item
        fields = [
            "key",
            "kind",
            "title",
            "description",
            "level",
            "stage",
            "order",
            "source",
            "issuer",
            "answer_covers",
            "skills",
        ]


class TrackSerializer(serializers.ModelSerializer):
    modules: serializers.SlugRelatedField[TrackModule] = serializers.SlugRelatedField(
        slug_field="title", many=True, read_only=True
    )

    class Meta:
        model = Track
        fields = ["letter", "description", "modules"]


class StageSerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    steps = ItemSerializer(source="current_steps", many=True, read_only=True)
    tracks = TrackSerializer(many=True, read_only=True)

    class Meta:
        model = Stage
        fields = ["slug", "order", "title", "summary", "level", "source", "steps", "tracks"]


class SpecializationSerializer(serializers.ModelSerializer):
    sources: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Specialization
        fields = ["slug", "order", "name", "description", "sources"]
