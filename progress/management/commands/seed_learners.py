"""Synthetic learners with realistic, reproducible progress, for load tests and benchmarks.

Learner i of seed S always gets the same level, statuses, ratings and measurements, whichever
batch it is written in. A batch of learners per transaction; on PostgreSQL their records go in
with COPY (100,000 learners are about ten million rows), elsewhere with bulk inserts.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from tqdm import tqdm

from progress.models import ItemProgress, KPIMeasurement, SkillRating, SkillRatingChange, Status
from roadmap.models import KPI, Item, Level, LevelSkill

EMAIL_DOMAIN = "seed.invalid"
PASSWORD = "seeded-learner-pass-42"
LEVEL_WEIGHTS = [40, 30, 15, 8, 5, 2]
ROWS_PER_INSERT = 5000


@dataclass
class Content:
    levels: list
    items_by_level: dict = field(default_factory=dict)
    skills_by_level: dict = field(default_factory=dict)
    kpis_by_level: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        content = cls(levels=list(Level.objects.order_by("order")))
        for item in Item.objects.current().select_related("stage"):
            content.items_by_level.setdefault(item.ladder_level_id, []).append(item.pk)
        for ls in LevelSkill.objects.all():
            content.skills_by_level.setdefault(ls.level_id, []).append(ls.skill_id)
        for kpi in KPI.objects.all():
            content.kpis_by_level.setdefault(kpi.level_id, []).append(kpi)
        return content


def _status_for(rng, distance: int):
    """distance: the item's level minus the learner's (negative: a level already passed)."""
    roll = rng.random()
    if distance < 0:
        return Status.DONE if roll < 0.85 else Status.SKIPPED if roll < 0.9 else None
    if distance == 0:
        if roll < 0.4:
            return Status.DONE
        return Status.IN_PROGRESS if roll < 0.55 else Status.SKIPPED if roll < 0.6 else None
    if distance == 1:
        return Status.DONE if roll < 0.1 else Status.IN_PROGRESS if roll < 0.2 else None
    return None


def _kpi_values(rng, kpi: KPI, count: int) -> list[Decimal]:
    """A series that starts away from the target and drifts towards (sometimes past) it."""
    target = float(kpi.target)
    better = 1 if kpi.direction == KPI.Direction.HIGHER else -1
    start = target - better * abs(target) * rng.uniform(0.1, 0.5)
    end = target + better * abs(target) * rng.uniform(-0.2, 0.15)
    values = []
    for n in range(count):
        value = start + (end - start) * n / max(count - 1, 1) + rng.gauss(0, abs(target) * 0.03)
        if kpi.unit == KPI.Unit.PERCENT:
            value = min(max(value, 0), 100)
        elif kpi.unit != KPI.Unit.PERCENT_POINTS:
            value = max(value, 0)
        values.append(Decimal(str(round(value, 2))))
    return values


# The columns each learner's rows give; every other column gets its default (or "now").
COLUMNS = {
    ItemProgress: ("user_id", "item_id", "status", "started_at", "completed_at"),
    SkillRating: ("user_id", "skill_id", "rating"),
    SkillRatingChange: ("user_id", "skill_id", "rating"),
    KPIMeasurement: ("user_id", "kpi_id", "value", "measured_on"),
}


def _insert(model, rows: list[tuple], now) -> None:
    columns = COLUMNS[model]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], ROWS_PER_INSERT)
        return
    # COPY of plain tuples: building model instances and huge INSERTs is what made 100,000
    # learners (ten million rows) take a quarter of an hour.
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in columns]
    defaults = tuple(
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default() for f in rest
    )
    names = ", ".join(connection.ops.quote_name(c) for c in (*columns, *(f.column for f in rest)))
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + defaults)


class Command(BaseCommand):
    help = "Create N synthetic learners with realistic progress (bulk inserts, reproducible with --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, required=True, help="How many learners to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same learners.")
        parser.add_argument("--batch", type=int, default=2000, help="Learners per transaction.")

    def handle(self, *args, users: int, seed: int, batch: int, **options):
        if users < 1:
            raise CommandError("--users must be at least 1.")
        content = Content.load()
        if not content.levels or not content.items_by_level:
            raise CommandError("No career content: run `manage.py load_roadmap` first.")
        User = get_user_model()
        start = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
        password = make_password(PASSWORD)
        now = timezone.now()
        with tqdm(total=users, unit="learner", disable=options["verbosity"] == 0) as bar:
            for first in range(start, start + users, batch):
                last = min(first + batch, start + users)
                self._write_batch(content, User, range(first, last), seed, password, now)
                bar.update(last - first)
        if connection.vendor == "postgresql":
            self._settle_database()
        self.stdout.write(self.style.SUCCESS(f"Added {users} learners (seed {seed}); password: {PASSWORD}"))

    def _settle_database(self):
        """Millions of rows just arrived. Without fresh statistics the planner may scan instead of
        using the (learner, ...) indexes; without a vacuum the first read of every row sets its hint
        bits (a write) and the visibility map is empty; until a checkpoint writes the new pages out,
        the checkpointer does it during whatever runs next. All of it now, not during a benchmark
        (autovacuum may be off, as on this machine's server)."""
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # a caller's transaction (a test): VACUUM cannot run in one
                cursor.execute("ANALYZE")
                return
            cursor.execute("VACUUM ANALYZE")
            try:
                cursor.execute("CHECKPOINT")
            except DatabaseError:  # needs a superuser or pg_checkpoint; the rest is done anyway
                self.stderr.write("No CHECKPOINT: this database user may not run one.")

    def _write_batch(self, content, User, numbers, seed, password, now):
        rngs = {n: random.Random(f"{seed}-{n}") for n in numbers}
        levels = {n: rngs[n].choices(content.levels, weights=LEVEL_WEIGHTS[: len(content.levels)])[0] for n in numbers}
        with transaction.atomic():
            created = User.objects.bulk_create(
                [
                    User(
                        email=f"learner{n:07d}@{EMAIL_DOMAIN}",
                        password=password,
                        current_level=levels[n],
                        target_level=self._next(content, levels[n]),
                        years_of_experience=levels[n].years_min,
                        onboarded_at=now,
                    )
                    for n in numbers
                ]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in created],
                batch_size=ROWS_PER_INSERT,
            )
            rows = {"items": [], "ratings": [], "changes": [], "measurements": []}
            for n, user in zip(numbers, created, strict=True):
                self._learner_rows(content, rngs[n], user, levels[n], now, rows)
            for model, key in (
                (ItemProgress, "items"),
                (SkillRating, "ratings"),
                (SkillRatingChange, "changes"),
                (KPIMeasurement, "measurements"),
            ):
                _insert(model, rows[key], now)

    @staticmethod
    def _next(content, level):
        later = [lv for lv in content.levels if lv.order > level.order]
        return later[0] if later else None

    def _learner_rows(self, content, rng, user, level, now, rows):
        position = {lv.pk: i for i, lv in enumerate(content.levels)}
        mine = position[level.pk]
        for level_id, items in content.items_by_level.items():
            for item_id in items:
                status = _status_for(rng, position[level_id] - mine)
                if status is None:
                    continue
                started = now - datetime.timedelta(days=rng.randint(1, 365))
                done = started + datetime.timedelta(days=rng.randint(0, 30)) if status == Status.DONE else None
                rows["items"].append((user.pk, item_id, status, started, min(done, now) if done else None))
        rated = set()  # a skill expected at two levels is rated once
        for level_id, skills in content.skills_by_level.items():
            distance = position[level_id] - mine
            if distance > 1:
                continue
            for skill_id in dict.fromkeys(skills):
                if skill_id in rated:
                    continue
                rated.add(skill_id)
                rating = (
                    rng.randint(2, 4) if distance < 0 else rng.randint(1, 3) if distance == 0 else rng.randint(0, 2)
                )
                rows["ratings"].append((user.pk, skill_id, rating))
                rows["changes"].append((user.pk, skill_id, rating))
        today = now.date()
        for kpi in content.kpis_by_level.get(level.pk, []):
            count = rng.randint(2, 8)
            for n, value in enumerate(_kpi_values(rng, kpi, count)):
                measured_on = today - datetime.timedelta(days=(count - 1 - n) * rng.randint(14, 30))
                rows["measurements"].append((user.pk, kpi.pk, value, measured_on))
