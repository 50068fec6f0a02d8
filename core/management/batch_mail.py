from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from core.mail import BatchRun


class BatchMailCommand(BaseCommand):
    """A periodic mailing run from cron (core.mail.enqueue_each): a progress bar, then what was
    queued; an error exit when nothing could be."""

    what = "Mails"  # as the summary line starts
    period = "this period"  # what "already queued" refers to

    def recipients(self):
        raise NotImplementedError

    def send(self, *, today, users, progress) -> BatchRun:
        raise NotImplementedError

    def handle(self, *args, **options):
        recipients = self.recipients().order_by("pk")
        with tqdm(total=recipients.count(), unit="person", disable=options["verbosity"] == 0) as bar:
            run = self.send(today=timezone.localdate(), users=recipients, progress=lambda: bar.update(1))
        for address, error in run.failed.items():
            self.stderr.write(f"not queued for {address} (tried again next run): {error}")
        self.stdout.write(
            f"{self.what} queued: {len(run.queued)}; nothing new: {run.nothing_new}; "
            f"already queued {self.period}: {run.already_sent}; failed: {len(run.failed)}."
        )
        if run.failed and not run.queued:
            raise CommandError(f"No {self.what.lower()} could be queued: is the database reachable?")
