from pathlib import Path

from django.core.management.base import BaseCommand

from roadmap.services import SEED_FIXTURE, content_release_load

# Rows named per part of the report; the whole report is stored on the release (admin: releases).
SHOWN = 12


class Command(BaseCommand):
    help = "Load the career content from fixtures/ (once per release; items dropped from a release are archived)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=SEED_FIXTURE)
        parser.add_argument("--force", action="store_true", help="Reload even if this release was loaded before.")
        parser.add_argument("--dry-run", action="store_true", help="Show what the release would do; change nothing.")

    def handle(self, *args, path: Path, force: bool, dry_run: bool, **options):
        result = content_release_load(path=path, force=force, dry_run=dry_run)
        if not result.loaded and not dry_run:
            self.stdout.write(f"Content release {result.checksum[:12]} already loaded; nothing to do.")
            return
        verb = "Would load (dry run, nothing changed)" if dry_run else "Loaded"
        self.stdout.write(self.style.SUCCESS(f"{verb} content release {result.checksum[:12]} from {path}."))
        for part, rows in result.report.items():
            if rows:
                shown = ", ".join(rows[:SHOWN]) + (f" and {len(rows) - SHOWN} more" if len(rows) > SHOWN else "")
                self.stdout.write(f"{part.replace('_', ' ')} ({len(rows)}): {shown}")
