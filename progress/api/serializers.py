from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import StrictCharField
from core.statements import InstanceStatement
from progress.export import SECTIONS
from progress.models import (
    EVIDENCE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ItemProgress,
    KPIMeasurement,
    PracticeReview,
    SkillRating,
    Status,
)
from progress.reads import keys, rules
from progress.reads.plan import FORECAST_BANDS, PLAN_STATUSES
from progress.reads.rules import ReviewState
from progress.reads.summary import compute_summary
from roadmap.api.serializers import SalaryBandSerializer
from roadmap.models import KPI, Item, LevelSkill, Skill

RATING_HELP = "0 none, 1 aware, 2 working, 3 practitioner, 4 expert"


class ItemProgressSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[Item] = serializers.SlugRelatedField(slug_field="key", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null for an item never touched")
    kind = serializers.ChoiceField(source="item.kind", choices=Item.Kind.choices, read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    level = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()
    review_state = serializers.SerializerMethodField(
        help_text="The latest review by a mentor: verified, changes_requested, or changed (since that review); "
        "null when never reviewed"
    )

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
            "expires_on",
            "started_at",
            "completed_at",
            "updated_at",
            "review_state",
            "review_comment",
            "reviewed_at",
        ]
        read_only_fields = ["review_comment", "reviewed_at"]

    @extend_schema_field(serializers.ChoiceField(choices=ReviewState.choices, allow_null=True))
    def get_review_state(self, obj) -> str | None:
        return obj.review_state or None

    def get_level(self, obj) -> str:
        return obj.item.ladder_level.slug

    def get_stage(self, obj) -> str | None:
        return obj.item.stage.slug if obj.item.stage else None


class ItemProgressInputSerializer(serializers.Serializer):
    """PUT replaces the whole record: a note or link left out is cleared."""

    status = serializers.ChoiceField(choices=Status.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_url = StrictCharField(required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH)
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="A certification's expiry date (certifications only)"
    )


class SkillRatingSerializer(serializers.ModelSerializer):
    skill: serializers.SlugRelatedField[Skill] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)
    # A number, not an enum: 0-4 reads better than VALUE_0 ... VALUE_4 in a generated client.
    rating = serializers.IntegerField(min_value=0, max_value=4, help_text=RATING_HELP)
    confirmed_at = serializers.DateTimeField(
        read_only=True, help_text="When the rating was last given or confirmed (PUT the same rating to confirm it)"
    )
    due_for_refresh = serializers.SerializerMethodField(
        help_text="Last confirmed more than DJANGO_SKILL_FRESH_DAYS (default 180) days ago"
    )

    mentor_rating = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="A mentor's rating of the skill; null: none given"
    )
    mentor_confirmed = serializers.BooleanField(read_only=True, help_text="A mentor gave the same rating")

    class Meta:
        model = SkillRating
        fields = [
            "skill",
            "name",
            "rating",
            "updated_at",
            "confirmed_at",
            "due_for_refresh",
            "mentor_rating",
            "mentor_confirmed",
        ]

    def get_due_for_refresh(self, rating) -> bool:
        return rating.confirmed_at < rules.stale_before(timezone.localdate())


class SkillRatingInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=0, max_value=4, help_text=RATING_HELP)


# Logging a measurement is the API's busiest write: its KPI is read by one statement built once.
_KPI_BY_SLUG = InstanceStatement(KPI, lambda slug: KPI.objects.filter(slug=slug), str)


class KPISlugField(serializers.SlugRelatedField[KPI]):
    def to_internal_value(self, data):
        if isinstance(data, list | dict):
            self.fail("invalid")
        found = _KPI_BY_SLUG.instances(str(data))
        if not found:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return found[0]


class KPIMeasurementSerializer(serializers.ModelSerializer):
    """No defaults on the optional fields: a default would be sent by generated clients and, on
    PATCH, erase what was there."""

    kpi: serializers.SlugRelatedField[KPI] = KPISlugField(slug_field="slug", queryset=KPI.objects.all())
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    evidence_url = StrictCharField(required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH)

    class Meta:
        model = KPIMeasurement
        fields = ["id", "kpi", "value", "measured_on", "note", "evidence_url", "created_at"]
        read_only_fields = ["id", "created_at"]


class KPIMeasurementUpdateSerializer(KPIMeasurementSerializer):
    """The KPI of a measurement does not change; log a new one instead."""

    kpi: serializers.SlugRelatedField[KPI] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    def validate(self, attrs):
        # Sending the same KPI back (a client echoing the object) is fine; another one is refused
        # rather than silently ignored.
        sent = self.initial_data.get("kpi") if hasattr(self.initial_data, "get") else None
        if sent is not None and self.instance is not None and sent != self.instance.kpi.slug:
            raise serializers.ValidationError(
                {"kpi": "The KPI of a measurement cannot change; delete it and log a new measurement instead."}
            )
        return super().validate(attrs)


# --- the summary: the dashboard's numbers -------------------------------------------------


class TallySerializer(serializers.Serializer):
    done = serializers.IntegerField()
    verified = serializers.IntegerField(help_text="Of the done items, those a mentor verified as they stand now")
    in_progress = serializers.IntegerField()
    skipped = serializers.IntegerField()
    total = serializers.IntegerField()
    counted = serializers.IntegerField(help_text="total minus skipped: the denominator")
    percent = serializers.IntegerField(allow_null=True, help_text="done / counted, rounded; null when nothing counts")


class ByKindSerializer(serializers.Serializer):
    """One tally per kind, named as the content endpoints are (steps = learn and practice items)."""

    steps = TallySerializer()
    deliverables = TallySerializer()
    projects = TallySerializer()
    certifications = TallySerializer()
    interview_questions = TallySerializer(help_text="The items of /api/v1/interview-questions/")


class LevelProgressSerializer(serializers.Serializer):
    overall = TallySerializer()
    by_kind = ByKindSerializer()


class MeasurementPointSerializer(serializers.Serializer):
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)


class KPIStatusSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.slug")
    name = serializers.CharField(source="kpi.name")
    unit = serializers.ChoiceField(source="kpi.unit", choices=KPI.Unit.choices)
    direction = serializers.ChoiceField(source="kpi.direction", choices=KPI.Direction.choices)
    target = serializers.DecimalField(source="kpi.target", max_digits=12, decimal_places=2)
    target_is_default = serializers.BooleanField(source="kpi.target_is_default")
    latest = MeasurementPointSerializer(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)
    trend = serializers.CharField(allow_null=True)
    points = MeasurementPointSerializer(many=True)


class SkillRowSerializer(serializers.Serializer):
    skill = serializers.CharField(source="level_skill.skill.slug")
    name = serializers.CharField(source="level_skill.skill.name")
    expectation = serializers.ChoiceField(source="level_skill.expectation", choices=LevelSkill.Expectation.choices)
    rating = serializers.IntegerField(allow_null=True)
    meets = serializers.BooleanField()
    confirmed_at = serializers.DateTimeField(allow_null=True, help_text="When last given or confirmed")
    due_for_refresh = serializers.BooleanField(source="stale", help_text="Last confirmed over the fresh days ago")
    mentor_rating = serializers.IntegerField(allow_null=True, help_text="A mentor's rating; null: none given")
    mentor_confirmed = serializers.BooleanField(help_text="A mentor gave the same rating")


class ReadinessPartSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["skills", "items", "kpis"])
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    verified = serializers.IntegerField(allow_null=True, help_text="Items part: of the items, those a mentor verified")
    fresh_only = serializers.BooleanField(help_text="Skills part: only ratings not due for a refresh count")
    stale = serializers.IntegerField(help_text="Skills part: ratings of 2+ that are due for a refresh")
    mentor_only = serializers.BooleanField(help_text="Skills part: only ratings a mentor confirmed count")
    mentor_confirmed = serializers.IntegerField(
        allow_null=True, help_text="Skills part: ratings of 2+ that a mentor confirmed"
    )
    complete = serializers.BooleanField()
    missing = serializers.SerializerMethodField(help_text="Slugs of skills and KPIs, keys of items")

    def get_fields(self):
        # Declared on the class, a field named "label" would shadow Field.label.
        return {**super().get_fields(), "label": serializers.CharField()}

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
    kind = serializers.ChoiceField(choices=["item", "review", "skill", "kpi"])
    title = serializers.CharField()
    detail = serializers.CharField(help_text="An item's status, a review's verdict, a rating or a KPI value")
    at = serializers.DateTimeField()


class BurnDownPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    remaining = serializers.IntegerField()

    def to_representation(self, point):
        return {"date": point[0].isoformat(), "remaining": point[1]}


class PlanForecastSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PLAN_STATUSES)
    target_date = serializers.DateField(allow_null=True)
    remaining = serializers.IntegerField(
        help_text="Roadmap items for the next level not done yet (skipped ones left out)"
    )
    pace = serializers.FloatField(allow_null=True, help_text="Items completed per week over pace_weeks")
    pace_weeks = serializers.FloatField()
    forecast = serializers.DateField(allow_null=True, help_text="When the remaining items are done at this pace")
    required_pace = serializers.FloatField(allow_null=True, help_text="Items per week the target date needs")
    weekly_goal = serializers.IntegerField(allow_null=True)
    this_week = serializers.IntegerField(help_text="Items completed this ISO week")
    goal_streak = serializers.IntegerField(help_text="Weeks in a row that met the weekly goal")
    burn_down = BurnDownPointSerializer(many=True)
    band = serializers.ChoiceField(
        choices=FORECAST_BANDS,
        help_text="The forecast band: none (no forecast), not_enough_history (under 3 whole weeks), "
        "open (the slower pace finishes nothing), dated",
    )
    band_weeks = serializers.IntegerField(help_text="Whole weeks of the pace window the band is measured on")
    pace_spread = serializers.FloatField(
        allow_null=True, help_text="Standard deviation of the items completed per whole week; null under 3 weeks"
    )
    forecast_early = serializers.DateField(allow_null=True, help_text="The forecast at pace + pace_spread")
    forecast_late = serializers.DateField(
        allow_null=True, help_text="The forecast at pace - pace_spread; null when that pace is zero or less"
    )


class SalaryGapSerializer(serializers.Serializer):
    lower = SalaryBandSerializer(allow_null=True, help_text="Its band for the current level; null: it gives none")
    upper = SalaryBandSerializer(allow_null=True, help_text="Its band for the level moved to; null: it gives none")
    low_difference = serializers.IntegerField(
        source="low", allow_null=True, help_text="upper.min_amount - lower.min_amount; null without both bands"
    )
    high_difference = serializers.IntegerField(
        source="high",
        allow_null=True,
        help_text="upper.max_amount - lower.max_amount; null without both, or when a top is open-ended (“+”)",
    )

    def get_fields(self):
        # Added here: a class attribute `source` would shadow Field.source.
        fields = super().get_fields()
        return {
            "source": serializers.CharField(source="source.key", help_text="The guide; its two bands, never another's"),
            **fields,
        }


class SalaryGapsSerializer(serializers.Serializer):
    """What moving up to `level` pays, one row per guide giving a band for either level."""

    level = serializers.SerializerMethodField()
    guides = serializers.SerializerMethodField()

    def get_level(self, pair) -> str:
        return pair[0].slug

    @extend_schema_field(SalaryGapSerializer(many=True))
    def get_guides(self, pair):
        return SalaryGapSerializer(pair[1], many=True).data


class SummarySerializer(serializers.Serializer):
    level = serializers.CharField(source="level.slug", allow_null=True)
    progress = LevelProgressSerializer(allow_null=True)
    kpis = KPIStatusSerializer(many=True)
    skills = SkillRowSerializer(many=True)
    readiness = ReadinessSerializer(allow_null=True)
    next_step = serializers.CharField(source="next_step.key", allow_null=True, help_text="Key of the item")
    next_steps = serializers.SerializerMethodField(help_text="Keys of the next items to do; the first is next_step")
    activity = ActivitySerializer(many=True)
    plan = PlanForecastSerializer(allow_null=True)
    changes_requested = serializers.SerializerMethodField(
        help_text="Keys of items a mentor sent back that have not changed since"
    )
    salary_gaps = SalaryGapsSerializer(
        many=True, help_text="What the next level (then the target level, if another) pays more, guide by guide"
    )
    hint = serializers.SerializerMethodField(
        help_text="Why progress, KPIs and readiness are null or empty, and how to fill them; null when they are not"
    )

    def get_hint(self, summary) -> str | None:
        if summary.level is None:
            return (
                "No current level yet: set current_level with PATCH /api/v1/me/profile/ (slugs from /api/v1/levels/)."
            )
        return None

    def get_changes_requested(self, summary) -> list[str]:
        return [item.key for item in summary.changes_requested]

    def get_next_steps(self, summary) -> list[str]:
        return [item.key for item in summary.next_steps]


# --- the export: everything the learner recorded --------------------------------------------


class ExportProfileSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    date_joined = serializers.DateTimeField()
    years_of_experience = serializers.IntegerField(allow_null=True)
    current_level = serializers.CharField(allow_null=True)
    target_level = serializers.CharField(allow_null=True)
    specialization = serializers.CharField(allow_null=True)
    # As the profile has it: a track's letter, or "" for none.
    preferred_track = serializers.ChoiceField(choices=User.Track.choices, allow_blank=True)
    public_sharing = serializers.BooleanField()
    public_show_evidence = serializers.BooleanField()
    target_date = serializers.DateField(allow_null=True)
    weekly_goal = serializers.IntegerField(allow_null=True)
    digest_opt_in = serializers.BooleanField()


class ExportItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    kind = serializers.ChoiceField(choices=Item.Kind.choices)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField()
    evidence_url = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ExportRatingSerializer(serializers.Serializer):
    skill = serializers.CharField()
    rating = serializers.IntegerField(min_value=0, max_value=4)
    updated_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField()


class ExportRatingChangeSerializer(serializers.Serializer):
    skill = serializers.CharField()
    rating = serializers.IntegerField(min_value=0, max_value=4)
    changed_at = serializers.DateTimeField()


class ExportMeasurementSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    value = serializers.FloatField()
    measured_on = serializers.DateField()
    note = serializers.CharField()
    evidence_url = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportReviewSerializer(serializers.Serializer):
    grade = serializers.IntegerField(min_value=1, max_value=4)
    answer = serializers.CharField()
    reviewed_at = serializers.DateTimeField()


class ExportPracticeSerializer(serializers.Serializer):
    question = serializers.CharField()
    due = serializers.DateTimeField()
    stability = serializers.FloatField(allow_null=True)
    reviews = ExportReviewSerializer(many=True)


class ExportForecastSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PLAN_STATUSES)
    forecast = serializers.DateField(allow_null=True)
    forecast_early = serializers.DateField(allow_null=True)
    forecast_late = serializers.DateField(allow_null=True)
    band = serializers.ChoiceField(choices=FORECAST_BANDS)
    pace = serializers.FloatField(allow_null=True)
    pace_spread = serializers.FloatField(allow_null=True)


class ExportSalaryGapSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="The level moved to")
    low_difference = serializers.IntegerField(allow_null=True)
    high_difference = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField(allow_null=True)

    def get_fields(self):
        # Added here: a class attribute `source` would shadow Field.source.
        return {**super().get_fields(), "source": serializers.CharField(help_text="The guide")}


class ExportInsightSerializer(serializers.Serializer):
    """Derived, as of the export's day (the rest of the export is what the learner recorded)."""

    as_of = serializers.DateField()
    forecast = ExportForecastSerializer(allow_null=True)
    salary_gaps = ExportSalaryGapSerializer(many=True)
    skills_due_for_refresh = serializers.ListField(child=serializers.CharField())


class ExportSerializer(serializers.Serializer):
    """Documents progress.export.export_data, which builds the (already JSON-ready) data."""

    exported_at = serializers.DateTimeField()
    profile = ExportProfileSerializer()
    items = ExportItemSerializer(many=True)
    skill_ratings = ExportRatingSerializer(many=True)
    skill_rating_history = ExportRatingChangeSerializer(many=True)
    kpi_measurements = ExportMeasurementSerializer(many=True)
    practice = ExportPracticeSerializer(many=True)
    insight = ExportInsightSerializer()

    def get_fields(self):
        return super().get_fields() | {name: field() for name, (_, field) in SECTIONS.items()}


# --- practice ---------------------------------------------------------------------------------


class PracticeReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeReview
        fields = ["grade", "answer", "reviewed_at", "due_after", "stability_after"]


class PracticeCardSerializer(serializers.Serializer):
    """A question as practice sees it; `due` is null for a question never practised (it is new)."""

    key = serializers.CharField(source="item.key")
    question = serializers.CharField(source="item.title")
    answer_covers = serializers.CharField(source="item.answer_covers")
    level = serializers.CharField(source="item.level.slug")
    due = serializers.DateTimeField(allow_null=True)
    stability = serializers.FloatField(allow_null=True, help_text="Days until recall drops to 90%")
    reviews = PracticeReviewSerializer(many=True)


class PracticeGradeInputSerializer(serializers.Serializer):
    grade = serializers.IntegerField(min_value=1, max_value=4, help_text="1 again, 2 hard, 3 good, 4 easy")
    answer = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


def summary_data(user) -> dict:
    """A learner's summary as the API gives it (to them and to their mentors): the dashboard's
    numbers from the same read, its JSON cached under the same kind of key."""
    return keys.SUMMARY_JSON.of(user, lambda learner: SummarySerializer(compute_summary(learner)).data)
