"""The signed-in learner's own records. Every queryset is filtered by request.user, so another
learner's object is simply not found (404). Writes go through progress.services."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api import ChoiceFilter, FilterSet, slug_filter
from core.api_views import PagedRowsView
from progress import export, practice, services
from progress.api import serializers
from progress.models import ItemProgress, KPIMeasurement, PracticeCard, SkillRating, Status
from progress.reads import keys
from roadmap.models import KPI, Item, Level, Skill, Stage


class ItemProgressFilter(FilterSet):
    kind = ChoiceFilter(field_name="item__kind", choices=Item.Kind.choices)
    status = ChoiceFilter(choices=Status.choices)
    level = extend_schema_field(OpenApiTypes.STR)(slug_filter(Level.objects.all(), "Level slug", method="filter_level"))
    stage = slug_filter(Stage.objects.all(), "Stage slug", field_name="item__stage")

    class Meta:
        model = ItemProgress
        fields = ["kind", "status", "level", "stage"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(Q(item__level=value) | Q(item__stage__level=value))


@extend_schema_view(
    list=extend_schema(summary="List my item statuses"),
    retrieve=extend_schema(summary="My status, note and evidence on one item"),
    update=extend_schema(
        summary="Set my status, note and evidence on one item",
        description="Idempotent: the same body twice gives the same state. A note or link left out is cleared.",
        request=serializers.ItemProgressInputSerializer,
    ),
    destroy=extend_schema(summary="Clear my record on one item (back to not started)"),
)
class MyProgressViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    queryset = ItemProgress.objects.none()  # for the schema; get_queryset scopes to the learner
    serializer_class = serializers.ItemProgressSerializer
    filterset_class = ItemProgressFilter
    lookup_field = "item__key"
    lookup_url_kwarg = "key"  # an item is named by its key everywhere in the API
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "put", "delete", "head", "options"]

    def get_queryset(self):
        return (
            ItemProgress.objects.for_user(self.request.user)
            .select_related("item__level", "item__stage__level")
            .order_by("item__kind", "item__key")
        )

    def list(self, request, *args, **kwargs):
        # The page changes only when the learner's records do: its JSON is cached under their
        # state (progress.reads.keys), keyed by the parameters the endpoint understands.
        # A bad page or filter raises before anything is cached.
        known = {"page", "page_size", *ItemProgressFilter.base_filters}
        params = sorted((k, v) for k, v in request.query_params.items() if k in known)
        data = keys.PROGRESS_LIST.of(
            request.user, lambda _: super(MyProgressViewSet, self).list(request).data, params, request=request
        )
        return Response(data)

    def retrieve(self, request, *args, **kwargs):
        """An item the learner never touched is "not started", not a 404: the item exists."""
        item = get_object_or_404(Item.objects.select_related("level", "stage__level"), key=kwargs["key"])
        progress = self.get_queryset().filter(item=item).first() or ItemProgress(user=request.user, item=item)
        return Response(self.get_serializer(progress).data)

    def update(self, request, *args, **kwargs):
        item = get_object_or_404(Item, key=kwargs["key"])
        data = serializers.ItemProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # PUT: what is left out is cleared
        fields = {"note": "", "evidence_url": "", "expires_on": None, **data.validated_data}
        progress = services.item_progress_set(user=request.user, item=item, **fields)
        progress = self.get_queryset().get(pk=progress.pk)
        return Response(self.get_serializer(progress).data)

    def destroy(self, request, *args, **kwargs):
        item = get_object_or_404(Item, key=kwargs["key"])
        services.item_progress_clear(user=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List my skill ratings"),
    retrieve=extend_schema(summary="My rating of one skill (404 while I have not rated it)"),
    update=extend_schema(
        summary="Rate one skill (0-4)",
        description="Every change is kept in the rating history.",
        request=serializers.SkillRatingInputSerializer,
    ),
)
class MySkillRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    queryset = SkillRating.objects.none()  # for the schema; get_queryset scopes to the learner
    serializer_class = serializers.SkillRatingSerializer
    lookup_field = "skill__slug"
    lookup_url_kwarg = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "put", "head", "options"]

    def get_queryset(self):
        return SkillRating.objects.for_user(self.request.user).select_related("skill").order_by("skill__slug")

    def update(self, request, *args, **kwargs):
        skill = get_object_or_404(Skill, slug=kwargs["slug"])
        data = serializers.SkillRatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.skill_rating_set(user=request.user, skill=skill, rating=data.validated_data["rating"])
        return Response(self.get_serializer(rating).data)


class _KPIMeasurementFilterForm(forms.Form):
    def clean(self):
        # django-filter takes `?measured_before=` as no filter at all; the schema says a date.
        for name in ("measured_after", "measured_before"):
            if name in self.data and not self.data[name]:
                self.add_error(name, "Enter a date (YYYY-MM-DD).")
        return super().clean()


class KPIMeasurementFilter(FilterSet):
    kpi = slug_filter(KPI.objects.all(), "KPI slug", field_name="kpi")
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte")
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte")

    class Meta:
        model = KPIMeasurement
        fields = ["kpi", "measured_after", "measured_before"]
        form = _KPIMeasurementFilterForm


@extend_schema_view(
    list=extend_schema(summary="List my KPI measurements"),
    create=extend_schema(summary="Log a KPI measurement"),
    retrieve=extend_schema(summary="One of my KPI measurements"),
    update=extend_schema(
        summary="Correct one of my KPI measurements",
        description="Replaces the measurement: a note or link left out is cleared.",
        request=serializers.KPIMeasurementUpdateSerializer,
        responses=serializers.KPIMeasurementSerializer,
    ),
    partial_update=extend_schema(
        summary="Correct part of one of my KPI measurements",
        description="Changes only the fields sent.",
        request=serializers.KPIMeasurementUpdateSerializer,
        responses=serializers.KPIMeasurementSerializer,
    ),
    destroy=extend_schema(summary="Delete one of my KPI measurements"),
)
class MyKPIMeasurementViewSet(viewsets.ModelViewSet):
    queryset = KPIMeasurement.objects.none()  # for the schema; get_queryset scopes to the learner
    filterset_class = KPIMeasurementFilter

    def get_queryset(self):
        return KPIMeasurement.objects.for_user(self.request.user).select_related("kpi").order_by("-measured_on", "-pk")

    def get_object(self):
        measurement = super().get_object()
        measurement.user = self.request.user  # the owner is known: writes bump this very object's version
        return measurement

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.KPIMeasurementUpdateSerializer
        return serializers.KPIMeasurementSerializer

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = reverse("api:me-kpi-measurement-detail", args=[response.data["id"]], request=request)
        return response

    def perform_create(self, serializer):
        serializer.instance = services.kpi_measurement_create(user=self.request.user, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        measurement = self.get_object()
        data = serializers.KPIMeasurementUpdateSerializer(measurement, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        # PATCH keeps what was not sent; PUT replaces the measurement, clearing a note or link left out.
        current = {f: getattr(measurement, f) for f in ("value", "measured_on")}
        kept = {f: getattr(measurement, f) for f in ("note", "evidence_url")} if partial else {}
        measurement = services.kpi_measurement_update(
            measurement=measurement, **{**current, **kept, **data.validated_data}
        )
        return Response(serializers.KPIMeasurementSerializer(measurement).data)

    def perform_destroy(self, instance):
        services.kpi_measurement_delete(measurement=instance)


class MySummaryView(APIView):
    @extend_schema(
        summary="My dashboard numbers",
        description="Progress per kind on the current level, KPI status, readiness for the next level with what "
        "is missing, the next step and recent activity: the same numbers as /dashboard/, from the same code.",
        responses=serializers.SummarySerializer,
    )
    def get(self, request):
        return Response(serializers.summary_data(request.user))


class MyExportView(APIView):
    @extend_schema(
        summary="Export everything I recorded (the same JSON as the web export)", responses=serializers.ExportSerializer
    )
    def get(self, request):
        return Response(export.export_data(request.user))


def _practice_card(item, card) -> dict:
    """A question as the practice endpoints show it; a question never practised has no card yet."""
    if card is None:
        return {"item": item, "due": None, "stability": None, "reviews": []}
    return {"item": item, "due": card.due, "stability": card.stability, "reviews": card.reviews.all()}


class MyPracticeDueView(PagedRowsView):
    @extend_schema(
        summary="Interview questions due for practice now",
        description="Due cards first, then new questions (at most PRACTICE_NEW_PER_DAY new ones a day).",
        responses=serializers.PracticeCardSerializer(many=True),
    )
    def get(self, request):
        items = self.paginate_queryset(practice.due_today(request.user, timezone.now()))
        cards = PracticeCard.objects.for_user(request.user).filter(item__in=items).prefetch_related("reviews")
        by_item = {card.item_id: card for card in cards}
        data = [_practice_card(item, by_item.get(item.pk)) for item in items]
        return self.get_paginated_response(serializers.PracticeCardSerializer(data, many=True).data)


class MyPracticeCardView(APIView):
    @extend_schema(
        summary="One question's practice card and its review history", responses=serializers.PracticeCardSerializer
    )
    def get(self, request, key):
        item = get_object_or_404(Item.objects.select_related("level"), key=key, kind=Item.Kind.QUESTION)
        card = PracticeCard.objects.for_user(request.user).filter(item=item).first()
        return Response(serializers.PracticeCardSerializer(_practice_card(item, card)).data)


class MyPracticeGradeView(APIView):
    @extend_schema(
        summary="Grade my recall of a question",
        description="FSRS schedules the next time from the grade; the answer draft is kept privately. "
        "A question never practised starts only while today's new questions (PRACTICE_NEW_PER_DAY) are not all "
        "started: past them the answer is 429, with Retry-After the seconds to midnight (UTC).",
        request=serializers.PracticeGradeInputSerializer,
        responses=serializers.PracticeCardSerializer,
    )
    def post(self, request, key):
        item = get_object_or_404(Item.objects.current().select_related("level"), key=key, kind=Item.Kind.QUESTION)
        data = serializers.PracticeGradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            review = services.practice_grade(user=request.user, item=item, **data.validated_data)
        except DjangoValidationError as error:
            if services.NEW_QUESTIONS_SPENT in {e.code for e in error.error_dict.get("item", [])}:
                raise Throttled(wait=practice.seconds_to_tomorrow(timezone.now()), detail=error.messages[0]) from None
            raise
        return Response(serializers.PracticeCardSerializer(_practice_card(item, review.card)).data)
