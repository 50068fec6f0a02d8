"""Mentoring pages. Every object is looked up through a queryset scoped to the signed-in person,
so what they have no access to is a 404, whatever the id."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.adapters import RETURN_TO_SESSION_KEY
from core.forms import errors_text, validated_write
from core.http import base_url
from core.unsubscribe import read_token
from mentoring import services
from mentoring.forms import (
    InvitationForm,
    MenteeLimitForm,
    MentoringPreferencesForm,
    MessageForm,
    NotificationPreferencesForm,
    ReviewForm,
    ShareNotesForm,
)
from mentoring.models import (
    Delivery,
    Invitation,
    Mentorship,
    Message,
    Notification,
    NotificationPreference,
    Review,
    Topic,
)
from mentoring.selectors import (
    asked_of,
    mentee_rows,
    mentor_invitations_to_answer,
    overdue_before,
    review_queue,
    review_queue_with_rubrics,
    thread,
)
from progress.forms import SkillRatingForm
from progress.models import SkillRating
from progress.reads import keys
from progress.reads.summary import learner_summary
from progress.views import packet_response
from roadmap.models import Criterion, Item, Skill

NOTIFICATIONS_SHOWN = 50
REVIEWS_SHOWN = 50


def _message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mentors(request):
    """The learner's side: invite a mentor, see invitations, mentors and the reviews received."""
    user = request.user
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and validated_write(
        form, lambda data: services.invitation_create(inviter=user, email=data["email"], base_url=base_url(request))
    ):
        messages.success(request, f"Invitation sent to {form.cleaned_data['email'].lower()}.")
        return redirect("mentoring:mentors")
    mentorships = list(Mentorship.objects.of_mentee(user).select_related("mentor"))
    context = {
        "form": form,
        "mentorships": mentorships,
        "invitations": Invitation.objects.sent_by(user).filter(kind=Invitation.Kind.MENTOR)[:50],
        "reviews": Review.objects.of_mentee(user).select_related("mentor", "item")[:REVIEWS_SHOWN],
        "waiting": asked_of(review_queue(user), mentorships),
        **_waiting_clock(),
        "preferences": MentoringPreferencesForm(instance=user),
    }
    return render(request, "mentoring/mentors.html", context)


# What the learner's "Ask" control sends besides a mentorship id.
ASK_EVERYONE, ASK_NOBODY = "everyone", "nobody"


@require_POST
@login_required
def review_request(request, key):
    """The learner asks one of their mentors, all of them, or nobody for now (withdraws) to review
    an item that has waited too long, or asks again after withdrawing it."""
    user = request.user
    item = get_object_or_404(Item, key=key)
    ask = request.POST.get("ask", "")
    mentorship = None
    if ask not in (ASK_EVERYONE, ASK_NOBODY):
        if not ask.isdigit():
            messages.error(request, "Choose whom to ask.")
            return redirect("mentoring:mentors")
        mentorship = get_object_or_404(Mentorship.objects.of_mentee(user).select_related("mentor"), pk=ask)
    try:
        services.review_request_set(mentee=user, item=item, mentorship=mentorship, everyone=ask == ASK_EVERYONE)
    except ValidationError as error:
        messages.error(request, _message_of(error))
        return redirect("mentoring:mentors")
    if mentorship is not None:
        said = f"asked of {services.display_name(mentorship.mentor)}"
    else:
        said = "asked of all your mentors" if ask == ASK_EVERYONE else "withdrawn: nobody is asked for now"
    messages.success(request, f"“{item.title}”: {said}.")
    return redirect(reverse("mentoring:mentors") + "#waiting-heading")


def _waiting_clock() -> dict:
    """What the pages need to say how long a review request has waited, and whether too long."""
    now = timezone.now()
    return {"now": now, "overdue_before": overdue_before(now), "answer_days": settings.REVIEW_ANSWER_DAYS}


@require_POST
@login_required
def preferences(request):
    form = MentoringPreferencesForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Mentoring preferences saved.")
    return redirect("mentoring:mentors")


@require_POST
@login_required
def invitation_withdraw(request, pk):
    invitation = get_object_or_404(Invitation.objects.sent_by(request.user), pk=pk)
    try:
        services.invitation_withdraw(invitation=invitation)
        messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    except ValidationError as error:
        messages.error(request, _message_of(error))
    return redirect("mentoring:mentors")


@require_POST
@login_required
def share_notes(request, pk):
    mentorship = get_object_or_404(Mentorship.objects.of_mentee(request.user).select_related("mentor"), pk=pk)
    form = ShareNotesForm(request.POST)
    form.is_valid()
    share = form.cleaned_data.get("share_notes", False)
    services.mentorship_share_notes(mentorship=mentorship, share=share)
    name = services.display_name(mentorship.mentor)
    messages.success(request, f"Your notes are {'shared with' if share else 'hidden from'} {name}.")
    return redirect("mentoring:mentors")


@require_POST
@login_required
def mentorship_end(request, pk):
    user = request.user
    mentorship = get_object_or_404(
        Mentorship.objects.active().filter(Q(mentee=user) | Q(mentor=user)).select_related("mentee", "mentor"), pk=pk
    )
    services.mentorship_end(mentorship=mentorship, by=user)
    other = mentorship.mentor if mentorship.mentee_id == user.pk else mentorship.mentee
    messages.success(request, f"The mentorship with {services.display_name(other)} has ended.")
    return redirect("mentoring:mentors" if mentorship.mentee_id == user.pk else "mentoring:mentees")


@require_safe
@login_required
def mentees(request):
    """The mentor's side: invitations to answer, and one row per mentee."""

    def render_table(rows):
        return len(rows), render_to_string("mentoring/_mentees_table.html", {"rows": rows})

    # Like a team's table, a mentor's costs more to render than to read: cached until a mentee
    # changes. Its count comes from the same read: "You mentor N" never disagrees with the table.
    mentoring, table = mentee_rows(request.user, keys.MENTEES_TABLE, render_table)
    context = {
        "table": mark_safe(table),
        "received": mentor_invitations_to_answer(request.user),
        "limit_form": MenteeLimitForm(instance=request.user),
        "mentoring": mentoring,
    }
    return render(request, "mentoring/mentees.html", context)


@require_POST
@login_required
def mentee_limit(request):
    form = MenteeLimitForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        limit = form.cleaned_data["mentee_limit"]
        messages.success(request, "No limit on mentees." if limit is None else f"You take at most {limit} mentees.")
    else:
        messages.error(request, errors_text(form))
    return redirect("mentoring:mentees")


def _mentorship_as_mentor(request, pk) -> Mentorship:
    return get_object_or_404(Mentorship.objects.of_mentor(request.user).select_related("mentee"), pk=pk)


def readonly_dashboard(mentee) -> str:
    """The mentee's dashboard as they see it, without controls or notes: the same summary."""

    def render_body(learner):
        return render_to_string(
            "progress/_dashboard_body.html", {"summary": learner_summary(learner), "readonly": True, "learner": learner}
        )

    # Safe: our own template output.
    return mark_safe(keys.DASHBOARD_READONLY.of(mentee, render_body))


@require_safe
@login_required
def mentee_detail(request, pk):
    mentorship = _mentorship_as_mentor(request, pk)
    return _mentee_page(request, mentorship)


@require_safe
@login_required
@never_cache
def mentee_packet(request, pk, as_pdf=False):
    """The mentee's promotion packet, as they would print it (evidence links included: a mentor
    reviews them anyway)."""
    mentorship = _mentorship_as_mentor(request, pk)
    return packet_response(
        request,
        mentorship.mentee,
        as_pdf=as_pdf,
        pdf_url=reverse("mentoring:mentee_packet_pdf", args=[pk]),
        back_url=reverse("mentoring:mentee", args=[pk]),
    )


def _mentee_page(request, mentorship, failed_form=None, failed_key=None, status=200):
    mentee = mentorship.mentee
    context = {
        "mentorship": mentorship,
        "mentee": mentee,
        "body": readonly_dashboard(mentee),
        "queue": review_queue_with_rubrics(mentee, mentorship.mentor),
        **_waiting_clock(),
        "failed_form": failed_form,
        "failed_key": failed_key,
        "recent_reviews": Review.objects.filter(mentorship=mentorship).select_related("item")[:10],
        "ratings": SkillRating.objects.for_user(mentee).select_related("skill").order_by("skill__name"),
        "rating_choices": SkillRating.Rating.choices,
    }
    return render(request, "mentoring/mentee_detail.html", context, status=status)


def _thread_page(request, mentee, item, *, post_url, back_url, show_notes, mentorship=None, failed_review=None):
    """The thread of one item of `mentee`, as the learner or one of their mentors sees it; a
    message posted here comes back to the same page, and so does a refused review (`failed_review`)."""
    posted = request.method == "POST" and failed_review is None
    form = MessageForm(request.POST if posted else None)
    status = 400 if failed_review else 200
    if posted:
        sent = validated_write(
            form, lambda data: services.message_post(mentee=mentee, item=item, author=request.user, text=data["text"])
        )
        if sent:
            messages.success(request, "Message sent.")
            return redirect(post_url + f"#message-{sent.pk}")
        status = 400
    context = {
        "thread": thread(mentee, item),
        "mentee": mentee,
        "mentorship": mentorship,
        "form": form,
        "post_url": post_url,
        "back_url": back_url,
        "show_notes": show_notes,
        "edit_until": timezone.now() - datetime.timedelta(minutes=settings.MESSAGE_EDIT_MINUTES),
        "failed_form": failed_review,
        "failed_key": item.key if failed_review else None,
    }
    return render(request, "mentoring/thread.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def my_thread(request, key):
    """The learner's side of an item's thread: every iteration with its verdict, and the messages."""
    item = get_object_or_404(Item.objects.select_related("stage", "level"), key=key)
    return _thread_page(
        request,
        request.user,
        item,
        post_url=reverse("mentoring:my_thread", args=[key]),
        back_url=reverse("mentoring:mentors"),
        show_notes=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mentee_thread(request, pk, key):
    """A mentor's side: the same thread, what changed since the last review, and the review form."""
    return _mentee_thread_page(request, pk, key)


def _mentee_thread_page(request, pk, key, failed_review=None):
    mentorship = _mentorship_as_mentor(request, pk)
    item = get_object_or_404(Item.objects.select_related("stage", "level"), key=key)
    return _thread_page(
        request,
        mentorship.mentee,
        item,
        post_url=reverse("mentoring:mentee_thread", args=[pk, key]),
        back_url=reverse("mentoring:mentee", args=[pk]),
        show_notes=mentorship.share_notes,
        mentorship=mentorship,
        failed_review=failed_review,
    )


@require_POST
@login_required
def message_change(request, pk, action):
    """Its author changes or removes a message, within settings.MESSAGE_EDIT_MINUTES; anyone else,
    and a mentor whose mentorship ended, gets a 404."""
    message = get_object_or_404(Message.objects.select_related("item"), pk=pk, author=request.user)
    if message.mentee_id == request.user.pk:
        back = reverse("mentoring:my_thread", args=[message.item.key])
    else:
        mentorship = get_object_or_404(Mentorship.objects.of_mentor(request.user), mentee=message.mentee_id)
        back = reverse("mentoring:mentee_thread", args=[mentorship.pk, message.item.key])
    if action == "edit":
        form, done = MessageForm(request.POST), "Message changed."

        def write(data):
            return services.message_edit(message=message, author=request.user, text=data["text"])
    else:
        form, done = forms.Form(request.POST), "Message removed."

        def write(data):
            return services.message_remove(message=message, author=request.user)

    if validated_write(form, write):
        messages.success(request, done)
    else:
        messages.error(request, errors_text(form))
    return redirect(back + f"#message-{message.pk}")


@require_POST
@login_required
def skill_confirm(request, pk, slug):
    """The mentor's rating of one skill of the mentee: the same as theirs confirms it."""
    mentorship = _mentorship_as_mentor(request, pk)
    skill = get_object_or_404(Skill, slug=slug)
    form = SkillRatingForm(request.POST)
    saved = validated_write(
        form,
        lambda data: services.skill_rating_confirm(mentorship=mentorship, skill=skill, rating=data["rating"]),
    )
    if saved:
        done = "confirmed" if saved.mentor_confirmed else f"your rating {saved.mentor_rating} saved as a suggestion"
        messages.success(request, f"{skill.name}: {done}.")
    else:
        messages.error(request, f"{skill.name}: {errors_text(form)}")
    return redirect(reverse("mentoring:mentee", args=[pk]) + "#mentor-skills-heading")


@require_POST
@login_required
def review(request, pk, key):
    mentorship = _mentorship_as_mentor(request, pk)
    item = get_object_or_404(Item, key=key)
    form = ReviewForm(request.POST, rubric=Criterion.objects.for_items([item]))
    saved = validated_write(
        form,
        lambda data: services.review_create(
            mentorship=mentorship,
            item=item,
            verdict=data["verdict"],
            comment=data["comment"],
            marks=data["marks"],
        ),
    )
    if request.POST.get("back") == "thread":
        if not saved:
            return _mentee_thread_page(request, pk, key, failed_review=form)
        messages.success(request, f"“{item.title}”: {saved.get_verdict_display().lower()}.")
        return redirect("mentoring:mentee_thread", pk, key)
    if not saved:
        if not review_queue(mentorship.mentee, mentorship.mentor).filter(item=item).exists():
            # No form of this item on the page to show the error beside: say it at the top.
            messages.error(request, f"“{item.title}”: {' '.join(form.non_field_errors())}")
        return _mentee_page(request, mentorship, failed_form=form, failed_key=key, status=400)
    messages.success(request, f"“{item.title}”: {saved.get_verdict_display().lower()}.")
    return redirect("mentoring:mentee", pk)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache  # it names the invited address: no shared cache or history may keep it
def invitation(request, token):
    """The link in the e-mail. Anyone holding it sees who invites; only the account with the
    invited address (verified) can answer."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        return _answer(request, invitation, request.POST.get("action"), back=request.path)
    if not request.user.is_authenticated:
        # Whether they sign in or sign up (and confirm the address), they come back here.
        request.session[RETURN_TO_SESSION_KEY] = request.path
    addressee = request.user.is_authenticated and invitation.email in services.verified_addresses(request.user)
    context = {"invitation": invitation, "addressee": addressee, "ask": services.invitation_ask(invitation)}
    return render(request, "mentoring/invitation.html", context)


def _answer(request, invitation, action, back):
    if action not in ("accept", "decline"):
        messages.error(request, "Choose accept or decline.")
        return redirect(back)
    answer = services.invitation_accept if action == "accept" else services.invitation_decline
    try:
        answer(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, _message_of(error))
        return redirect(back)
    name = services.display_name(invitation.inviter)
    if invitation.team is not None:
        if action == "accept":
            messages.success(request, f"You joined {invitation.team.name}.")
            return redirect("mentoring:team", invitation.team.slug)
        messages.success(request, f"You declined the invitation to {invitation.team.name}.")
        return redirect("mentoring:teams")
    if action == "accept":
        messages.success(request, f"You now mentor {name}.")
    else:
        messages.success(request, f"You declined {name}’s invitation.")
    return redirect("mentoring:mentees")


@require_POST
@login_required
def invitation_answer(request, pk):
    """Answer an invitation listed on the Mentees page (sent to one of the person's addresses)."""
    invitation = get_object_or_404(Invitation.objects.addressed_to(request.user).select_related("team"), pk=pk)
    back = "mentoring:teams" if invitation.team_id else "mentoring:mentees"
    return _answer(request, invitation, request.POST.get("action"), back=back)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notifications(request):
    mine = Notification.objects.for_user(request.user)
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("mentoring:notifications")
    context = {
        "notifications": mine[:NOTIFICATIONS_SHOWN],
        "preferences": NotificationPreferencesForm(deliveries=NotificationPreference.objects.deliveries(request.user)),
    }
    return render(request, "mentoring/notifications.html", context)


@require_POST
@login_required
def notification_preferences(request):
    deliveries = NotificationPreference.objects.deliveries(request.user)
    form = NotificationPreferencesForm(request.POST, deliveries=deliveries)
    if validated_write(form, lambda data: services.notification_preferences_set(user=request.user, deliveries=data)):
        messages.success(request, "E-mail choices saved.")
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse("mentoring:notifications") + "#preferences")


@csrf_exempt  # the signed token is the credential; mail clients post here without a page (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The link in every notification e-mail, for its topic. No sign-in needed: GET asks (link
    scanners follow links), POST turns e-mail about the topic off."""
    found = read_token(token, services.UNSUBSCRIBE_SALT)
    if found is None or found[1] not in Topic.values:
        raise Http404("This unsubscribe link is not valid.")
    person, topic = found
    context = {"person": person, "token": token, "topic": Topic(topic).label}
    if request.method == "POST":
        services.notification_preferences_set(user=person, deliveries={topic: Delivery.OFF})
        context["done"] = True
    return render(request, "mentoring/unsubscribe.html", context)
