"""The export as the "Mina uppgifter" page: Swedish headings and tables from export.collect().

The page shows up to PAGE_ROWS rows of each list (newest data is in the download); the JSON
export always has everything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

PAGE_ROWS = 50

SECTIONS = {
    "profile": _("Profil"),
    "forum": _("Forumet"),
    "conference": _("Konferensen"),
    "content": _("Innehåll i MR-navet"),
    "audit": _("Loggar där du förekommer"),
}

TABLES = {
    "email_addresses": _("E-postadresser"),
    "mfa_devices": _("Tvåstegsverifiering"),
    "social_accounts": _("Inloggning via Malmö stad"),
    "threads": _("Trådar du har startat"),
    "posts": _("Dina inlägg"),
    "post_revisions": _("Tidigare versioner av inlägg du har ändrat"),
    "reactions": _("Dina reaktioner"),
    "watches": _("Bevakningar"),
    "drafts": _("Utkast"),
    "notifications": _("Aviseringar"),
    "flags": _("Inlägg du har flaggat"),
    "registrations": _("Anmälningar"),
    "proposals": _("Förslag till programmet"),
    "reviews": _("Dina bedömningar av förslag"),
    "feedback_receipts": _("Utvärderingar du har besvarat (svaren är anonyma)"),
    "pages_created": _("Sidor du har skapat"),
    "pages_locked": _("Sidor du har låst"),
    "pages_responsible": _("Sidor där du är innehållsansvarig"),
    "revisions": _("Versioner du har sparat"),
    "workflow_requests": _("Sidor du har skickat till granskning"),
    "workflow_decisions": _("Dina granskningsbeslut"),
    "comments": _("Kommentarer i redigeringsläget"),
    "comments_resolved": _("Kommentarer du har markerat som lösta"),
    "comment_replies": _("Svar på kommentarer"),
    "page_subscriptions": _("Sidor du får kommentarsaviseringar för"),
    "documents": _("Dokument du har laddat upp"),
    "images": _("Bilder du har laddat upp"),
    "conference": _("Konferensens logg"),
    "forum_moderation": _("Forumets modereringslogg"),
    "page_history": _("Sidhistorik"),
    "admin_history": _("Ändringshistorik i administrationen"),
    "django_admin": _("Systemadministrationens logg"),
    "erasures_performed": _("Konton du har raderat"),
    "accessibility_feedback": _("Dina synpunkter om tillgänglighet"),
}

COLUMNS = {
    "email": _("E-post"), "verified": _("Bekräftad"), "primary": _("Huvudadress"),
    "type": _("Typ"), "created_at": _("Skapad"), "last_used_at": _("Senast använd"),
    "provider": _("Tjänst"), "uid": _("Id"), "date_joined": _("Kopplad"),
    "last_login": _("Senaste inloggning"), "id": _("Nr"), "title": _("Rubrik"),
    "category": _("Kategori"), "is_hidden": _("Dold av moderator"), "thread_id": _("Trådnr"),
    "thread": _("Tråd"), "number": _("Inlägg nr"), "markdown": _("Text"),
    "edited_at": _("Ändrad"), "is_deleted": _("Borttagen"), "hidden_reason": _("Skäl"),
    "post_id": _("Inlägg nr"), "kind": _("Typ"), "tag": _("Tagg"), "level": _("Nivå"),
    "updated_at": _("Sparad"), "message": _("Meddelande"), "read_at": _("Läst"),
    "emailed_at": _("Mejlad"), "reason": _("Skäl"), "text": _("Text"),
    "resolved_at": _("Hanterad"), "resolution": _("Beslut"), "edition": _("Konferens"),
    "year": _("År"), "name": _("Namn"), "organisation_unit": _("Förvaltning eller bolag"),
    "status": _("Status"), "confirmed_at": _("Bekräftad"), "cancelled_at": _("Avbokad"),
    "checked_in_at": _("Incheckad"), "needs": _("Dina behov"), "sessions": _("Pass"),
    "abstract": _("Sammanfattning"), "format": _("Format"),
    "co_presenters": _("Medverkande"), "proposal": _("Förslag"), "score": _("Betyg"),
    "comment": _("Kommentar"), "session": _("Pass"), "live": _("Publicerad"),
    "first_published_at": _("Först publicerad"), "locked_at": _("Låst"),
    "contact_email": _("Kontakt"), "next_review_date": _("Nästa granskning"),
    "object": _("Sida eller objekt"), "workflow": _("Arbetsflöde"), "task": _("Steg"),
    "finished_at": _("Beslutad"), "page": _("Sida"),
    "comment_notifications": _("Aviseringar"), "action": _("Händelse"),
    "details": _("Detaljer"), "role": _("Din roll"), "label": _("Objekt"),
    "timestamp": _("Tid"), "action_time": _("Tid"), "action_flag": _("Åtgärd"),
    "via": _("Hur"), "page_url": _("Sida"), "description": _("Beskrivning"),
    "wants_contact": _("Vill bli kontaktad"),
}

PROFILE_FIELDS = {
    "display_name": _("Visningsnamn"), "first_name": _("Förnamn"), "last_name": _("Efternamn"),
    "email": _("E-postadress"), "organisation_unit": _("Förvaltning eller bolag"),
    "job_title": _("Befattning"), "roles": _("Roller"), "date_joined": _("Konto skapat"),
    "last_login": _("Senaste inloggning"),
}

READ_MARKS = {
    "threads": _("Trådar med lässtatus"), "threads_latest": _("Senast läst tråd"),
    "categories": _("Kategorier markerade som lästa"),
    "categories_latest": _("Senast markerad kategori"),
}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    total: int


@dataclass
class Section:
    key: str
    title: str
    facts: list[tuple[str, object]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def show(value) -> str:
    """One cell as text: dates in local time, booleans as ja/nej, lists joined."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("ja") if value else _("nej"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H.i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, dict):
        return "; ".join(f"{COLUMNS.get(k, READ_MARKS.get(k, k))}: {show(v)}" for k, v in value.items()
                         if v not in (None, "", []))
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) or "–"
    return str(value)


def _table(key: str, rows: list[dict]) -> Table:
    columns = list(rows[0]) if rows else []
    return Table(key=key, title=str(TABLES.get(key, key)),
                 columns=[str(COLUMNS.get(c, c)) for c in columns],
                 rows=[[show(row[c]) for c in columns] for row in rows[:PAGE_ROWS]],
                 total=len(rows))


def sections(data: dict) -> list[Section]:
    result = []
    for key, title in SECTIONS.items():
        section = Section(key=key, title=str(title))
        for name, value in data[key].items():
            if isinstance(value, list) and (not value or isinstance(value[0], dict)):
                section.tables.append(_table(name, value))
            elif key == "profile" and name in PROFILE_FIELDS:
                section.facts.append((str(PROFILE_FIELDS[name]), show(value)))
            elif name == "read_marks":
                section.facts.extend((str(READ_MARKS[k]), show(v)) for k, v in value.items())
            elif name == "notification_settings":
                from forum.models import EmailPreference

                frequency = dict(EmailPreference.Frequency.choices).get(value["email_frequency"])
                section.facts.append((str(_("E-post om aviseringar")), show(frequency)))
            elif name == "admin_preferences" and value:
                section.facts.append((str(_("Inställningar i redigeringsläget")), show(value)))
        result.append(section)
    return result
