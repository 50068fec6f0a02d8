import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

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
