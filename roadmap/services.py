import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import IntegrityError, transaction
from django.db.models import F

from roadmap.cache import bump_content_version
from roadmap.models import ALL_FIELDS, ContentRelease, Item, Source

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "roadmap.json"


@dataclass(frozen=True)
class ReleaseResult:
    loaded: bool
    checksum: str
    archived_keys: list[str]
    report: dict = field(default_factory=dict)


# created/updated: rows; applied/kept/conflicts: one field of a row each, with its values.
REPORT_PARTS = (
    "created",
    "updated",
    "applied",
    "kept",
    "conflicts",
    "kept_archived",
    "moved_to_end",
    "not_applied",
    "archived",
)
BOOKKEEPING = {"edited_at", "edited_fields", "released"}
SHOWN_CHARACTERS = 80


def content_release_load(*, path: Path = SEED_FIXTURE, force: bool = False, dry_run: bool = False) -> ReleaseResult:
    """Load a release of the seed content, merged with what editors did since.

    A release is loaded once (unless forced). Each row is found by its natural key (an item by
    its key): a new row is created; in a known row, field by field, a field an editor changed in
    the admin stays as the editor left it ("kept" when the release did not change it either,
    "conflicts" when it did) and every other field takes the release's value ("applied"); an
    archived item stays archived; a row that cannot be applied (e.g. it would break a constraint)
    is reported, not fatal. Items the previous release had and this one dropped are archived,
    never deleted. The report says all of it, with the values; a dry run makes it and rolls
    everything back.
    """
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    if not force and not dry_run and ContentRelease.objects.filter(checksum=checksum).exists():
        return ReleaseResult(loaded=False, checksum=checksum, archived_keys=[])

    objects = json.loads(raw)
    new_keys = sorted(obj["fields"]["key"] for obj in objects if obj["model"] == "roadmap.item")
    report: dict[str, list[str]] = {part: [] for part in REPORT_PARTS}
    with transaction.atomic():
        previous = ContentRelease.objects.order_by("-loaded_at", "-pk").first()
        deferred = []
        # Sources first: a row credited to a source that could not be applied (its number taken by
        # an editor's guide) or that exists nowhere is reported, not loaded half-way.
        sources = [obj for obj in objects if obj["model"] == "roadmap.source"]
        for row in serializers.deserialize("json", json.dumps(sources)):
            _merge_row(row, report)
        rest = _with_known_sources([obj for obj in objects if obj["model"] != "roadmap.source"], report)
        for row in serializers.deserialize("json", json.dumps(rest), handle_forward_references=True):
            if _merge_row(row, report):
                deferred.append(row)
        for row in deferred:
            if row.deferred_fields:
                row.save_deferred_fields()
        dropped = sorted(set(previous.item_keys) - set(new_keys)) if previous else []
        Item.objects.filter(key__in=dropped, is_archived=False).update(is_archived=True)
        report["archived"] = dropped
        bump_content_version()
        ContentRelease.objects.update_or_create(checksum=checksum, defaults={"item_keys": new_keys, "report": report})
        if dry_run:
            transaction.set_rollback(True)
    return ReleaseResult(loaded=not dry_run, checksum=checksum, archived_keys=dropped, report=report)


def _with_known_sources(objects: list[dict], report) -> list[dict]:
    """The release's rows whose every source exists; each other row goes to the report."""
    known = set(Source.objects.values_list("key", flat=True))
    kept = []
    for obj in objects:
        model = apps.get_model(obj["model"])
        cited = []
        for f in model._meta.get_fields():
            if getattr(f, "related_model", None) is Source and f.concrete and obj["fields"].get(f.name):
                value = obj["fields"][f.name]
                cited += [key[0] for key in value] if f.many_to_many else [value[0]]
        missing = sorted(set(cited) - known)
        if missing:
            fields = obj["fields"]
            name = (
                fields.get("key")
                or fields.get("slug")
                or "/".join(str(fields[f][0]) for f in ("level", "skill") if fields.get(f))
            )
            report["not_applied"].append(
                f"{model._meta.model_name} {name}: credited to source {', '.join(missing)}, which is not loaded"
            )
        else:
            kept.append(obj)
    return kept


def _merge_row(row, report) -> bool:
    """Apply one deserialized row as the rules say; True when it was saved."""
    new = row.object
    model = type(new)
    label = f"{model._meta.model_name} {'/'.join(map(str, new.natural_key())) if hasattr(new, 'natural_key') else new}"
    existing = model._default_manager.filter(pk=new.pk).first() if new.pk else None
    released = _values(new, row.m2m_data or {})
    new.released = released
    if existing is not None:
        new.edited_at, new.edited_fields = existing.edited_at, existing.edited_fields
        if getattr(existing, "is_archived", False) and not new.is_archived:
            new.is_archived = True  # an archive is an editor's decision: a release never undoes it
            report["kept_archived"].append(label)
        if not _merge_fields(existing, new, row, label, report):
            if existing.released != released:
                model._default_manager.filter(pk=existing.pk).update(released=released)
            return False
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        if not isinstance(new, Item):
            report["not_applied"].append(f"{label}: {error}")
            return False
        # Its position is taken (an editor's new item): at the end of its section instead.
        new.order = AT_THE_END
        order_place(siblings=item_section(new), placed=[new], by_editor=False)
        for name, values in (row.m2m_data or {}).items():
            getattr(new, name).set(values)
        report["moved_to_end"].append(label)
        return True
    report["updated" if existing is not None else "created"].append(label)
    return True


def _merge_fields(existing, new, row, label: str, report) -> bool:
    """Field by field: an editor's field keeps the editor's value (in `new`), the others take the
    release's; each difference goes to the report with its values. True when a field changes."""
    edited = set(existing.edited_fields)
    wanted = _values(new, row.m2m_data or {})
    current = _values(existing, dict.fromkeys(row.m2m_data or {}))
    changes = False
    for name, value in wanted.items():
        if value == current[name]:
            continue
        field = new._meta.get_field(name)
        mine, theirs = _shown(existing, field, current[name]), _shown(new, field, value)
        if name not in edited and ALL_FIELDS not in edited:
            report["applied"].append(f"{label}: {name} {mine} → {theirs}")
            changes = True
            continue
        if existing.released.get(name) == value:
            report["kept"].append(f"{label}: {name}: the editor's {mine} (the release still has {theirs})")
        else:
            report["conflicts"].append(f"{label}: {name}: kept the editor's {mine}; the release has {theirs}")
        if field.many_to_many:
            row.m2m_data[name] = list(current[name])
        else:
            setattr(new, field.attname, getattr(existing, field.attname))
    return changes


def _values(obj, m2m: dict) -> dict:
    """A row's content fields as comparable JSON values (relations by primary key), with the
    many-to-many fields named in `m2m`: their primary keys as given, or read from the row where
    given as None (only those a release names are read)."""
    values: dict[str, str | list] = {
        f.name: _plain(f, obj) for f in obj._meta.concrete_fields if not f.primary_key and f.name not in BOOKKEEPING
    }
    for name, pks in m2m.items():
        values[name] = sorted(pks if pks is not None else (o.pk for o in getattr(obj, name).all()))
    return values


def _plain(field, obj) -> str:
    value = field.value_from_object(obj)
    # 6 and 6.00 are the same target: a decimal column gives back its scale, a release may not.
    return format(value.normalize(), "f") if isinstance(value, Decimal) else field.value_to_string(obj)


def _shown(obj, field, value) -> str:
    """A value as an editor reads it in the report: a related row by its name, text shortened."""
    if field.many_to_many:
        return "[" + ", ".join(str(o) for o in field.related_model._default_manager.filter(pk__in=value)) + "]"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=getattr(obj, field.attname)).first()
        return quoted(str(related)) if related else "none"
    return quoted(value)


def quoted(text: str) -> str:
    """A value in a report or a history line: in quotes, shortened to SHOWN_CHARACTERS."""
    return f"“{text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + '…'}”"


def item_section(item):
    """The current items that share positions with this one: its stage's, or its level's of its kind."""
    current = Item.objects.current()
    if item.stage_id:
        return current.filter(stage_id=item.stage_id)
    return current.filter(level_id=item.level_id, kind=item.kind)


# Far above any real position and within a PositiveSmallIntegerField: rows wait here while the
# others are renumbered, so no intermediate state repeats a position.
_PARKED = 10_000
AT_THE_END = 32_000  # a wished position past every other row


def order_place(*, siblings, placed: list, field: str = "order", by_editor: bool = True) -> None:
    """Save `placed` (new or changed rows of one parent) at the positions they ask for among
    `siblings` (the parent's current rows) and number the whole section 1, 2, 3... again.

    Two rows asking for the same position, a swap, a new row at a taken position: the rows asking
    go first, the others keep their relative order, and nothing ever clashes with the database's
    unique order. A row asking for no position (None) goes to the end. Positions an editor chose
    (`by_editor`) mark the position of every row that moved as edited, so a release does not move
    them back (and still applies its other changes to them).
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
            moved = getattr(row, field) != position
            setattr(row, field, position)
            if moved and by_editor:
                row.mark_edited([field])
            if row in placed:
                row.save()
            else:
                edited = {"edited_at": row.edited_at, "edited_fields": row.edited_fields} if moved and by_editor else {}
                siblings.model.objects.filter(pk=row.pk).update(**{field: position}, **edited)
        bump_content_version()
