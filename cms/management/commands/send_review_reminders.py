"""`manage.py send_review_reminders`: queue the daily review reminder task (run from cron)."""

from django.core.management.base import BaseCommand

from cms.tasks import send_review_reminders_task


class Command(BaseCommand):
    help = "Skickar påminnelser till innehållsansvariga vars sidor ska granskas inom 14 dagar."

    def handle(self, *args, **options):
        result = send_review_reminders_task.enqueue()
        self.stdout.write(f"Påminnelser köade (uppgift {result.id}).")
