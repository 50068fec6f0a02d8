import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from roadmap.cache import bump_content_version
from roadmap.models import ContentRelease, Item

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "roadmap.json"


@dataclass(frozen=True)
class ReleaseResult:
    loaded: bool
    checksum: str
    archived_keys: list[str]


def content_release_load(*, path: Path = SEED_FIXTURE, force: bool = False) -> ReleaseResult:
    """Load a release of the seed content once.

    The same release is not loaded again (unless forced), so restarting the app
    keeps what admins edited. Items that the previous release had and this one
    dropped are archived, never deleted: learners who recorded them keep that.
    """
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    if not force and ContentRelease.objects.filter(checksum=checksum).exists():
        return ReleaseResult(loaded=False, checksum=checksum, archived_keys=[])

    new_keys = sorted(obj["fields"]["key"] for obj in json.loads(raw) if obj["model"] == "roadmap.item")
    with transaction.atomic():
        previous = ContentRelease.objects.order_by("-loaded_at", "-pk").first()
        call_command("loaddata", str(path), verbosity=0)
        dropped = sorted(set(previous.item_keys) - set(new_keys)) if previous else []
        Item.objects.filter(key__in=dropped).update(is_archived=True)
        bump_content_version()
        ContentRelease.objects.update_or_create(checksum=checksum, defaults={"item_keys": new_keys})
    return ReleaseResult(loaded=True, checksum=checksum, archived_keys=dropped)


# Far above any real position and within a PositiveSmallIntegerField: rows wait here while the
# others are renumbered, so no intermediate state repeats a position.
_PARKED = 10_000
AT_THE_END = 32_000  # a wished position past every other row


def order_place(*, siblings, placed: list, field: str = "order") -> None:
    """Save `placed` (new or changed rows of one parent) at the positions they ask for among
    `siblings` (the parent's current rows) and number the whole section 1, 2, 3... again.

    Two rows asking for the same position, a swap, a new row at a taken position: the rows asking
    go first, the others keep their relative order, and nothing ever clashes with the database's
    unique order. A row asking for no position (None) goes to the end.
    """
    moving = {row.pk for row in placed if row.pk}
    with transaction.atomic():
        staying = [row for row in siblings.select_for_update().order_by(field, "pk") if row.pk not in moving]
        wishes = [(getattr(row, field) or AT_THE_END, 0, n, row) for n, row in enumerate(placed)]
        keeps = [(getattr(row, field), 1, n, row) for n, row in enumerate(staying)]
        section = [row for *_, row in sorted(wishes + keeps, key=lambda wish: wish[:3])]
        siblings.model.objects.filter(pk__in=[row.pk for row in section if row.pk]).update(
            **{field: F(field) + _PARKED}
        )
        for position, row in enumerate(section, start=1):
            setattr(row, field, position)
            if row in placed:
                row.save()
            else:
                siblings.model.objects.filter(pk=row.pk).update(**{field: position})
        bump_content_version()
