"""Every write of mentoring goes through here; the pages and the API both call these."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from core import unsubscribe
from core.mail import mail_enqueue
from core.validators import single_line, validate_single_line
from mentoring.models import (
    INVITATIONS_PER_DAY,
    MARK_NOTE_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    TOPIC_OF,
    Delivery,
    Invitation,
    Membership,
    Mentorship,
    Message,
    Notification,
    NotificationPreference,
    Review,
    ReviewRequest,
    RubricMark,
    Team,
    Topic,
    display_name,
    token_digest,
)
from mentoring.selectors import review_queue
from progress import services as progress_services
from progress.models import REVIEW_COMMENT_MAX_LENGTH, ItemProgress, SkillRating, Verdict
from roadmap.models import Criterion, Item

# Codes the API turns into 409 and 429; the pages show the message whatever the code.
CONFLICT = "conflict"
RATE_LIMITED = "rate_limited"


def _refused(field: str | None, message: str, code: str = CONFLICT) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


UNSUBSCRIBE_SALT = "mentoring.notifications.unsubscribe"


def unsubscribe_url(user, topic: str) -> str:
    """A link that turns off e-mail about one topic in one click, no sign-in needed."""
    token = unsubscribe.make_token(user, UNSUBSCRIBE_SALT, topic)
    return settings.SITE_URL + reverse("mentoring:unsubscribe", args=[token])


def _notify(user, kind: str, message: str, url: str = "", *, detail: str = "", email: bool = True) -> None:
    """In the app always; by e-mail too when the person asked for the topic right away (through
    the outbox, in the write's transaction). `detail` (a review's comment) is in the e-mail only;
    `email=False` where a mail of its own says it already (an invitation)."""
    with transaction.atomic():
        notification = Notification.objects.create(user=user, kind=kind, message=message[:300], url=url)
        get_user_model().objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)
        topic = TOPIC_OF[kind]
        if email and NotificationPreference.objects.deliveries(user)[topic] == Delivery.NOW:
            leave = unsubscribe_url(user, topic)
            _mail(
                key=f"notification:{notification.pk}",
                template="notification",
                to=user.email,
                subject=message,
                context={
                    "notification": notification,
                    "detail": detail,
                    "link": settings.SITE_URL + url if url else settings.SITE_URL,
                    "topic": Topic(topic).label,
                    "unsubscribe_url": leave,
                    "preferences_url": settings.SITE_URL + reverse("mentoring:notifications") + "#preferences",
                },
                headers=unsubscribe.headers(leave),
            )


def _mail(*, key: str, template: str, to: str, subject: str, context: dict, headers=None) -> None:
    """Plain text and HTML, into the outbox in the write's transaction (core.mail): a rolled-back
    write sends nothing, a committed one is sent by a worker, once per `key`."""
    message = EmailMultiAlternatives(
        subject=single_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"),
        body=render_to_string(f"mentoring/email/{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"mentoring/email/{template}.html", context), "text/html")
    mail_enqueue(message, key=key)


def _accounts_of(email: str):
    """The accounts holding `email` as a verified address."""
    return get_user_model().objects.filter(emailaddress__email__iexact=email, emailaddress__verified=True)


def verified_addresses(user) -> set[str]:
    return {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    return email


def mentor_at_limit(mentor) -> bool:
    """The mentor already mentors as many learners as they said they take (mentee_limit)."""
    limit = mentor.mentee_limit
    return limit is not None and Mentorship.objects.of_mentor(mentor).count() >= limit


def _limit_reached(mentor, *, you: bool = False) -> str:
    """Why the mentor takes no one more, after their address (or "You")."""
    if mentor.mentee_limit == 0:
        return "are not taking mentees at the moment" if you else "is not taking mentees at the moment"
    if you:
        return f"already mentor as many learners as you take ({mentor.mentee_limit})"
    return f"already mentors as many learners as they take ({mentor.mentee_limit})"


def invitation_ask(invitation: Invitation) -> str:
    """What an invitation asks, as its e-mail, page and notification say it."""
    if invitation.kind == Invitation.Kind.TEAM:
        assert invitation.team is not None
        return f"{display_name(invitation.inviter)} invites you to join the team “{invitation.team.name}”"
    return f"{display_name(invitation.inviter)} asks you to be their mentor"


def invitation_create(*, inviter, email: str, base_url: str, team=None):
    """Invite a person by e-mail to be the inviter's mentor or, with `team`, to join it (the
    caller checks the inviter leads it). Returns (invitation, token): only the token's digest is
    stored, and the token is sent in the e-mail link."""
    email = _clean_email(email)
    if email == inviter.email.lower() or email in verified_addresses(inviter):
        raise ValidationError({"email": "You cannot invite yourself."})
    kind = Invitation.Kind.TEAM if team else Invitation.Kind.MENTOR
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One invitation at a time per inviter: the daily count below cannot be raced past.
        get_user_model().objects.select_for_update().filter(pk=inviter.pk).first()
        sent_today = Invitation.objects.sent_by(inviter).filter(created_at__gt=now - datetime.timedelta(days=1))
        if sent_today.count() >= INVITATIONS_PER_DAY:
            raise _refused(
                "email",
                f"You can send at most {INVITATIONS_PER_DAY} invitations a day. Try again tomorrow.",
                RATE_LIMITED,
            )
        if team is None and Mentorship.objects.of_mentee(inviter).filter(mentor__email__iexact=email):
            raise _refused("email", f"{email} is already your mentor.")
        invitees = list(_accounts_of(email))
        if team is None:
            full = next((u for u in invitees if mentor_at_limit(u)), None)
            if full is not None:
                raise _refused(
                    "email",
                    f"{email} {_limit_reached(full)}, so this invitation was not sent. "
                    "Invite another mentor, or ask them to raise their limit.",
                )
        if team is not None and team.memberships.filter(user__email__iexact=email).exists():
            raise _refused("email", f"{email} is already in {team.name}.")
        open_ones = Invitation.objects.filter(kind=kind, email=email, state=Invitation.State.PENDING)
        same = open_ones.filter(team=team) if team else open_ones.filter(inviter=inviter)
        same.filter(expires_at__lte=now).update(state=Invitation.State.EXPIRED)
        if same.filter(expires_at__gt=now).exists():
            raise _refused("email", f"An invitation to {email} is still open. Withdraw it to send a new one.")
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    kind=kind,
                    inviter=inviter,
                    team=team,
                    email=email,
                    token_hash=token_digest(token),
                    created_at=now,
                    expires_at=Invitation.expiry_from(now),
                )
        except IntegrityError:  # the same invitation sent twice at once
            raise _refused("email", f"An invitation to {email} is still open.") from None
        ask = invitation_ask(invitation)
        answer_at = reverse("mentoring:teams" if team else "mentoring:mentees")
        for invitee in invitees:
            _notify(invitee, Notification.Kind.INVITATION_RECEIVED, f"{ask}.", answer_at, email=False)
        link = base_url.rstrip("/") + reverse("mentoring:invitation", args=[token])
        _mail(
            key=f"invitation:{invitation.pk}",
            template="invitation",
            to=email,
            subject=ask,
            context={"inviter": inviter, "invitation": invitation, "link": link, "ask": ask},
        )
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("inviter", "team").filter(token_hash=token_digest(token)).first()


def _respond(invitation: Invitation, user, state: str) -> Invitation:
    """Accept or decline: only the account holding the invited address, verified, once."""
    if invitation.email not in verified_addresses(user):
        raise ValidationError(
            f"This invitation was sent to {invitation.email}. Sign in with that address (verified) to answer it."
        )
    with transaction.atomic():
        # of=self: the team is an outer join, which PostgreSQL cannot lock.
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("inviter", "team").get(pk=invitation.pk)
        )
        if invitation.status != Invitation.State.PENDING:
            raise _refused(
                None, f"This invitation was {invitation.get_status_display().lower()}; it cannot be answered."
            )
        if invitation.inviter_id == user.pk:
            raise ValidationError("You cannot accept your own invitation.")
        if invitation.team is not None and not invitation.team.memberships.filter(
            user=invitation.inviter_id, role=Membership.Role.LEAD
        ):
            # Withdrawn when its lead left or was removed; this holds for one sent before that rule.
            raise _refused(None, "Whoever sent this invitation no longer leads the team; ask a lead for a new one.")
        invitation.state, invitation.invitee, invitation.responded_at = state, user, timezone.now()
        invitation.save(update_fields=["state", "invitee", "responded_at"])
        team = invitation.team
        if state == Invitation.State.ACCEPTED and team is not None:
            if team.memberships.filter(user=user).exists():
                raise _refused(None, f"You are already in {team.name}.")
            Membership.objects.create(team=team, user=user)
        elif state == Invitation.State.ACCEPTED:
            if Mentorship.objects.of_mentee(invitation.inviter).filter(mentor=user).exists():
                raise _refused(None, "You already mentor this learner.")
            # Locked, and the limit read from the locked row: two acceptances at once cannot both
            # take the last place, and a limit changed meanwhile counts.
            mentor = get_user_model().objects.select_for_update().get(pk=user.pk)
            if mentor_at_limit(mentor):
                raise _refused(
                    None,
                    f"You {_limit_reached(mentor, you=True)}. "
                    "Raise your limit on “People I mentor” to accept, or decline the invitation.",
                )
            Mentorship.objects.create(mentee=invitation.inviter, mentor=user, invitation=invitation)
        verb = "accepted" if state == Invitation.State.ACCEPTED else "declined"
        what = f"to join {team.name}" if team else "to mentor you"
        _notify(
            invitation.inviter,
            Notification.Kind.INVITATION_ACCEPTED if verb == "accepted" else Notification.Kind.INVITATION_DECLINED,
            f"{display_name(user)} {verb} your invitation {what}.",
            reverse("mentoring:team", args=[team.slug]) if team else reverse("mentoring:mentors"),
        )
    return invitation


def invitation_accept(*, invitation: Invitation, user) -> Invitation:
    return _respond(invitation, user, Invitation.State.ACCEPTED)


def invitation_decline(*, invitation: Invitation, user) -> Invitation:
    return _respond(invitation, user, Invitation.State.DECLINED)


def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.State.PENDING:
            raise _refused(None, f"This invitation was {invitation.get_status_display().lower()} already.")
        invitation.state, invitation.responded_at = Invitation.State.WITHDRAWN, timezone.now()
        invitation.save(update_fields=["state", "responded_at"])
    return invitation


def mentorship_end(*, mentorship: Mentorship, by) -> Mentorship:
    """Either side ends it; the mentor's access ends with the commit, and what the learner asked of
    them alone goes back to all of the learner's mentors."""
    with transaction.atomic():
        ended = Mentorship.objects.active().filter(pk=mentorship.pk).update(ended_at=timezone.now(), ended_by=by)
        if ended:
            ReviewRequest.objects.filter(mentee=mentorship.mentee_id, mentor=mentorship.mentor_id).delete()
            other = mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee
            _notify(
                other,
                Notification.Kind.MENTORSHIP_ENDED,
                f"{display_name(by)} ended the mentorship.",
                reverse("mentoring:mentors" if other.pk == mentorship.mentee_id else "mentoring:mentees"),
            )
    mentorship.refresh_from_db()
    return mentorship


def mentorship_share_notes(*, mentorship: Mentorship, share: bool) -> Mentorship:
    Mentorship.objects.filter(pk=mentorship.pk).update(share_notes=share)
    mentorship.share_notes = share
    return mentorship


def _rubric_marks(item: Item, verdict: str, marks: dict[str, tuple[bool, str]]) -> list[RubricMark]:
    """The review's marks on the item's rubric (criterion key → met, note), unsaved. Verified
    needs every required criterion marked met; a criterion left unmarked is not recorded."""
    rubric = list(Criterion.objects.for_items([item]))
    unknown = sorted(set(marks) - {criterion.key for criterion in rubric})
    if unknown:
        raise ValidationError({"marks": f"Not on the rubric of “{item.title}”: {', '.join(unknown)}."})
    for _, note in marks.values():
        _at_most(note, MARK_NOTE_MAX_LENGTH, "marks", "a criterion's note")
    if verdict == Verdict.VERIFIED:
        not_met = [c.text for c in rubric if c.required and not marks.get(c.key, (False, ""))[0]]
        if not_met:
            raise ValidationError(
                {"marks": "Verified means every required criterion is met. Not met yet: " + "; ".join(not_met) + "."}
            )
    return [
        RubricMark(criterion=c, text=c.text, required=c.required, met=marks[c.key][0], note=marks[c.key][1].strip())
        for c in rubric
        if c.key in marks
    ]


def review_create(
    *,
    mentorship: Mentorship,
    item: Item,
    verdict: str,
    comment: str = "",
    marks: dict[str, tuple[bool, str]] | None = None,
) -> Review:
    """A mentor's verdict on one done item of their mentee, for the item as it is now, with the
    item's rubric marked (`marks`: criterion key → met, note)."""
    comment = (comment or "").strip()
    _at_most(comment, REVIEW_COMMENT_MAX_LENGTH, "comment", "comments")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Choose “verified” or “changes requested”."})
    if verdict == Verdict.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": "Say what should change."})
    rubric_marks = _rubric_marks(item, verdict, marks or {})
    mentee, mentor = mentorship.mentee, mentorship.mentor
    with transaction.atomic():
        if not Mentorship.objects.active().filter(pk=mentorship.pk).exists():
            raise _refused(None, "This mentorship has ended.")
        progress = ItemProgress.objects.select_for_update().filter(user=mentee, item=item).first()
        if progress is None:
            raise ValidationError({"item": "Only items marked done can be reviewed."})
        now = timezone.now()
        progress_services.item_review_record(
            progress=progress, reviewer=mentor, verdict=verdict, comment=comment, at=now
        )
        review = Review.objects.create(
            mentorship=mentorship,
            mentee=mentee,
            mentor=mentor,
            item=item,
            verdict=verdict,
            comment=comment,
            created_at=now,
            status=progress.status,
            note=progress.note,
            evidence_url=progress.evidence_url,
        )
        # Answered: a learner who asked one mentor keeps asking the one who answered.
        ReviewRequest.objects.filter(mentee=mentee, item=item).update(mentor=mentor, asked_at=now)
        for mark in rubric_marks:
            mark.review = review
        RubricMark.objects.bulk_create(rubric_marks)
        url = reverse("mentoring:my_thread", args=[item.key])
        _notify(
            mentee,
            Notification.Kind.REVIEW_RECEIVED,
            f"{display_name(mentor)}: “{item.title}” {review.get_verdict_display().lower()}.",
            url,
            detail=comment,
        )
    return review


def review_asked(record: ItemProgress) -> None:
    """A learner's item started waiting for a review: the mentors it waits for hear of it (the
    one it is asked of, or all of the learner's; nobody when the learner withdrew it)."""
    mentee, item = record.user, record.item
    asked = ReviewRequest.objects.filter(mentee=mentee, item=item).first()
    mentorships = Mentorship.objects.of_mentee(mentee).select_related("mentor")
    if asked is not None:
        mentorships = mentorships.filter(mentor=asked.mentor_id)  # none once withdrawn
    again = " again" if record.review_verdict else ""
    for mentorship in mentorships:
        _notify(
            mentorship.mentor,
            Notification.Kind.REVIEW_REQUESTED,
            f"{display_name(mentee)} asks{again} for a review of “{item.title}”.",
            reverse("mentoring:mentee_thread", args=[mentorship.pk, item.key]),
        )


def review_request_set(*, mentee, item: Item, mentorship: Mentorship | None, everyone: bool = False, now=None):
    """Whom the learner asks to review an item waiting for a review: one mentor (`mentorship`,
    one of theirs: the caller looked it up so), all of them (`everyone`) or nobody for now
    (withdrawn). Once asked, it may change after settings.REVIEW_ANSWER_DAYS without an answer; a
    withdrawn one may be asked again at any time. Returns the request row (None: everyone)."""
    now = now or timezone.now()
    mentor = mentorship.mentor if mentorship else None
    with transaction.atomic():
        record = review_queue(mentee).filter(item=item).first()
        if record is None:
            raise _refused(None, f"“{item.title}” is not waiting for a review: mark it done with an evidence link.")
        # The queue's row says whether a request row exists (asked) and whom it names.
        withdrawn = record.asked and record.asked_mentor is None
        if not withdrawn:
            waited = now - record.waiting_since
            if waited < datetime.timedelta(days=settings.REVIEW_ANSWER_DAYS):
                raise _refused(
                    None,
                    f"You can ask someone else once “{item.title}” has waited {settings.REVIEW_ANSWER_DAYS} days "
                    f"without an answer (it has waited {timesince(record.waiting_since, now)}).",
                )
        if mentor is not None and record.asked_mentor == mentor.pk:
            raise _refused(None, f"“{item.title}” is already waiting for {display_name(mentor)}.")
        if everyone:
            ReviewRequest.objects.filter(mentee=mentee, item=item).delete()
            return None
        request, _ = ReviewRequest.objects.update_or_create(
            mentee=mentee, item=item, defaults={"mentor": mentor, "asked_at": now}
        )
        if mentorship is not None:
            _notify(
                mentorship.mentor,
                Notification.Kind.REVIEW_REQUESTED,
                f"{display_name(mentee)} asks you to review “{item.title}”.",
                reverse("mentoring:mentee_thread", args=[mentorship.pk, item.key]),
            )
    return request


def _clean_message(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write a message first."})
    _at_most(text, MESSAGE_MAX_LENGTH, "text", "messages")
    return text


def _at_most(text: str, limit: int, field: str, what: str) -> None:
    if len(text) > limit:
        raise ValidationError({field: f"Keep {what} under {limit} characters (this one has {len(text)})."})


def message_post(*, mentee, item: Item, author, text: str) -> Message:
    """A message in the thread of the mentee's item, by the mentee or one of their current mentors
    (the caller looked the thread up through that access). The other side hears of it in the app."""
    text = _clean_message(text)
    with transaction.atomic():
        message = Message.objects.create(mentee=mentee, item=item, author=author, text=text)
        if author.pk == mentee.pk:
            for mentorship in Mentorship.objects.of_mentee(mentee).select_related("mentor"):
                link = reverse("mentoring:mentee_thread", args=[mentorship.pk, item.key])
                said = f"{display_name(mentee)} wrote on “{item.title}”."
                _notify(mentorship.mentor, Notification.Kind.MESSAGE_RECEIVED, said, link)
        else:
            link = reverse("mentoring:my_thread", args=[item.key])
            said = f"{display_name(author)} wrote on “{item.title}”."
            _notify(mentee, Notification.Kind.MESSAGE_RECEIVED, said, link)
    return message


def _own_recent(message: Message, author, now) -> None:
    if message.author_id != author.pk or message.removed_at is not None:
        raise ValidationError("Only its author can change a message, and not once it is removed.")
    window = datetime.timedelta(minutes=settings.MESSAGE_EDIT_MINUTES)
    if now - message.created_at > window:
        raise _refused(
            None, f"A message can be changed or removed for {settings.MESSAGE_EDIT_MINUTES} minutes after it is sent."
        )


def message_edit(*, message: Message, author, text: str, now=None) -> Message:
    now = now or timezone.now()
    _own_recent(message, author, now)
    message.text, message.edited_at = _clean_message(text), now
    message.save(update_fields=["text", "edited_at"])
    return message


def message_remove(*, message: Message, author, now=None) -> Message:
    now = now or timezone.now()
    _own_recent(message, author, now)
    message.text, message.removed_at = "", now
    message.save(update_fields=["text", "removed_at"])
    return message


def skill_rating_confirm(*, mentorship: Mentorship, skill, rating: int) -> SkillRating:
    """A mentor's rating of a skill their mentee rated: the same value confirms the mentee's, another
    is the mentor's suggestion. The mentee hears of it in the app."""
    mentee, mentor = mentorship.mentee, mentorship.mentor
    with transaction.atomic():
        if not Mentorship.objects.active().filter(pk=mentorship.pk).exists():
            raise _refused(None, "This mentorship has ended.")
        current = SkillRating.objects.select_for_update().filter(user=mentee, skill=skill).first()
        if current is None:
            raise ValidationError({"rating": f"{display_name(mentee)} has not rated {skill.name} yet."})
        progress_services.skill_mentor_rating_record(rating=current, reviewer=mentor, value=rating, at=timezone.now())
        said = (
            f"confirmed your rating of {skill.name} ({rating})"
            if current.mentor_confirmed
            else f"rates your {skill.name} {rating} (you: {current.rating})"
        )
        _notify(
            mentee,
            Notification.Kind.REVIEW_RECEIVED,
            f"{display_name(mentor)} {said}.",
            reverse("progress:skill_rate", args=[skill.slug]),
        )
    return current


def notification_preferences_set(*, user, deliveries: dict[str, str]) -> dict[str, str]:
    """Set how the person hears of some topics besides the app; returns every topic's delivery."""
    unknown = sorted(set(deliveries) - set(Topic.values))
    if unknown:
        raise ValidationError(f"No such topic: {', '.join(unknown)}.")
    for topic, delivery in deliveries.items():
        if delivery not in Delivery.values:
            raise ValidationError({topic: f"Choose one of {', '.join(Delivery.values)}."})
    with transaction.atomic():
        for topic, delivery in deliveries.items():
            NotificationPreference.objects.update_or_create(user=user, topic=topic, defaults={"delivery": delivery})
    return NotificationPreference.objects.deliveries(user)


def notifications_mark_read(*, user, ids=None) -> int:
    with transaction.atomic():
        unread = Notification.objects.for_user(user).unread()
        if ids is not None:
            unread = unread.filter(pk__in=ids)
        marked = unread.update(read_at=timezone.now())
        if marked:
            count = F("unread_notifications") - marked
            get_user_model().objects.filter(pk=user.pk).update(unread_notifications=Greatest(count, 0))
    return marked


# --- teams ---------------------------------------------------------------------------------


def _team_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from None
    return name


def team_create(*, user, name: str, slug: str) -> Team:
    """A new team, led by the person who creates it."""
    name = _team_name(name)
    with transaction.atomic():
        if Team.objects.filter(slug=slug).exists():
            raise _refused("slug", f"The address “{slug}” is taken; choose another.")
        try:
            with transaction.atomic():
                team = Team.objects.create(name=name, slug=slug)
        except IntegrityError:
            raise _refused("slug", f"The address “{slug}” is taken; choose another.") from None
        Membership.objects.create(team=team, user=user, role=Membership.Role.LEAD)
    return team


def team_rename(*, team: Team, name: str) -> Team:
    team.name = _team_name(name)
    team.save(update_fields=["name"])
    return team


def member_promote(*, membership: Membership) -> Membership:
    """A lead makes another member a lead."""
    membership.role = Membership.Role.LEAD
    membership.save(update_fields=["role"])
    return membership


def _withdraw_team_invitations(membership: Membership) -> None:
    """A lead who leaves the team, or is removed from it, no longer invites anyone to it."""
    Invitation.objects.filter(
        team=membership.team_id, inviter=membership.user_id, state=Invitation.State.PENDING
    ).update(state=Invitation.State.WITHDRAWN, responded_at=timezone.now())


def teams_before_account_delete(user) -> None:
    """Registered in accounts.services.BEFORE_DELETE: a team never loses its last lead to a
    deleted account. A team they are alone in goes with them."""
    for mine in Membership.objects.filter(user=user, role=Membership.Role.LEAD).select_related("team"):
        others = mine.team.memberships.exclude(pk=mine.pk)
        if not others.exists():
            mine.team.delete()
        elif not others.filter(role=Membership.Role.LEAD).exists():
            raise ValidationError(
                f"You are the last lead of {mine.team.name}: make another member a lead (or leave the team) first."
            )


def member_remove(*, membership: Membership, by) -> None:
    """A lead removes a member (not themselves: that is leaving); access ends with the commit."""
    if membership.user_id == by.pk:
        raise ValidationError("To take yourself out of the team, leave it.")
    with transaction.atomic():
        membership.delete()
        _withdraw_team_invitations(membership)
        _notify(
            membership.user,
            Notification.Kind.TEAM_LEFT,
            f"{display_name(by)} removed you from {membership.team.name}.",
            reverse("mentoring:teams"),
        )


def member_leave(*, membership: Membership, successor: Membership | None = None) -> None:
    """Leave a team. The last lead names another member as lead first (or leaves alone)."""
    team = membership.team
    with transaction.atomic():
        # Locked: two last leads leaving at once must not leave the team without one.
        leads = list(Membership.objects.select_for_update().filter(team=team, role=Membership.Role.LEAD))
        others = team.memberships.exclude(pk=membership.pk)
        if membership.role == Membership.Role.LEAD and not any(m.pk != membership.pk for m in leads):
            if successor is not None and successor.team_id == team.pk and successor.pk != membership.pk:
                member_promote(membership=successor)
            elif others.exists():
                raise ValidationError(
                    {"successor": "You are the team’s last lead: make another member a lead before you leave."}
                )
        membership.delete()
        _withdraw_team_invitations(membership)
        if not others.exists():
            team.delete()  # nobody left to see it
