"""Career content, read-only and public. Lookups by slug (or key for items); stable ordering."""

import hashlib

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from core.api import ChoiceFilter, FilterSet, slug_filter
from roadmap.api import serializers
from roadmap.cache import cached
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
)


class ContentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    filterset_class: type[django_filters.FilterSet] | None = None
    lookup_field = "slug"
    # Slugs and keys are ASCII slugs; anything else is simply not found.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    answers_with_etag = True

    # Content is the same for every client: the rendered JSON comes from the cache until content
    # changes. Errors (404, 400) are raised before anything is cached.
    def list(self, request, *args, **kwargs):
        return self._cached_json(request, lambda: super(ContentViewSet, self).list(request))

    def retrieve(self, request, *args, **kwargs):
        return self._cached_json(request, lambda: super(ContentViewSet, self).retrieve(request), kwargs)

    def _cached_json(self, request, respond, kwargs=None) -> HttpResponse:
        """The body and its ETag come from the cache; a client holding that ETag gets a 304.
        no-cache: a client may keep a copy but must revalidate it, so an admin's edit shows at once.
        Bodies hold absolute links (next, previous): the key has the host."""
        body, etag = cached(
            f"api:{self.basename}:{self.action}",
            lambda: _with_etag(JSONRenderer().render(respond().data)),
            kwargs or "",
            self._known_params(request),
            request=request,
        )
        response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response

    def _known_params(self, request) -> tuple:
        """Only the parameters the endpoint understands make the key: junk parameters (ignored
        by the endpoint anyway) cannot fill the cache with copies."""
        known = {"page", "page_size", *(self.filterset_class.base_filters if self.filterset_class else ())}
        return tuple(sorted((k, v) for k, v in request.query_params.items() if k in known))


def _with_etag(body: bytes) -> tuple[bytes, str]:
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _documented(name: str):
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}"),
        retrieve=extend_schema(summary=f"One of the {name}"),
    )


@_documented("sources (the career guides)")
class SourceViewSet(ContentViewSet):
    queryset = Source.objects.order_by("number")
    serializer_class = serializers.SourceSerializer
    lookup_field = "key"


@_documented("levels, with salary bands and years by source, skills and KPIs")
class LevelViewSet(ContentViewSet):
    serializer_class = serializers.LevelSerializer
    queryset = Level.objects.order_by("order").prefetch_related(
        Prefetch("salary_bands", queryset=SalaryBand.objects.select_related("source")),
        Prefetch("experience_ranges", queryset=ExperienceRange.objects.select_related("source")),
        Prefetch(
            "level_skills",
            queryset=LevelSkill.objects.select_related("skill", "source")
            .prefetch_related("skill__sources")
            .order_by("order"),
        ),
        Prefetch("kpis", queryset=KPI.objects.select_related("level", "source", "description_source")),
        Prefetch("texts", queryset=LevelText.objects.select_related("source")),
    )


class SkillFilter(FilterSet):
    level = slug_filter(Level.objects.all(), "Level slug", field_name="level_skills__level", distinct=True)

    class Meta:
        model = Skill
        fields = ["kind", "level"]


@_documented("skills")
class SkillViewSet(ContentViewSet):
    queryset = Skill.objects.order_by("name", "pk").select_related("description_source").prefetch_related("sources")
    serializer_class = serializers.SkillSerializer
    filterset_class = SkillFilter


class KPIFilter(FilterSet):
    level = slug_filter(Level.objects.all(), "Level slug", field_name="level")

    class Meta:
        model = KPI
        fields = ["level", "unit", "direction"]


@_documented("KPIs")
class KPIViewSet(ContentViewSet):
    queryset = KPI.objects.select_related("level", "source", "description_source").order_by("level__order", "order")
    serializer_class = serializers.KPISerializer
    filterset_class = KPIFilter


@_documented("roadmap stages, with their steps and tracks")
class StageViewSet(ContentViewSet):
    queryset = Stage.objects.with_steps_and_tracks().order_by("order")
    serializer_class = serializers.StageSerializer


class ItemFilter(FilterSet):
    """Deliverables, projects, certifications and questions belong to a level, never to a stage."""

    level = slug_filter(Level.objects.all(), "Level slug", field_name="level")

    class Meta:
        model = Item
        fields = ["level"]


class StepFilter(FilterSet):
    """Steps belong to a stage, and a stage prepares for a level: `level` gives the steps of the
    stages that prepare for it, as `me/progress/` counts them."""

    level = slug_filter(
        Level.objects.all(), "Level slug: the steps of the stages preparing for it", field_name="stage__level"
    )
    stage = slug_filter(Stage.objects.all(), "Stage slug", field_name="stage")
    kind = ChoiceFilter(choices=[(k.value, k.label) for k in Item.STEP_KINDS])

    class Meta:
        model = Item
        fields = ["level", "stage", "kind"]


class ItemViewSet(ContentViewSet):
    """Items of the kinds this endpoint serves, never archived ones."""

    kinds: tuple = ()
    lookup_field = "key"
    serializer_class = serializers.ItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self):
        return (
            Item.objects.for_display()
            .of_kind(*self.kinds)
            .select_related("stage")
            .order_by("stage__order", "level__order", "kind", "order", "pk")
        )


@_documented("roadmap steps (learn and practice-and-deliver)")
class StepViewSet(ItemViewSet):
    kinds = Item.STEP_KINDS
    filterset_class = StepFilter


@_documented("example deliverables")
class DeliverableViewSet(ItemViewSet):
    kinds = (Item.Kind.DELIVERABLE,)


@_documented("portfolio projects, with the skills they demonstrate")
class ProjectViewSet(ItemViewSet):
    kinds = (Item.Kind.PROJECT,)


@_documented("certifications")
class CertificationViewSet(ItemViewSet):
    kinds = (Item.Kind.CERTIFICATION,)


@_documented("interview questions, with what a good answer covers")
class InterviewQuestionViewSet(ItemViewSet):
    kinds = (Item.Kind.QUESTION,)


@_documented("specializations")
class SpecializationViewSet(ContentViewSet):
    queryset = Specialization.objects.order_by("order").select_related("description_source").prefetch_related("sources")
    serializer_class = serializers.SpecializationSerializer


@_documented("descriptions of the work by guide (areas, a day in the life, roles it leads to)")
class RoleAreaViewSet(ContentViewSet):
    queryset = RoleArea.objects.select_related("source", "level").order_by("group", "source__number", "order", "pk")
    serializer_class = serializers.RoleAreaSerializer
    lookup_field = "key"


class TipFilter(FilterSet):
    # A tip without a topic shows only with its level or stage: filter by those instead.
    topic = ChoiceFilter(choices=[(value, label) for value, label in Tip.Topic.choices if value])
    level = slug_filter(Level.objects.all(), "Level slug", field_name="level")
    stage = slug_filter(Stage.objects.all(), "Stage slug", field_name="stage")

    class Meta:
        model = Tip
        fields = ["topic", "level", "stage"]


@_documented("key things to know, salary notes included, each with its source and wording")
class TipViewSet(ContentViewSet):
    queryset = Tip.objects.select_related("source", "level", "stage").order_by("order", "pk")
    serializer_class = serializers.TipSerializer
    filterset_class = TipFilter
    lookup_field = "key"


class CriterionFilter(FilterSet):
    item = django_filters.CharFilter(
        method="of_item", help_text="An item's key: its whole rubric (its own criteria, then its kind's)"
    )
    kind = ChoiceFilter(choices=Item.Kind.choices, help_text="The criteria of every item of this kind")

    class Meta:
        model = Criterion
        fields = ["item", "kind"]

    def of_item(self, queryset, name, value):
        item = Item.objects.current().filter(key=value).first()
        return queryset.for_items([item]) if item else queryset.none()


@_documented("review criteria: what a mentor checks before marking an item verified")
class CriterionViewSet(ContentViewSet):
    queryset = Criterion.objects.select_related("source", "item").order_by("kind", "item__key", "order", "pk")
    serializer_class = serializers.CriterionSerializer
    filterset_class = CriterionFilter
    lookup_field = "key"
