"""``manage.py plan_heartbeat``: start the worker's heartbeat task, unless it is already running."""

from django.core.management.base import BaseCommand

from screening.outbox.heartbeat import heartbeat_plan


class Command(BaseCommand):
    help = "Plan the task worker's heartbeat (run before db_worker; harmless when it already runs)."

    def handle(self, *args, **options):
        started = heartbeat_plan()
        self.stdout.write("Heartbeat planned." if started else "Heartbeat already running.")
