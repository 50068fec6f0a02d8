from rest_framework import serializers

from roadmap.models import (
    KPI,
    Criterion,
    ExperienceRange,
    Item,
    Level,
    LevelSkill,
    LevelText,
    RoleArea,
    SalaryBand,
    Skill,
    Source,
    Specialization,
    Stage,
    Tip,
    Track,
    TrackModule,
    Wording,
)


class SourceByKey(serializers.ModelSerializer):
    """Every guide a row names (`source`, `description_source`, `level_source`...) as the guide's
    key ("guide-001"); null for ours. Added in get_fields: a field declared as the class attribute
    `source` would shadow Field.source."""

    def get_fields(self):
        fields = super().get_fields()
        for field in self.Meta.model._meta.concrete_fields:
            if field.name in fields and field.is_relation and field.related_model is Source:
                fields[field.name] = serializers.SlugRelatedField(
                    slug_field="key", read_only=True, allow_null=field.null
                )
        return fields


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "number", "badge", "title", "publisher", "date_stated", "url", "salary_label", "note"]


class LevelTextSerializer(SourceByKey):
    class Meta:
        model = LevelText
        fields = ["section", "order", "text", "wording", "source"]


class SalaryBandSerializer(SourceByKey):
    class Meta:
        model = SalaryBand
        fields = ["source", "label_as_stated", "min_amount", "max_amount", "open_ended", "currency", "growth_note"]


class ExperienceRangeSerializer(SourceByKey):
    class Meta:
        model = ExperienceRange
        fields = ["source", "label_as_stated", "years_min", "years_max"]


class SkillSerializer(SourceByKey):
    sources: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Skill
        fields = [
            "slug",
            "name",
            "name_wording",
            "kind",
            "description",
            "description_wording",
            "description_source",
            "sources",
        ]


class LevelSkillSerializer(SourceByKey):
    skill: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)
    kind = serializers.ChoiceField(source="skill.kind", choices=Skill.Kind.choices, read_only=True)
    named_by: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(
        source="skill.sources", slug_field="key", many=True, read_only=True, help_text="Every guide naming the skill."
    )
    name_wording = serializers.ChoiceField(
        source="skill.name_wording", choices=Wording.choices, read_only=True, help_text="Whose words the name is in."
    )

    class Meta:
        model = LevelSkill
        # source: the guide that places the skill at this level (null: our placement).
        fields = ["skill", "name", "name_wording", "kind", "expectation", "source", "named_by"]


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
            "description_wording",
            "description_source",
        ]


class LevelSerializer(serializers.ModelSerializer):
    texts = LevelTextSerializer(
        many=True,
        read_only=True,
        help_text="Every statement about the level (summary, focus...), each with its source.",
    )
    years_wording = serializers.ChoiceField(
        choices=Wording.choices,
        read_only=True,
        help_text="`years_min`/`years_max` are our range for suggesting the level at sign-up, not a guide's: "
        "`experience_ranges` has each guide's.",
    )
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
            "years_wording",
            "texts",
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
            "description_wording",
            "description_source",
            "level",
            "level_source",
            "stage",
            "order",
            "source",
            "issuer",
            "issuer_source",
            "answer_covers",
            "skills",
        ]


class TrackSerializer(serializers.ModelSerializer):
    modules: serializers.SlugRelatedField[TrackModule] = serializers.SlugRelatedField(
        slug_field="title", many=True, read_only=True, help_text="As the stage's guide (`source`) lists them."
    )

    class Meta:
        model = Track
        fields = ["letter", "description", "modules"]

    def get_fields(self):
        # Added here: a class attribute `source` would shadow Field.source (see SourceByKey).
        fields = super().get_fields()
        fields["source"] = serializers.SlugRelatedField(
            source="stage.source", slug_field="key", read_only=True, allow_null=True, help_text="The stage's guide."
        )
        return fields


class StageSerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    steps = ItemSerializer(source="current_steps", many=True, read_only=True)
    tracks = TrackSerializer(many=True, read_only=True)

    class Meta:
        model = Stage
        fields = [
            "slug",
            "order",
            "title",
            "summary",
            "summary_wording",
            "level",
            "level_source",
            "source",
            "steps",
            "tracks",
        ]


class SpecializationSerializer(SourceByKey):
    sources: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Specialization
        fields = [
            "slug",
            "order",
            "name",
            "name_wording",
            "description",
            "description_wording",
            "description_source",
            "sources",
        ]


class RoleAreaSerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    entries = serializers.ListField(
        source="entry_list", child=serializers.CharField(), read_only=True, help_text="As the guide lists them."
    )

    class Meta:
        model = RoleArea
        fields = ["key", "group", "title", "description", "wording", "entries", "level", "order", "source"]


class TipSerializer(SourceByKey):
    level: serializers.SlugRelatedField[Level] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    stage: serializers.SlugRelatedField[Stage] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Tip
        fields = ["key", "text", "wording", "source", "topic", "level", "stage", "order"]


class CriterionSerializer(SourceByKey):
    item: serializers.SlugRelatedField[Item] = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="Only this item; null: every item of `kind`"
    )

    class Meta:
        model = Criterion
        fields = ["key", "kind", "item", "text", "required", "order", "wording", "source"]
        extra_kwargs = {"kind": {"help_text": "Every item of this kind; blank: only `item`"}}
