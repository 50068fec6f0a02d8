from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from progress.digest import digest_recipients, send_digests


class Command(BaseCommand):
    help = (
        "Queue this ISO week's digest for every learner who asked for it (at most one each per week); "
        "a mail worker sends them. Run it from cron, e.g. hourly: a learner missed by one run is in the next."
    )

    def handle(self, *args, **options):
        recipients = digest_recipients().order_by("pk")
        with tqdm(total=recipients.count(), unit="learner", disable=options["verbosity"] == 0) as bar:
            run = send_digests(today=timezone.localdate(), users=recipients, progress=lambda: bar.update(1))
        for address, error in run.failed.items():
            self.stderr.write(f"not queued for {address} (tried again next run): {error}")
        self.stdout.write(
            f"Digests queued: {len(run.queued)}; already queued this week: {run.already_sent}; "
            f"failed: {len(run.failed)}."
        )
        if run.failed and not run.queued:
            raise CommandError("No digest could be queued: is the database reachable?")
