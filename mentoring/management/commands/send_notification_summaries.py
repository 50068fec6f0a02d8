from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from mentoring.summaries import send_summaries, summary_recipients


class Command(BaseCommand):
    help = (
        "Queue yesterday's notification summary for everyone who chose a daily summary for a topic (at most "
        "one each per day); a mail worker sends them. Run it from cron every morning."
    )

    def handle(self, *args, **options):
        recipients = summary_recipients().order_by("pk")
        with tqdm(total=recipients.count(), unit="person", disable=options["verbosity"] == 0) as bar:
            run = send_summaries(today=timezone.localdate(), users=recipients, progress=lambda: bar.update(1))
        for address, error in run.failed.items():
            self.stderr.write(f"not queued for {address} (tried again next run): {error}")
        self.stdout.write(
            f"Summaries queued: {len(run.queued)}; nothing new: {run.nothing_new}; "
            f"already queued today: {run.already_sent}; failed: {len(run.failed)}."
        )
        if run.failed and not run.queued:
            raise CommandError("No summary could be queued: is the database reachable?")
