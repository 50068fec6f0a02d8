from pathlib import Path

from django.core.management.base import BaseCommand

from roadmap.services import SEED_FIXTURE, content_release_load


class Command(BaseCommand):
    help = "Load the career content from fixtures/ (once per release; items dropped from a release are archived)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=SEED_FIXTURE)
        parser.add_argument("--force", action="store_true", help="Reload even if this release was loaded before.")

    def handle(self, *args, path: Path, force: bool, **options):
        result = content_release_load(path=path, force=force)
        if not result.loaded:
            self.stdout.write(f"Content release {result.checksum[:12]} already loaded; nothing to do.")
            return
        self.stdout.write(self.style.SUCCESS(f"Loaded content release {result.checksum[:12]} from {path}."))
        if result.archived_keys:
            self.stdout.write(f"Archived {len(result.archived_keys)} item(s): {', '.join(result.archived_keys)}")
