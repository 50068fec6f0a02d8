"""A small, realistic world to look at: a learner nine weeks in, her mentor, her team, and a
learner who has just signed up. Used by `make screenshots`; safe to run again (it starts over)."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mentoring import services as mentoring
from mentoring.models import Membership, Mentorship
from progress import services
from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange
from roadmap.models import KPI, Criterion, Item, Level, LevelSkill

PASSWORD = "demo-learner-pass-42"
DOMAIN = "demo.example"
WEEKS = 9


def _account(local: str, name: str, **fields) -> User:
    user = User.objects.create_user(f"{local}@{DOMAIN}", PASSWORD, name=name, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


class Command(BaseCommand):
    help = f"Demo learners (password {PASSWORD}): maya@{DOMAIN} nine weeks in, sam@ her mentor, new@ just signed up."

    @transaction.atomic
    def handle(self, *args, **options):
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        rng = random.Random(7)
        now = timezone.now()
        junior, engineer = Level.objects.order_by("order")[:2]
        started = now - datetime.timedelta(weeks=WEEKS)
        maya = _account(
            "maya",
            "Maya Chen",
            current_level=junior,
            target_level=engineer,
            onboarded_at=started,
            target_date=timezone.localdate() + datetime.timedelta(days=150),
            weekly_goal=3,
        )
        sam = _account("sam", "Sam Okafor", current_level=engineer, onboarded_at=started)
        tom = _account("tom", "Tom Berg", current_level=junior, target_level=engineer, onboarded_at=started)
        _account("new", "", current_level=junior, target_level=engineer, onboarded_at=now)

        roadmap = list(Item.objects.current().filter(stage__level=junior).order_by("stage__order", "order"))
        for n, item in enumerate(roadmap[:22]):
            note = "Worked through it with a notebook." if n % 4 == 0 else ""
            services.item_progress_set(
                user=maya, item=item, status="done", note=note, evidence_url=f"https://github.com/maya/ml-{n}"
            )
            done_at = started + datetime.timedelta(days=n * WEEKS * 7 / 23, hours=rng.randint(8, 20))
            ItemProgress.objects.filter(user=maya, item=item).update(
                started_at=done_at - datetime.timedelta(days=2), completed_at=done_at, updated_at=done_at
            )
        for item in roadmap[22:25]:
            services.item_progress_set(user=maya, item=item, status="in_progress")
        for item in roadmap[:6]:
            services.item_progress_set(user=tom, item=item, status="done")

        for n, level_skill in enumerate(LevelSkill.objects.filter(level=junior).select_related("skill")):
            if n % 5 != 4:  # a few left unrated, as real learners do
                services.skill_rating_set(user=maya, skill=level_skill.skill, rating=rng.choice([1, 2, 2, 3, 3, 4]))
                services.skill_rating_set(user=tom, skill=level_skill.skill, rating=rng.choice([1, 2, 3]))
        rated_at = started + datetime.timedelta(days=3)
        SkillRatingChange.objects.filter(user=maya).update(changed_at=rated_at)
        SkillRating.objects.filter(user=maya).update(confirmed_at=rated_at)
        # Two ratings from long before, never confirmed since: due for a refresh.
        long_ago = timezone.now() - datetime.timedelta(days=200)
        old_skills = list(SkillRating.objects.filter(user=maya).order_by("pk").values_list("skill_id", flat=True)[:2])
        SkillRatingChange.objects.filter(user=maya, skill__in=old_skills).update(changed_at=long_ago)
        SkillRating.objects.filter(user=maya, skill__in=old_skills).update(confirmed_at=long_ago)

        for kpi in KPI.objects.filter(level=junior):
            target = float(kpi.target)
            value = target * (1.4 if kpi.direction == "lower" else 0.6)
            for week in range(0, WEEKS, 2):
                step = (target - value) / 4
                value = value + step + rng.uniform(-abs(step), abs(step)) / 3
                day = timezone.localdate() - datetime.timedelta(weeks=WEEKS - week)
                services.kpi_measurement_create(user=maya, kpi=kpi, value=round(value, 1), measured_on=day)
        for measurement in KPIMeasurement.objects.filter(user=maya):
            KPIMeasurement.objects.filter(pk=measurement.pk).update(
                created_at=timezone.make_aware(datetime.datetime.combine(measurement.measured_on, datetime.time(18)))
            )

        invitation, _ = mentoring.invitation_create(inviter=maya, email=sam.email, base_url="http://localhost")
        mentoring.invitation_accept(invitation=invitation, user=sam)
        mentorship = Mentorship.objects.get(mentor=sam, mentee=maya)
        for item in roadmap[:5]:
            met = {criterion.key: (True, "") for criterion in Criterion.objects.for_items([item])}
            mentoring.review_create(mentorship=mentorship, item=item, verdict="verified", marks=met)
        rubric = list(Criterion.objects.for_items([roadmap[6]]))
        mentoring.review_create(
            mentorship=mentorship,
            item=roadmap[6],
            verdict="changes_requested",
            comment="Add a baseline model so the numbers mean something.",
            marks={c.key: (i == 0, "" if i == 0 else "No baseline to compare with yet.") for i, c in enumerate(rubric)},
        )
        team = mentoring.team_create(user=sam, name="Vision guild", slug="vision-guild")
        Membership.objects.create(team=team, user=maya)
        Membership.objects.create(team=team, user=tom)
        for user in (maya, sam, tom):
            services.records_changed(user)
        self.stdout.write(f"Demo learners ready: maya@{DOMAIN}, sam@{DOMAIN}, new@{DOMAIN} (password {PASSWORD})")
