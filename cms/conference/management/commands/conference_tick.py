"""`manage.py conference_tick`: the conference's periodic work (see cms/conference/tick.py).

Run from cron every 5 minutes, e.g.

    */5 * * * *  cd /srv/mr-navet && .venv/bin/python manage.py conference_tick

It expires waiting-list offers that have run out and offers the freed seats to the next in
line, queues the reminders due 7 days and 1 day before each edition starts (once each), and
purges diet and accessibility needs `needs_retention_days` after an edition ends. Every step
is idempotent, so a late, skipped or doubled run does no harm. Each run is logged in the
conference audit log (counts only).
"""

from django.core.management.base import BaseCommand

from cms.conference import tick


class Command(BaseCommand):
    help = ("Konferensens återkommande jobb; kör från cron var 5:e minut "
            "(*/5 * * * * manage.py conference_tick). Låter utgångna erbjudanden från "
            "väntelistan gå vidare till nästa i kön, skickar påminnelser 7 dagar och 1 dag "
            "före konferensen och rensar kost- och tillgänglighetsbehov det antal dagar efter "
            "konferensen som anges på konferenssidan. Varje körning loggas.")

    def handle(self, *args, **options):
        counts = tick.run()
        self.stdout.write(
            "conference_tick: {editions} konferensår, {expired} erbjudanden och "
            "{expired_session_offers} passerbjudanden gick ut, {offered} nya erbjudanden och "
            "{session_offers} nya passerbjudanden, {reminders} påminnelser, behov rensade för "
            "{purged} deltagare.".format(**counts))
