"""Mentoring in the API: the same services and querysets as the pages, so the same rules and the
same 404 for whatever is not the caller's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import APIException, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api_views import PagedRowsView
from core.form_api import FormBackedView
from core.http import base_url
from mentoring import services
from mentoring.api import serializers
from mentoring.forms import MentoringSettingsForm
from mentoring.models import Invitation, Mentorship, Message, Notification, NotificationPreference, Review
from mentoring.selectors import asked_of, mentee_rows, review_queue, threads_of
from progress.api.serializers import SummarySerializer, summary_data
from progress.models import ItemProgress, SkillRating
from progress.reads import keys
from roadmap.models import Item, Skill

MENTORING = ["mentoring"]


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


def service_call(call):
    """A service's ValidationError as the API's 400; a conflict with the current state as 409 and
    the daily invitation limit as 429."""
    try:
        return call()
    except DjangoValidationError as error:
        codes = (
            {e.code for e in error.error_list}
            if not hasattr(error, "error_dict")
            else {e.code for errors in error.error_dict.values() for e in errors}
        )
        message = " ".join(error.messages)
        if services.RATE_LIMITED in codes:
            raise Throttled(wait=24 * 3600, detail=message) from None
        if services.CONFLICT in codes:
            raise Conflict(message) from None
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise ValidationError(detail) from None


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="Mentor invitations I sent"),
    post=extend_schema(
        summary="Invite a mentor by e-mail",
        description="Sends a single-use link valid for 7 days that only an account with this address (verified) "
        "can accept. At most 20 invitations a day; none to yourself; one open invitation per address.",
        request=serializers.InvitationCreateSerializer,
        responses={201: serializers.InvitationSerializer},
    ),
)
class MyInvitationsView(generics.ListAPIView):
    queryset = Invitation.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.InvitationSerializer

    def get_queryset(self):
        return Invitation.objects.sent_by(self.request.user).filter(kind=Invitation.Kind.MENTOR)

    def post(self, request):
        data = serializers.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _ = service_call(
            lambda: services.invitation_create(
                inviter=request.user, email=data.validated_data["email"], base_url=base_url(request)
            )
        )
        return invitation_created(request, invitation)


def invitation_created(request, invitation) -> Response:
    return Response(
        serializers.InvitationSerializer(invitation).data,
        status=status.HTTP_201_CREATED,
        headers={"Location": reverse("api:me-invitation", args=[invitation.pk], request=request)},
    )


@extend_schema(tags=MENTORING, summary="An invitation I sent (to mentor me, or to join a team I lead)")
class InvitationView(generics.RetrieveAPIView):
    queryset = Invitation.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.InvitationSerializer

    def get_queryset(self):
        return Invitation.objects.sent_by(self.request.user)


@extend_schema(
    tags=MENTORING,
    summary="Withdraw an open invitation I sent",
    request=None,
    responses=serializers.InvitationSerializer,
)
class InvitationWithdrawView(APIView):
    def post(self, request, pk):
        invitation = get_object_or_404(Invitation.objects.sent_by(request.user), pk=pk)
        invitation = service_call(lambda: services.invitation_withdraw(invitation=invitation))
        return Response(serializers.InvitationSerializer(invitation).data)


@extend_schema(tags=MENTORING)
@extend_schema_view(get=extend_schema(summary="Open invitations to my verified addresses"))
class ReceivedInvitationsView(generics.ListAPIView):
    queryset = Invitation.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ReceivedInvitationSerializer

    def get_queryset(self):
        return Invitation.objects.addressed_to(self.request.user).select_related("inviter", "team")


@extend_schema(
    tags=MENTORING,
    summary="Answer an invitation to one of my verified addresses (to mentor, or to join a team)",
    request=None,
    responses=serializers.InvitationAcceptedSerializer,
)
class InvitationAnswerView(APIView):
    accept = True

    def post(self, request, pk):
        # Any invitation to the caller's addresses: one already answered is a 409 that says so.
        invitation = get_object_or_404(Invitation.objects.to_addresses_of(request.user).select_related("team"), pk=pk)
        answer = services.invitation_accept if self.accept else services.invitation_decline
        service_call(lambda: answer(invitation=invitation, user=request.user))
        if not self.accept:
            return Response({"mentorship": None, "team": None})
        mentorship = Mentorship.objects.filter(invitation=invitation).values_list("pk", flat=True).first()
        return Response({"mentorship": mentorship, "team": invitation.team.slug if invitation.team else None})


@extend_schema(tags=MENTORING)
@extend_schema_view(get=extend_schema(summary="My active mentorships, as mentor and as mentee"))
class MyMentorshipsView(generics.ListAPIView):
    queryset = Mentorship.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.MentorshipSerializer

    def get_queryset(self):
        user = self.request.user
        return Mentorship.objects.active().filter(Q(mentee=user) | Q(mentor=user)).select_related("mentee", "mentor")


@extend_schema(tags=MENTORING)
@extend_schema_view(
    patch=extend_schema(summary="Share my notes with a mentor, or stop", request=serializers.ShareNotesSerializer)
)
class MentorshipNotesView(APIView):
    serializer_class = serializers.MentorshipSerializer

    def patch(self, request, pk):
        mentorship = get_object_or_404(Mentorship.objects.of_mentee(request.user).select_related("mentor"), pk=pk)
        data = serializers.ShareNotesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "share_notes" in data.validated_data:  # PATCH: what is left out stays as it is
            services.mentorship_share_notes(mentorship=mentorship, share=data.validated_data["share_notes"])
        return Response(serializers.MentorshipSerializer(mentorship, context={"request": request}).data)


@extend_schema(tags=MENTORING, summary="End a mentorship (either side)", request=None, responses={204: None})
class MentorshipEndView(APIView):
    def post(self, request, pk):
        user = request.user
        mentorship = get_object_or_404(
            Mentorship.objects.active().filter(Q(mentee=user) | Q(mentor=user)).select_related("mentee", "mentor"),
            pk=pk,
        )
        services.mentorship_end(mentorship=mentorship, by=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=MENTORING,
    summary="The people I mentor, with their headline numbers",
    responses=serializers.MenteeRowSerializer(many=True),
)
class MyMenteesView(PagedRowsView):
    def get(self, request):
        def serialize(rows):
            data = [{"mentorship": m, "row": row} for m, row in rows]
            return serializers.MenteeRowSerializer(data, many=True).data

        # The page's table as JSON, from the same rows, cached the same way.
        rows = mentee_rows(request.user, keys.MENTEES_JSON, serialize)
        return self.get_paginated_response(self.paginate_queryset(rows))

    serializer_class = serializers.MenteeRowSerializer


def _as_mentor(request, pk) -> Mentorship:
    return get_object_or_404(Mentorship.objects.of_mentor(request.user).select_related("mentee", "mentor"), pk=pk)


@extend_schema(
    tags=MENTORING,
    summary="A mentee's dashboard numbers",
    description="The same numbers as the mentee's own /api/v1/me/summary/, read-only.",
    responses=SummarySerializer,
)
class MenteeSummaryView(APIView):
    def get(self, request, pk):
        return Response(summary_data(_as_mentor(request, pk).mentee))


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(
        summary="A mentee's items awaiting my review",
        description="Done items with evidence, never reviewed or changed since the last review. "
        "`note` is empty unless the mentee shares notes with me.",
    )
)
class MenteeQueueView(generics.ListAPIView):
    queryset = ItemProgress.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.QueueItemSerializer

    def get_queryset(self):
        self.mentorship = _as_mentor(self.request, self.kwargs["pk"])
        return review_queue(self.mentorship.mentee, self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["share_notes"] = getattr(self, "mentorship", None) and self.mentorship.share_notes
        return context


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="My reviews of a mentee's items"),
    post=extend_schema(
        summary="Verify a mentee's done item, or request changes",
        request=serializers.ReviewCreateSerializer,
        responses={201: serializers.ReviewSerializer},
    ),
)
class MenteeReviewsView(generics.ListAPIView):
    queryset = Review.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ReviewSerializer

    def get_queryset(self):
        mentorship = _as_mentor(self.request, self.kwargs["pk"])
        return Review.objects.filter(mentorship=mentorship).select_related("item", "mentor").prefetch_related("marks")

    def post(self, request, pk):
        mentorship = _as_mentor(request, pk)
        data = serializers.ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(Item, key=data.validated_data["item"])
        review = service_call(
            lambda: services.review_create(
                mentorship=mentorship,
                item=item,
                verdict=data.validated_data["verdict"],
                comment=data.validated_data.get("comment", ""),
                marks={m["criterion"]: (m["met"], m.get("note", "")) for m in data.validated_data.get("marks", [])},
            )
        )
        return Response(
            serializers.ReviewSerializer(review).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:me-mentee-review", args=[pk, review.pk], request=request)},
        )


@extend_schema(tags=MENTORING, summary="My items that have a thread (reviews or messages)")
class MyThreadsView(generics.ListAPIView):
    queryset = Item.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ThreadRowSerializer

    def get_queryset(self):
        return threads_of(self.request.user)


@extend_schema(tags=MENTORING, summary="A mentee's items that have a thread (reviews or messages)")
class MenteeThreadsView(MyThreadsView):
    def get_queryset(self):
        return threads_of(_as_mentor(self.request, self.kwargs["pk"]).mentee)


# The messages of one item's thread, oldest first; POST adds one. (A comment: a docstring would
# become the endpoints' description in the schema.)
class _ThreadMessagesView(generics.ListAPIView):
    queryset = Message.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.MessageSerializer

    def thread_of(self):
        raise NotImplementedError

    def get_queryset(self):
        mentee = self.thread_of()
        return Message.objects.thread(mentee, get_object_or_404(Item, key=self.kwargs["key"]))

    def post(self, request, *args, **kwargs):
        mentee = self.thread_of()
        item = get_object_or_404(Item, key=kwargs["key"])
        data = serializers.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = service_call(
            lambda: services.message_post(
                mentee=mentee, item=item, author=request.user, text=data.validated_data["text"]
            )
        )
        return Response(serializers.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="The messages about one of my items"),
    post=extend_schema(
        summary="Write to my mentors about one of my items",
        request=serializers.MessageInputSerializer,
        responses={201: serializers.MessageSerializer},
    ),
)
class MyThreadMessagesView(_ThreadMessagesView):
    def thread_of(self):
        return self.request.user


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="The messages about one item of a mentee"),
    post=extend_schema(
        summary="Write to a mentee about one of their items",
        request=serializers.MessageInputSerializer,
        responses={201: serializers.MessageSerializer},
    ),
)
class MenteeThreadMessagesView(_ThreadMessagesView):
    def thread_of(self):
        return _as_mentor(self.request, self.kwargs["pk"]).mentee


@extend_schema(tags=MENTORING)
@extend_schema_view(
    patch=extend_schema(
        summary="Change a message I wrote (for a few minutes after it was sent)",
        request=serializers.MessageInputSerializer,
        responses={200: serializers.MessageSerializer},
    ),
    delete=extend_schema(
        summary="Remove a message I wrote (for a few minutes after sending it)", responses={204: None}
    ),
)
class MyMessageView(generics.GenericAPIView):
    queryset = Message.objects.none()  # for the schema; _mine scopes to the caller
    serializer_class = serializers.MessageSerializer

    def _mine(self, request, pk) -> Message:
        return get_object_or_404(Message, pk=pk, author=request.user)

    def patch(self, request, pk):
        message = self._mine(request, pk)
        data = serializers.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        service_call(lambda: services.message_edit(message=message, author=request.user, text=text))
        return Response(serializers.MessageSerializer(message).data)

    def delete(self, request, pk):
        message = self._mine(request, pk)
        service_call(lambda: services.message_remove(message=message, author=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=MENTORING, summary="A mentee's skill ratings, with mine")
class MenteeSkillsView(generics.ListAPIView):
    queryset = SkillRating.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.MenteeSkillRatingSerializer

    def get_queryset(self):
        mentorship = _as_mentor(self.request, self.kwargs["pk"])
        return SkillRating.objects.for_user(mentorship.mentee).select_related("skill").order_by("skill__slug")


@extend_schema(
    tags=MENTORING,
    summary="Rate a mentee's skill: their own value confirms it",
    request=serializers.MentorRatingInputSerializer,
    responses={200: serializers.MenteeSkillRatingSerializer},
)
class MenteeSkillView(APIView):
    def put(self, request, pk, slug):
        mentorship = _as_mentor(request, pk)
        skill = get_object_or_404(Skill, slug=slug)
        data = serializers.MentorRatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = service_call(
            lambda: services.skill_rating_confirm(
                mentorship=mentorship, skill=skill, rating=data.validated_data["rating"]
            )
        )
        return Response(serializers.MenteeSkillRatingSerializer(rating).data)


@extend_schema(tags=MENTORING, summary="A review I gave a mentee")
class MenteeReviewView(generics.RetrieveAPIView):
    queryset = Review.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ReviewSerializer
    lookup_url_kwarg = "review"

    def get_queryset(self):
        mentorship = _as_mentor(self.request, self.kwargs["pk"])
        return Review.objects.filter(mentorship=mentorship).select_related("item", "mentor").prefetch_related("marks")


@extend_schema(tags=MENTORING)
@extend_schema_view(get=extend_schema(summary="Reviews of my items by my mentors"))
class MyReviewsView(generics.ListAPIView):
    queryset = Review.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ReviewSerializer

    def get_queryset(self):
        return Review.objects.of_mentee(self.request.user).select_related("item", "mentor").prefetch_related("marks")


@extend_schema(tags=["notifications"])
@extend_schema_view(get=extend_schema(summary="My notifications, newest first"))
class MyNotificationsView(generics.ListAPIView):
    queryset = Notification.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.NotificationSerializer

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)


@extend_schema(
    tags=["notifications"],
    summary="Mark my notifications read",
    request=serializers.MarkReadSerializer,
    responses=serializers.MarkedReadSerializer,
)
class MarkNotificationsReadView(APIView):
    def post(self, request):
        data = serializers.MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": marked})


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="My mentoring preferences"),
    patch=extend_schema(summary="Change my mentoring preferences"),
)
class MyMentoringPreferencesView(FormBackedView):
    serializer_class = serializers.MentoringPreferencesSerializer
    form_class = MentoringSettingsForm


def _my_requests(user):
    mentorships = Mentorship.objects.of_mentee(user).select_related("mentor")
    return asked_of(review_queue(user), mentorships)


@extend_schema(tags=MENTORING, summary="My items waiting for a review, and whom each is asked of")
class MyReviewRequestsView(generics.ListAPIView):
    queryset = ItemProgress.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.ReviewRequestSerializer

    def get_queryset(self):
        return _my_requests(self.request.user)


# Ask one mentor or all of them (PUT), or nobody for now (DELETE), once the item has waited
# REVIEW_ANSWER_DAYS without an answer (409 before); a withdrawn one may be asked again at once.
@extend_schema(tags=MENTORING)
@extend_schema_view(
    put=extend_schema(
        summary="Ask one of my mentors, or all of them, to review an item waiting too long",
        request=serializers.ReviewRequestWriteSerializer,
        responses=serializers.ReviewRequestSerializer,
    ),
    delete=extend_schema(summary="Withdraw an item's review request for now", responses={204: None}),
)
class MyReviewRequestView(APIView):
    def put(self, request, key):
        item = get_object_or_404(Item, key=key)
        data = serializers.ReviewRequestWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pk = data.validated_data["mentorship"]
        mentorship = None if pk is None else get_object_or_404(Mentorship.objects.of_mentee(request.user), pk=pk)
        service_call(
            lambda: services.review_request_set(
                mentee=request.user, item=item, mentorship=mentorship, everyone=mentorship is None
            )
        )
        row = next(r for r in _my_requests(request.user) if r.item_id == item.pk)
        return Response(serializers.ReviewRequestSerializer(row).data)

    def delete(self, request, key):
        item = get_object_or_404(Item, key=key)
        service_call(lambda: services.review_request_set(mentee=request.user, item=item, mentorship=None))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=MENTORING)
@extend_schema_view(
    get=extend_schema(summary="How I hear of each topic besides the app"),
    patch=extend_schema(summary="Change how I hear of some topics (one-click unsubscribe links set one to off)"),
)
class MyNotificationPreferencesView(APIView):
    serializer_class = serializers.NotificationPreferencesSerializer

    def get(self, request):
        return Response(NotificationPreference.objects.deliveries(request.user))

    def patch(self, request):
        data = serializers.NotificationPreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deliveries = service_call(
            lambda: services.notification_preferences_set(user=request.user, deliveries=dict(data.validated_data))
        )
        return Response(deliveries)
