"""The mentoring part of a learner's export: mentorships on both sides, invitations sent, reviews
received and given with their rubric marks, e-mail choices, teams. Registered with
progress.export in MentoringConfig.ready."""

from django.db.models import Q

from mentoring.models import Invitation, Membership, Mentorship, NotificationPreference, Review


def _iso(value):
    return value.isoformat() if value else None


def mentoring_export(user) -> dict:
    mentorships = Mentorship.objects.filter(Q(mentee=user) | Q(mentor=user)).select_related("mentee", "mentor")
    reviews = (
        Review.objects.filter(Q(mentee=user) | Q(mentor=user))
        .select_related("item", "mentee", "mentor")
        .prefetch_related("marks")
    )
    return {
        "mentorships": [
            {
                "role": "mentor" if m.mentor_id == user.pk else "mentee",
                "other": (m.mentee if m.mentor_id == user.pk else m.mentor).get_short_name(),
                "share_notes": m.share_notes,
                "started_at": _iso(m.started_at),
                "ended_at": _iso(m.ended_at),
            }
            for m in mentorships.order_by("started_at", "pk")
        ],
        "invitations_sent": [
            {
                "email": i.email,
                "kind": i.kind,
                "team": i.team.slug if i.team else None,
                "status": i.state,
                "created_at": _iso(i.created_at),
                "responded_at": _iso(i.responded_at),
            }
            for i in Invitation.objects.sent_by(user).select_related("team").order_by("created_at", "pk")
        ],
        "reviews": [
            {
                "role": "mentor" if r.mentor_id == user.pk else "mentee",
                "other": (r.mentee if r.mentor_id == user.pk else r.mentor).get_short_name(),
                "item": r.item.key,
                "verdict": r.verdict,
                "comment": r.comment,
                "created_at": _iso(r.created_at),
                "marks": [
                    {"text": m.text, "required": m.required, "met": m.met, "note": m.note} for m in r.marks.all()
                ],
            }
            for r in reviews.order_by("created_at", "pk")
        ],
        "notification_preferences": NotificationPreference.objects.deliveries(user),
        "teams": [
            {"team": m.team.slug, "name": m.team.name, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("team").order_by("joined_at", "pk")
        ],
    }
