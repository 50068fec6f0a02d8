import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from core.mail import mail_sweep


class Command(BaseCommand):
    help = (
        "Send the queued mail (and any other task): Django's database task worker (django-tasks-db's "
        "db_worker), with the outbox's sweep every minute for mail whose task was lost. Run one or "
        "more, on one or more machines: the queue is the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Exit once nothing is left to do (tests, cron).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty queue.")
        parser.add_argument("--sweep-every", type=float, default=60.0, help="Seconds between sweeps.")

    def handle(self, *args, batch=False, interval=1.0, sweep_every=60.0, **options):
        mail_sweep()
        stop = threading.Event()
        sweeper = threading.Thread(target=self._sweep, args=(stop, sweep_every), daemon=True, name="mail-sweep")
        if not batch:
            sweeper.start()
        try:
            worker_options = {"interval": interval, "startup_delay": not batch, "verbosity": options["verbosity"]}
            call_command("db_worker", batch=batch, **worker_options)
        finally:
            stop.set()

    @staticmethod
    def _sweep(stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            try:
                close_old_connections()
                mail_sweep()
            except Exception:  # the database is briefly gone: the next sweep tries again
                connection.close()
