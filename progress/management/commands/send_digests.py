from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from progress.digest import digest_recipients, send_digests


class Command(BaseCommand):
    help = "Send this ISO week's digest to every learner who asked for it (at most one each per week)."

    def handle(self, *args, **options):
        recipients = digest_recipients().order_by("pk")
        with tqdm(total=recipients.count(), unit="learner", disable=options["verbosity"] == 0) as bar:
            run = send_digests(today=timezone.localdate(), users=recipients, progress=lambda: bar.update(1))
        for address, error in run.failed.items():
            self.stderr.write(f"not sent to {address} (retried next run): {error}")
        self.stdout.write(
            f"Digests sent: {len(run.sent)}; already sent this week: {run.already_sent}; failed: {len(run.failed)}."
        )
        # A failed address is retried next run; only when nothing could be sent is the run a failure.
        if run.failed and not run.sent:
            raise CommandError("No digest could be sent: is the mail server reachable?")
