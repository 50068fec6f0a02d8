"""A learner's own data, for "Export my data". The API's export uses the same functions."""

import csv
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from progress.models import ItemProgress, KPIMeasurement, PracticeCard, SkillRating, SkillRatingChange
from progress.reads import rules
from progress.reads.summary import learner_summary

CSV_COLUMNS = [
    "item_key",
    "item_kind",
    "item_title",
    "level",
    "stage",
    "status",
    "note",
    "evidence_url",
    "started_at",
    "completed_at",
    "updated_at",
]


# Sections kept by apps above progress (mentoring adds its own in its AppConfig.ready): name ->
# (a function of the learner giving JSON-ready data, a function making the DRF field that
# documents it). progress cannot import those apps, so they register here.
SECTIONS: dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]] = {}


def _iso(value):
    return value.isoformat() if value else None


def _item_rows(user):
    return (
        ItemProgress.objects.for_user(user)
        .select_related("item__level", "item__stage__level")
        .order_by("item__kind", "item__key")
    )


def export_data(user) -> dict:
    """Everything the learner recorded, with stable keys instead of database ids."""
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.name,
            "date_joined": _iso(user.date_joined),
            "years_of_experience": user.years_of_experience,
            "current_level": user.current_level.slug if user.current_level else None,
            "target_level": user.target_level.slug if user.target_level else None,
            "specialization": user.specialization.slug if user.specialization else None,
            "preferred_track": user.preferred_track,
            "public_sharing": user.public_sharing,
            "public_show_evidence": user.public_show_evidence,
            "target_date": user.target_date.isoformat() if user.target_date else None,
            "weekly_goal": user.weekly_goal,
            "digest_opt_in": user.digest_opt_in,
        },
        "items": [
            {
                "item": p.item.key,
                "kind": p.item.kind,
                "title": p.item.title,
                "status": p.status,
                "note": p.note,
                "evidence_url": p.evidence_url,
                "expires_on": _iso(p.expires_on),
                "started_at": _iso(p.started_at),
                "completed_at": _iso(p.completed_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in _item_rows(user)
        ],
        "skill_ratings": [
            {
                "skill": r.skill.slug,
                "rating": r.rating,
                "updated_at": _iso(r.updated_at),
                "confirmed_at": _iso(r.confirmed_at),
            }
            for r in SkillRating.objects.for_user(user).select_related("skill").order_by("skill__slug")
        ],
        "skill_rating_history": [
            {"skill": c.skill.slug, "rating": c.rating, "changed_at": _iso(c.changed_at)}
            for c in SkillRatingChange.objects.filter(user=user).select_related("skill")
        ],
        "kpi_measurements": [
            {
                "kpi": m.kpi.slug,
                "value": float(m.value),
                "measured_on": m.measured_on.isoformat(),
                "note": m.note,
                "evidence_url": m.evidence_url,
                "created_at": _iso(m.created_at),
            }
            for m in KPIMeasurement.objects.for_user(user).select_related("kpi")
        ],
        "practice": [
            {
                "question": card.item.key,
                "due": _iso(card.due),
                "stability": card.stability,
                "reviews": [
                    {"grade": r.grade, "answer": r.answer, "reviewed_at": _iso(r.reviewed_at)}
                    for r in card.reviews.all()
                ],
            }
            for card in PracticeCard.objects.for_user(user).select_related("item").prefetch_related("reviews")
        ],
        "insight": _insight(user),
        **{name: build(user) for name, (build, _) in SECTIONS.items()},
    }


def _insight(user) -> dict:
    """What the dashboard derives for a career decision, as of the export's day: the forecast and
    its band, the salary gap to the next (and target) level per guide, the ratings due a refresh."""
    summary = learner_summary(user)
    today = timezone.localdate()
    plan = summary.plan
    return {
        "as_of": today.isoformat(),
        "forecast": {
            "status": plan.status,
            "forecast": _iso(plan.forecast),
            "forecast_early": _iso(plan.forecast_early),
            "forecast_late": _iso(plan.forecast_late),
            "band": plan.band,
            "pace": plan.pace,
            "pace_spread": plan.pace_spread,
        }
        if plan
        else None,
        "salary_gaps": [
            {
                "level": level.slug,
                "source": gap.source.key,
                "low_difference": gap.low,
                "high_difference": gap.high,
                "currency": next((band.currency for band in (gap.upper, gap.lower) if band), None),
            }
            for level, gaps in summary.salary_gaps
            for gap in gaps
        ],
        "skills_due_for_refresh": sorted(
            SkillRating.objects.for_user(user)
            .filter(confirmed_at__lt=rules.stale_before(today))
            .values_list("skill__slug", flat=True)
        ),
    }


def export_csv(user) -> str:
    """One row per tracked item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in _item_rows(user):
        row = [
            p.item.key,
            p.item.kind,
            p.item.title,
            p.item.ladder_level.slug,
            p.item.stage.slug if p.item.stage else "",
            p.status,
            p.note,
            p.evidence_url,
            _iso(p.started_at) or "",
            _iso(p.completed_at) or "",
            _iso(p.updated_at) or "",
        ]
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def safe_cell(value: str) -> str:
    # A note starting with "=" would run as a formula when the file is opened in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
