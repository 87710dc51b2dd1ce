"""`manage.py forum_send_digests`: queue the forum's email digests (run daily from cron)."""

from django.core.management.base import BaseCommand

from forum.tasks import send_digests_task


class Command(BaseCommand):
    help = ("Skickar forumets dagliga sammanfattningar, och veckosammanfattningar på "
            "måndagar, till dem som valt det.")

    def handle(self, *args, **options):
        result = send_digests_task.enqueue()
        self.stdout.write(f"Sammanfattningar köade (uppgift {result.id}).")
