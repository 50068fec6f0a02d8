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
)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "number", "title", "publisher", "date_stated", "note"]


class SalaryBandSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = SalaryBand
        fields = ["source", "label_as_stated", "min_amount", "max_amount", "open_ended", "currency", "growth_note"]


class ExperienceRangeSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = ExperienceRange
        fields = ["source", "label_as_stated", "years_min", "years_max"]


class SkillSerializer(serializers.ModelSerializer):
    sources = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = Skill
        fields = ["slug", "name", "kind", "description", "sources"]


class LevelSkillSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)
    kind = serializers.CharField(source="skill.kind", read_only=True)
    source = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

    class Meta:
        model = LevelSkill
        fields = ["skill", "name", "kind", "expectation", "source"]


class KPISerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)

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


class ItemSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    stage = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    source = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

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
    modules = serializers.SlugRelatedField(slug_field="title", many=True, read_only=True)

    class Meta:
        model = Track
        fields = ["letter", "description", "modules"]


class StageSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    steps = ItemSerializer(source="current_steps", many=True, read_only=True)
    tracks = TrackSerializer(many=True, read_only=True)

    class Meta:
        model = Stage
        fields = ["slug", "order", "title", "summary", "level", "source", "steps", "tracks"]


class SpecializationSerializer(serializers.ModelSerializer):
    sources = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)

    class Meta:
        model = Specialization
        fields = ["slug", "order", "name", "description", "sources"]
