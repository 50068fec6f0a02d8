import datetime

from django.conf import settings
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import MAX_MENTEE_LIMIT, User
from core.api import IdListField, StrictBooleanField, StrictCharField, StrictSlugField
from core.validators import validate_single_line
from mentoring.models import (
    MARK_NOTE_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Delivery,
    Invitation,
    Membership,
    Mentorship,
    Message,
    Notification,
    Review,
    RubricMark,
    Team,
    Topic,
)
from progress.api.serializers import ItemProgressSerializer, ReadinessPartSerializer, TallySerializer
from progress.models import REVIEW_COMMENT_MAX_LENGTH, SkillRating, Verdict
from roadmap.models import Criterion, Item


def person(user) -> dict:
    return {"id": user.pk, "name": user.get_short_name()}


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The display name, or the e-mail address without one")


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Invitation.State.choices, read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "status", "created_at", "expires_at", "responded_at"]
        read_only_fields = ["created_at", "expires_at", "responded_at"]


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class ReceivedInvitationSerializer(serializers.ModelSerializer):
    inviter = serializers.SerializerMethodField()
    team: serializers.SlugRelatedField[Team] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = ["id", "kind", "inviter", "team", "team_name", "created_at", "expires_at"]

    def get_inviter(self, obj) -> PersonSerializer:
        return person(obj.inviter)  # type: ignore[return-value]


class MentorshipRole(models.TextChoices):
    """Which side of a mentorship I am on (not stored: each row has both)."""

    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class MentorshipSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Mine as seen from me: mentor (I mentor them) or mentee")
    other = serializers.SerializerMethodField(help_text="The other person")

    class Meta:
        model = Mentorship
        fields = ["id", "role", "other", "share_notes", "started_at"]
        read_only_fields = ["started_at"]

    @extend_schema_field(serializers.ChoiceField(choices=MentorshipRole.choices))
    def get_role(self, obj) -> str:
        mine = obj.mentor_id == self.context["request"].user.pk
        return MentorshipRole.MENTOR if mine else MentorshipRole.MENTEE

    def get_other(self, obj) -> PersonSerializer:
        return person(obj.mentee if obj.mentor_id == self.context["request"].user.pk else obj.mentor)  # type: ignore[return-value]


class ShareNotesSerializer(serializers.Serializer):
    share_notes = StrictBooleanField(required=False, help_text="Left out: unchanged")


class MenteeRowSerializer(serializers.Serializer):
    mentorship = serializers.IntegerField(source="mentorship.pk", help_text="Id for the mentee's other endpoints")
    mentee = serializers.SerializerMethodField()
    level = serializers.CharField(source="row.level.slug", allow_null=True, default=None)
    overall = TallySerializer(source="row.progress.overall", allow_null=True, default=None)
    readiness = ReadinessPartSerializer(source="row.readiness.parts", many=True, default=list)
    awaiting_review = serializers.IntegerField(source="row.awaiting_review")

    def get_mentee(self, obj) -> PersonSerializer:
        return person(obj["mentorship"].mentee)  # type: ignore[return-value]


class QueueItemSerializer(ItemProgressSerializer):
    """An item awaiting review; the note is empty unless the mentee shares notes with this mentor."""

    waiting_since = serializers.DateTimeField(
        read_only=True, help_text="When it started waiting: done, or changed since its last review. Oldest first."
    )

    class Meta(ItemProgressSerializer.Meta):
        fields = [*ItemProgressSerializer.Meta.fields, "waiting_since"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("share_notes"):
            data["note"] = ""
        return data


class RubricMarkSerializer(serializers.ModelSerializer):
    criterion: serializers.SlugRelatedField[Criterion] = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="Its key; null once an editor removed it"
    )

    class Meta:
        model = RubricMark
        fields = ["criterion", "text", "required", "met", "note"]
        extra_kwargs = {"text": {"help_text": "The criterion as it read when the review was given"}}


class ReviewSerializer(serializers.ModelSerializer):
    item: serializers.SlugRelatedField[Item] = serializers.SlugRelatedField(slug_field="key", read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    mentor = serializers.SerializerMethodField()
    marks = RubricMarkSerializer(many=True, read_only=True, help_text="The item's rubric as this review marked it")

    class Meta:
        model = Review
        fields = [
            "id",
            "item",
            "item_title",
            "mentor",
            "verdict",
            "comment",
            "created_at",
            "status",
            "evidence_url",
            "marks",
        ]
        extra_kwargs = {
            "status": {"help_text": "The iteration reviewed: the item's status then (blank before 3.1.0)"},
            "evidence_url": {"help_text": "The iteration reviewed: its evidence link then"},
        }

    def get_mentor(self, obj) -> PersonSerializer:
        return person(obj.mentor)  # type: ignore[return-value]


class ThreadRowSerializer(serializers.Serializer):
    item = serializers.CharField(source="key", help_text="The item's key: its messages are under this address")
    title = serializers.CharField()
    iterations = serializers.IntegerField(help_text="Reviews given, each of one iteration")
    messages = serializers.IntegerField()


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    removed = serializers.SerializerMethodField(help_text="Removed by its author: the text is gone")

    class Meta:
        model = Message
        fields = ["id", "author", "text", "created_at", "edited_at", "removed"]

    def get_author(self, obj) -> PersonSerializer:
        return person(obj.author)  # type: ignore[return-value]

    def get_removed(self, obj) -> bool:
        return obj.removed_at is not None


class MessageInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=MESSAGE_MAX_LENGTH, help_text="Plain text; links become clickable on the pages")


class MenteeSkillRatingSerializer(serializers.ModelSerializer):
    skill = serializers.CharField(source="skill.slug", read_only=True)
    name = serializers.CharField(source="skill.name", read_only=True)
    rating = serializers.IntegerField(read_only=True, help_text="The mentee's own rating, 0-4")
    mentor_rating = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="A mentor's rating; the same as `rating` confirms it"
    )
    mentor_confirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = SkillRating
        fields = ["skill", "name", "rating", "confirmed_at", "mentor_rating", "mentor_confirmed", "mentor_rated_at"]
        read_only_fields = fields


class MentorRatingInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=0, max_value=4, help_text="Your rating: the mentee's own value confirms it, another is a suggestion"
    )


class MarkInputSerializer(serializers.Serializer):
    criterion = StrictCharField(help_text="A criterion's key")
    met = StrictBooleanField()
    note = StrictCharField(required=False, allow_blank=True, max_length=MARK_NOTE_MAX_LENGTH)


class ReviewCreateSerializer(serializers.Serializer):
    item = StrictCharField(help_text="Key of a done item of the mentee")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        help_text="Required with changes_requested",
    )
    marks = MarkInputSerializer(
        many=True,
        required=False,
        help_text="The item's rubric (GET criteria/?item=<key>): verified needs every required criterion met",
    )


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = IdListField(
        required=False,
        max_length=500,
        help_text="The notifications to mark read; all of mine when left out",
    )


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class MentoringPreferencesSerializer(serializers.ModelSerializer):
    readiness_verified_only = StrictBooleanField(required=False)
    readiness_mentor_skills_only = StrictBooleanField(required=False)
    mentee_limit = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_MENTEE_LIMIT,
        help_text="The most mentees I take; null: no limit, 0: none for now. An invitation past it is refused.",
    )

    class Meta:
        model = User
        fields = ["readiness_verified_only", "readiness_mentor_skills_only", "mentee_limit"]


class InvitationAcceptedSerializer(serializers.Serializer):
    mentorship = serializers.IntegerField(allow_null=True, help_text="The new mentorship (a mentor invitation)")
    team = serializers.CharField(allow_null=True, help_text="Slug of the team joined (a team invitation)")


# --- teams ------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user.pk", read_only=True)
    # Members see each other's display names, never their addresses (a lead's overview has them).
    name = serializers.CharField(
        source="user.name", read_only=True, allow_null=True, help_text="The display name; null when they set none"
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {**data, "name": data["name"] or None}

    class Meta:
        model = Membership
        fields = ["id", "name", "role", "joined_at"]


class TeamSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["slug", "name", "my_role", "created_at"]

    @extend_schema_field(serializers.ChoiceField(choices=Membership.Role.choices))
    def get_my_role(self, team) -> str:
        return self.context["roles"][team.pk]


class TeamCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100, validators=[validate_single_line])
    slug = StrictSlugField(max_length=60)


class TeamRenameSerializer(serializers.Serializer):
    name = StrictCharField(
        max_length=100, required=False, validators=[validate_single_line], help_text="Left out: unchanged"
    )


class LeaveSerializer(serializers.Serializer):
    successor = serializers.IntegerField(
        required=False, min_value=1, help_text="Id of the member who leads after you, if you are the last lead"
    )


class OverviewRowSerializer(serializers.Serializer):
    member = serializers.SerializerMethodField()
    level = serializers.CharField(source="level.slug", allow_null=True, default=None)
    target_level = serializers.CharField(source="target_level.slug", allow_null=True, default=None)
    overall = TallySerializer(source="progress.overall", allow_null=True, default=None)
    readiness = ReadinessPartSerializer(source="readiness.parts", many=True, default=list)
    kpis_on_target = serializers.IntegerField()
    kpis_total = serializers.IntegerField()
    last_activity = serializers.DateTimeField(allow_null=True)

    def get_member(self, row) -> PersonSerializer:
        return person(row.user)  # type: ignore[return-value]


class SkillColumnSerializer(serializers.Serializer):
    skill = serializers.CharField(help_text="Skill slug")
    name = serializers.CharField()
    expected = serializers.IntegerField(help_text="The rating the level expects")
    average = serializers.FloatField(allow_null=True, help_text="Mean rating of those who rated it")
    below = serializers.IntegerField(help_text="Members who rated the skill below the expectation")
    unrated = serializers.IntegerField(help_text="Members who have not rated the skill (in neither average nor below)")


class MemberRatingsSerializer(serializers.Serializer):
    member = PersonSerializer()
    ratings = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text="One per skill, in the order of `skills`; null: not rated",
    )


class SkillMatrixSerializer(serializers.Serializer):
    level = serializers.CharField()
    skills = SkillColumnSerializer(many=True)
    members = MemberRatingsSerializer(many=True)


# --- the export's mentoring section (mentoring.export) ----------------------------------------


class ExportMentorshipSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MentorshipRole.choices, help_text="My side")
    other = serializers.CharField(help_text="The other person's display name")
    share_notes = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class ExportInvitationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    kind = serializers.ChoiceField(choices=Invitation.Kind.choices)
    team = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Invitation.State.choices)
    created_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)


class NotificationPreferencesSerializer(serializers.Serializer):
    """Per topic, how I hear of it besides the app: now (e-mail right away), daily (in a summary
    e-mail the next morning) or off (only in the app)."""

    def get_fields(self):
        return {
            topic: serializers.ChoiceField(choices=Delivery.choices, required=False, help_text=label)
            for topic, label in Topic.choices
        }


class ExportMarkSerializer(serializers.Serializer):
    text = serializers.CharField()
    met = serializers.BooleanField()
    note = serializers.CharField()

    def get_fields(self):
        # Added here: a class attribute `required` would shadow Field.required.
        return {**super().get_fields(), "required": serializers.BooleanField()}


class ExportReviewGivenOrReceivedSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MentorshipRole.choices, help_text="mentor: I gave it; mentee: I received it")
    other = serializers.CharField(help_text="The other person's display name")
    item = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    marks = ExportMarkSerializer(many=True)


class ExportMembershipSerializer(serializers.Serializer):
    team = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    joined_at = serializers.DateTimeField()


class ExportMentoringSerializer(serializers.Serializer):
    mentorships = ExportMentorshipSerializer(many=True)
    invitations_sent = ExportInvitationSerializer(many=True)
    reviews = ExportReviewGivenOrReceivedSerializer(many=True)
    notification_preferences = NotificationPreferencesSerializer()
    teams = ExportMembershipSerializer(many=True)


class ReviewRequestSerializer(serializers.Serializer):
    """An item of mine waiting for a review, and whom it is asked of."""

    item = serializers.CharField(source="item.key", help_text="The item's key")
    title = serializers.CharField(source="item.title")
    waiting_since = serializers.DateTimeField(help_text="Done, changed since its last review, or last asked")
    asked_of = serializers.SerializerMethodField(help_text="The one mentor asked; null: all my mentors, or nobody")
    withdrawn = serializers.BooleanField(help_text="Asked of nobody for now; it can be asked again at any time")
    can_change_from = serializers.SerializerMethodField(
        help_text="From when it may be asked of someone else (null: now, as it is withdrawn)"
    )

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_asked_of(self, obj) -> dict | None:
        return person(obj.asked_of) if obj.asked_of else None

    def get_can_change_from(self, obj) -> datetime.datetime | None:
        return None if obj.withdrawn else obj.waiting_since + datetime.timedelta(days=settings.REVIEW_ANSWER_DAYS)


class ReviewRequestWriteSerializer(serializers.Serializer):
    mentorship = serializers.IntegerField(
        allow_null=True, help_text="One of my mentorships (me/mentorships/) to ask; null: all my mentors"
    )
