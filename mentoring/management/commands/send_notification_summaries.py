from core.management.batch_mail import BatchMailCommand
from mentoring.summaries import send_summaries, summary_recipients


class Command(BatchMailCommand):
    help = (
        "Queue yesterday's notification summary for everyone who chose a daily summary for a topic (at most "
        "one each per day); a mail worker sends them. Run it from cron every morning."
    )
    what, period = "Summaries", "today"

    def recipients(self):
        return summary_recipients()

    def send(self, **kwargs):
        return send_summaries(**kwargs)
