"""`manage.py erase_user EMAIL`: erase another user's account (see privacy.erasure)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy import erasure


class Command(BaseCommand):
    help = ("Raderar en användares konto och personuppgifter: inlägg avidentifieras, "
            "kommande konferensanmälningar avbokas. Kan köras igen utan skada.")

    def add_arguments(self, parser):
        parser.add_argument("email", help="Användarens e-postadress (huvudadress eller extra adress).")

    def handle(self, *args, email: str, **options):
        from allauth.account.models import EmailAddress

        email = email.strip().lower()
        users = get_user_model().objects
        user = (users.filter(email__iexact=email).first()
                or users.filter(pk__in=EmailAddress.objects.filter(email__iexact=email)
                                .values("user_id")).first())
        if user is None:
            raise CommandError(f"Ingen användare har e-postadressen {email} (redan raderad?).")
        counts = erasure.erase(user, via="command")
        summary = ", ".join(f"{key} {value}" for key, value in counts.items() if value)
        self.stdout.write(f"Kontot är raderat (id {user.pk}). {summary or 'Inget annat att ta bort.'}")
