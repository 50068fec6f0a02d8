"""Many threads writing one learner's records at once, on SQLite (file, WAL, IMMEDIATE) and on
PostgreSQL, whichever the suite runs on: no error, one row per item, nothing lost."""

import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from progress import services
from progress.models import ItemProgress, KPIMeasurement

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8
WRITES_PER_THREAD = 15


def _in_threads(work):
    errors = []

    def run(n):
        try:
            work(n)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_status_changes_keep_one_row_per_item_and_the_last_write(alice, ladder):
    items = ladder["steps1"][:2] + ladder["deliverables"][:1]  # few items: threads collide often
    writes = []  # (updated_at, item key, status) of every acknowledged write
    lock = threading.Lock()

    def work(n):
        rng = random.Random(n)
        for _ in range(WRITES_PER_THREAD):
            item = rng.choice(items)
            status = rng.choice(["in_progress", "done", "skipped", "not_started"])
            progress = services.item_progress_set(user=alice, item=item, status=status, note=f"t{n}")
            with lock:
                writes.append((progress.updated_at, item.key, progress.status))

    _in_threads(work)
    rows = {p.item.key: p for p in ItemProgress.objects.filter(user=alice).select_related("item")}
    assert sorted(rows) == sorted(i.key for i in items)
    for key, row in rows.items():
        last = max((w for w in writes if w[1] == key), key=lambda w: w[0])
        assert (row.updated_at, row.status) == (last[0], last[2])


def test_concurrent_kpi_logging_loses_no_measurement(alice, ladder):
    def work(n):
        for i in range(WRITES_PER_THREAD):
            services.kpi_measurement_create(
                user=alice, kpi=ladder["latency"], value=100 + i, measured_on=timezone.localdate(), note=f"{n}-{i}"
            )

    _in_threads(work)
    notes = set(KPIMeasurement.objects.filter(user=alice).values_list("note", flat=True))
    assert notes == {f"{n}-{i}" for n in range(THREADS) for i in range(WRITES_PER_THREAD)}
