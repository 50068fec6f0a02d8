from core.management.batch_mail import BatchMailCommand
from progress.digest import digest_recipients, send_digests


class Command(BatchMailCommand):
    help = (
        "Queue this ISO week's digest for every learner who asked for it (at most one each per week); "
        "a mail worker sends them. Run it from cron, e.g. hourly: a learner missed by one run is in the next."
    )
    what, period = "Digests", "this week"

    def recipients(self):
        return digest_recipients()

    def send(self, **kwargs):
        return send_digests(**kwargs)
