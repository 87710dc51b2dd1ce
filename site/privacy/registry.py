"""The register of personal data: each field, why it is kept, on what legal basis, for how
long and how it goes. The retention page (/personuppgifter/lagring/) is generated from it,
and tests/privacy/test_registry.py fails when a field holding personal data is missing:
every field of the user model, every relation to the user, every field of rows that belong
to one user, and the free-text fields listed in REQUIRED_FIELDS.

`fields=("*",)` covers every field of the model (rows that exist only for one user).
Texts are Swedish (they are the page); retention figures name the code that enforces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PersonalData:
    model: str  # "app_label.Model"
    fields: tuple[str, ...]
    purpose: str
    legal_basis: str
    retention: str
    deletion: str
    sensitive: bool = False  # may reveal health (GDPR art. 9)


PUBLIC_TASK = _("Allmänt intresse (art. 6.1 e): stadens arbete med mänskliga rättigheter och "
                "medarbetarnas kompetensutveckling")
LEGAL_OBLIGATION = _("Rättslig förpliktelse (art. 6.1 c och art. 32): säkerhet och "
                     "spårbarhet i behandlingen")
CONSENT_HEALTH = _("Uttryckligt samtycke (art. 9.2 a): uppgifterna är frivilliga och lämnas "
                   "av personen själv")
UNTIL_ERASED = _("Så länge kontot finns")
ON_ERASURE_DELETED = _("Raderas när kontot raderas (Radera mitt konto eller manage.py erase_user)")
ON_ERASURE_DETACHED = _("Kopplingen till personen tas bort när kontot raderas; innehållet "
                        "finns kvar som skrivet av en tidigare medarbetare")
ON_ERASURE_KEPT = _("Finns kvar för spårbarhet, kopplat till det avidentifierade kontot "
                    "(inga namn eller adresser finns kvar)")
NO_PRUNING = _("Ingen automatisk gallring; gallras enligt stadens dokumenthanteringsplan")
NOTIFICATION_RETENTION = _("Lästa 90 dagar, olästa 365 dagar, räknat från när aviseringen "
                           "skapades; manage.py forum_prune_notifications (dagligen) tar bort "
                           "äldre")

REGISTRY: tuple[PersonalData, ...] = (
    # --- the account -------------------------------------------------------------------------
    PersonalData("accounts.User",
                 ("email", "display_name", "first_name", "last_name", "organisation_unit",
                  "job_title"),
                 _("Inloggning, och så att kollegor ser vem som skriver och var hen arbetar"),
                 PUBLIC_TASK, UNTIL_ERASED,
                 _("Skrivs över när kontot raderas: kontot blir inaktivt, utan namn och med en "
                   "slumpad adress")),
    PersonalData("accounts.User",
                 ("password", "last_login", "date_joined", "is_active", "is_staff",
                  "is_superuser", "groups", "user_permissions", "id"),
                 _("Inloggning, roller och behörigheter"), LEGAL_OBLIGATION, UNTIL_ERASED,
                 _("Lösenord görs oanvändbart, roller och behörigheter tas bort när kontot "
                   "raderas")),
    PersonalData("account.EmailAddress", ("*",), _("Inloggning och e-post från MR-navet"),
                 PUBLIC_TASK, UNTIL_ERASED, ON_ERASURE_DELETED),
    PersonalData("mfa.Authenticator", ("*",), _("Tvåstegsverifiering"), LEGAL_OBLIGATION,
                 UNTIL_ERASED, ON_ERASURE_DELETED),
    PersonalData("socialaccount.SocialAccount", ("*",),
                 _("Inloggning med Malmö stads konto (Entra ID)"), LEGAL_OBLIGATION, UNTIL_ERASED,
                 ON_ERASURE_DELETED),
    PersonalData("sessions.Session", ("*",), _("Att hålla dig inloggad"), LEGAL_OBLIGATION,
                 _("8 timmar utan aktivitet (SESSION_COOKIE_AGE); utgångna rader tas bort av "
                   "manage.py clearsessions"),
                 _("Raderas vid utloggning och när kontot raderas")),
    # --- forum ---------------------------------------------------------------------------------
    PersonalData("forum.Thread", ("author", "title"), _("Forumets diskussioner"), PUBLIC_TASK,
                 NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("forum.Post", ("author", "markdown", "html", "created_at", "edited_at"),
                 _("Forumets diskussioner"), PUBLIC_TASK, NO_PRUNING,
                 _("Kopplingen till personen tas bort när kontot raderas. Texten finns kvar; "
                   "att någon nämnt personens namn i ett inlägg skrivs inte om")),
    PersonalData("forum.Post", ("hidden_by", "hidden_reason"), _("Moderering"), LEGAL_OBLIGATION,
                 NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("forum.PostRevision", ("edited_by", "markdown"),
                 _("Tidigare versioner av ändrade inlägg"), PUBLIC_TASK, NO_PRUNING,
                 ON_ERASURE_DETACHED),
    PersonalData("forum.Reaction", ("*",), _("Reaktioner på inlägg"), PUBLIC_TASK, UNTIL_ERASED,
                 ON_ERASURE_DELETED),
    PersonalData("forum.Watch", ("*",), _("Bevakningar och aviseringar"), PUBLIC_TASK,
                 _("Tills du ändrar bevakningen"), ON_ERASURE_DELETED),
    PersonalData("forum.Draft", ("*",), _("Att inget du skrivit går förlorat"), PUBLIC_TASK,
                 _("Tills inlägget skickas eller utkastet kastas"), ON_ERASURE_DELETED),
    PersonalData("forum.ThreadRead", ("*",), _("Vad du har läst (olästa inlägg)"), PUBLIC_TASK,
                 _("30 dagar"),
                 _("manage.py forum_prune_read_marks (dagligen) tar bort lässtatus äldre än 30 "
                   "dagar; allt raderas när kontot raderas")),
    PersonalData("forum.CategoryRead", ("*",), _("Vad du har läst (olästa inlägg)"), PUBLIC_TASK,
                 _("30 dagar"),
                 _("manage.py forum_prune_read_marks (dagligen) tar bort markeringar äldre än "
                   "30 dagar; allt raderas när kontot raderas")),
    PersonalData("forum.Notification", ("*",), _("Aviseringar i MR-navet och via e-post"),
                 PUBLIC_TASK, NOTIFICATION_RETENTION,
                 _("En oläst avisering som en e-postsammanfattning ännu ska skicka tas bort "
                   "först när den skickats; allt raderas när kontot raderas")),
    PersonalData("forum.Notification", ("actor",), _("Vem en avisering gäller"), PUBLIC_TASK,
                 NOTIFICATION_RETENTION, ON_ERASURE_DETACHED),
    PersonalData("forum.EmailPreference", ("*",), _("Hur ofta du vill ha e-post"), PUBLIC_TASK,
                 UNTIL_ERASED, ON_ERASURE_DELETED),
    PersonalData("forum.Flag", ("reporter", "text"), _("Flaggning av olämpliga inlägg"),
                 LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("forum.Flag", ("resolved_by", "resolution"), _("Moderering"), LEGAL_OBLIGATION,
                 NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("forum.ModerationAction", ("moderator", "reason", "details"),
                 _("Modereringslogg"), LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_KEPT),
    # --- conference ----------------------------------------------------------------------------
    PersonalData("conference.Registration",
                 ("user", "name", "email", "organisation_unit", "created_at", "checked_in_at"),
                 _("Anmälan, platser, namnskyltar och incheckning"), PUBLIC_TASK,
                 _("Anmälan sparas för statistik; namn och e-post tills kontot raderas"),
                 _("När kontot raderas avbokas kommande anmälningar (platsen går till "
                   "väntelistan) och alla anmälningar avidentifieras")),
    PersonalData("conference.AttendeeNeeds", ("diet", "diet_other", "access", "access_other"),
                 _("Att beställa rätt mat och ordna tillgänglighet på konferensen"),
                 CONSENT_HEALTH,
                 _("Till konferensen är slut plus needs_retention_days (standard 30 dagar)"),
                 _("manage.py conference_tick (var 5:e minut) tömmer uppgifterna; raderas "
                   "direkt när kontot raderas. Loggas aldrig"),
                 sensitive=True),
    PersonalData("conference.Proposal", ("submitted_by", "co_presenters"),
                 _("Förslag till konferensens program"), PUBLIC_TASK, NO_PRUNING,
                 ON_ERASURE_DETACHED),
    PersonalData("conference.Review", ("reviewer", "comment"), _("Bedömning av förslag"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("conference.FeedbackReceipt", ("*",),
                 _("Att var och en bara svarar en gång (svaren själva är anonyma)"), PUBLIC_TASK,
                 NO_PRUNING, ON_ERASURE_DELETED),
    PersonalData("conference.AuditEvent", ("actor", "details"),
                 _("Logg över exporter och visningar av behov"), LEGAL_OBLIGATION, NO_PRUNING,
                 ON_ERASURE_KEPT),
    # --- content (Wagtail) -----------------------------------------------------------------------
    PersonalData("wagtailcore.Page", ("owner", "locked_by"),
                 _("Vem som skapat eller låst en sida"), PUBLIC_TASK, NO_PRUNING,
                 _("Kopplingen tas bort när kontot raderas; sidan finns kvar (den ägs av "
                   "förvaltningen)")),
    PersonalData("cms.ContentPage", ("content_owner", "contact_email"),
                 _("Vem som ansvarar för och svarar på frågor om en sida"), PUBLIC_TASK,
                 _("Så länge personen är ansvarig"),
                 _("Töms när kontot raderas, även i sparade versioner; förvaltningen utser en "
                   "ny ansvarig")),
    PersonalData("wagtailcore.Revision", ("user",), _("Versionshistorik för sidor"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("wagtailcore.WorkflowState", ("requested_by",), _("Granskningsflödet"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("wagtailcore.TaskState", ("finished_by", "comment"), _("Granskningsbeslut"),
                 LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("wagtailcore.Comment", ("user", "text", "resolved_by"),
                 _("Kommentarer i redigeringsläget"), PUBLIC_TASK, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("wagtailcore.CommentReply", ("user", "text"), _("Kommentarer i redigeringsläget"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("wagtailcore.PageSubscription", ("*",), _("Aviseringar om kommentarer"),
                 PUBLIC_TASK, UNTIL_ERASED, ON_ERASURE_DELETED),
    PersonalData("wagtailcore.PageLogEntry", ("user",), _("Sidornas ändringslogg"),
                 LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("wagtailcore.ModelLogEntry", ("user",), _("Administrationens ändringslogg"),
                 LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("cms.MRDocument", ("uploaded_by_user",), _("Vem som laddat upp ett dokument"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("wagtaildocs.Document", ("uploaded_by_user",), _("Används inte"), PUBLIC_TASK,
                 NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("wagtailimages.Image", ("uploaded_by_user",), _("Vem som laddat upp en bild"),
                 PUBLIC_TASK, NO_PRUNING, ON_ERASURE_DETACHED),
    PersonalData("wagtailcore.UploadedFile", ("*",), _("Filer under uppladdning"), PUBLIC_TASK,
                 _("Tills uppladdningen är klar"), ON_ERASURE_DELETED),
    PersonalData("wagtailcore.APIToken", ("*",), _("Nycklar för API-åtkomst"), LEGAL_OBLIGATION,
                 _("Tills nyckeln återkallas"), ON_ERASURE_DELETED),
    PersonalData("wagtailadmin.EditingSession", ("*",), _("Visar att någon annan redigerar"),
                 PUBLIC_TASK, _("Några minuter"), ON_ERASURE_DELETED),
    PersonalData("wagtailadmin.FormState", ("*",), _("Osparade ändringar i redigeringsläget"),
                 PUBLIC_TASK, _("Tills formuläret sparas"), ON_ERASURE_DELETED),
    PersonalData("wagtailusers.UserProfile", ("*",), _("Inställningar i redigeringsläget"),
                 PUBLIC_TASK, UNTIL_ERASED, _("Raderas, med profilbilden, när kontot raderas")),
    # --- other apps of this project ---------------------------------------------------------
    PersonalData("security.UserSession", ("*",), _("Att kunna logga ut dig överallt"),
                 LEGAL_OBLIGATION, _("Lika länge som inloggningen"),
                 _("Försvinner med sessionen (utloggning, manage.py clearsessions) och när "
                   "kontot raderas eller inaktiveras")),
    PersonalData("accessibility.AccessibilityFeedback",
                 ("user", "description", "page_url", "wants_contact"),
                 _("Att följa upp synpunkter om tillgänglighet"),
                 _("Rättslig förpliktelse (art. 6.1 c): lagen (2018:1937) om tillgänglighet "
                   "till digital offentlig service"), NO_PRUNING, ON_ERASURE_DETACHED),
    # --- logs -------------------------------------------------------------------------------------
    PersonalData("admin.LogEntry", ("user", "object_repr"), _("Systemadministrationens logg"),
                 LEGAL_OBLIGATION, NO_PRUNING, ON_ERASURE_KEPT),
    PersonalData("privacy.ErasureRecord", ("actor", "subject_id"),
                 _("Att ett konto har raderats, när och av vem (inga uppgifter om den raderade)"),
                 LEGAL_OBLIGATION, NO_PRUNING, _("Sparas")),
)

# Free-text and identifying fields that must always be registered (besides the rules in the
# test): the needs, and what a registration copies from the profile.
REQUIRED_FIELDS = (
    "conference.AttendeeNeeds.diet", "conference.AttendeeNeeds.diet_other",
    "conference.AttendeeNeeds.access", "conference.AttendeeNeeds.access_other",
    "conference.Registration.name", "conference.Registration.email",
    "forum.Post.markdown", "forum.Draft.markdown", "forum.Flag.text",
    "cms.ContentPage.contact_email",
)


def installed_entries() -> list[PersonalData]:
    from .relations import app_installed

    return [e for e in REGISTRY if app_installed(e.model.split(".")[0])]


def covered_fields() -> set[str]:
    """"app.Model.field" for every registered field, with "*" expanded."""
    from django.apps import apps

    covered = set()
    for entry in installed_entries():
        model = apps.get_model(entry.model)
        names = ([f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many]
                 if entry.fields == ("*",) else entry.fields)
        covered |= {f"{entry.model}.{name}" for name in names}
    return covered
