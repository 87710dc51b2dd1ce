"""`import_content` for `konferens` lines of the corpus format (fixtures/content/FORMAT.md).

A line becomes a Session (a plenary without signup) of the edition of its `published` year.
A missing edition is created under the Konferens index as a past, published edition with
registration closed; an existing one (edited by organisers, or this year's) is used as it
is. Each line's date gets one time slot (09.00–16.00) in its edition, shared by lines of the
same date. The description is the summary followed by the body; presenters are the
department's name.

Re-running is safe: the line id is kept as Session.external_id; an unchanged line changes
nothing, a changed one updates the session (and moves it if its date changed and nobody
has booked it). Registered in cms.importer.EXTERNAL_IMPORTERS from the app's ready(); runs
inside the importer's transaction, so raising ImportValidationError undoes the import.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from cms.importer import (
    EXTERNAL_IMPORTERS,
    EXTERNAL_VALIDATORS,
    STOCKHOLM,
    ImportValidationError,
)
from cms.models import OrganisationUnit, RightsArea
from cms.site_structure import ensure_conference_index

from .models import EditionPage, Session, SessionBooking, TimeSlot

KIND = "konferens"
MAX_ID = Session._meta.get_field("external_id").max_length
MAX_TITLE = Session._meta.get_field("title").max_length
DAY_START, DAY_END = datetime.time(9, 0), datetime.time(16, 0)
PAST_CAPACITY = 300
CONTACT_EMAIL = "mrnavet@malmo.se"
PRIVACY_NOTICE = ("<p>Konferensen är genomförd. Anmälningsuppgifter från den här "
                  "konferensen sparas inte i MR-navet.</p>")


def _validate(data: dict, areas: set[str], units: set[str]) -> list[str]:
    errors = []
    external_id = data.get("id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > MAX_ID:
        errors.append(f"ogiltigt id {external_id!r} (text, högst {MAX_ID} tecken)")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append("fältet title saknas eller är tomt")
    elif len(" ".join(title.split())) > MAX_TITLE:
        errors.append(f"titeln är längre än {MAX_TITLE} tecken")
    for key in ("summary", "body"):
        if not isinstance(data.get(key, ""), str):
            errors.append(f"fältet {key} ska vara text")
    department = data.get("department")
    if department is not None and (not isinstance(department, str) or department not in units):
        errors.append(f"okänd förvaltning eller okänt bolag: {department!r}")
    values = data.get("rights_areas", [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        errors.append("fältet rights_areas ska vara en lista med text")
    else:
        errors += [f"okänt rättighetsområde: {v!r}" for v in values if v not in areas]
    try:
        datetime.date.fromisoformat(data.get("published"))
    except (TypeError, ValueError):
        errors.append(f"ogiltigt eller saknat datum i published: {data.get('published')!r} "
                      "(ÅÅÅÅ-MM-DD; det avgör vilket konferensår passet hör till)")
    return errors


def validate_conference_line(line: int, data: dict, errors: list) -> None:
    """EXTERNAL_VALIDATORS hook: checked with every other line, before any write."""
    areas = set(RightsArea.objects.values_list("slug", flat=True))
    units = set(OrganisationUnit.objects.values_list("slug", flat=True))
    errors.extend((line, message) for message in _validate(data, areas, units))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)


def _past_edition(index, year: int, days: list[datetime.date]) -> EditionPage:
    """A published edition whose registration is closed."""
    starts, ends = _at(min(days), DAY_START), _at(max(days), DAY_END)
    closes = min(starts - datetime.timedelta(days=7), timezone.now())
    edition = EditionPage(
        title=f"Spridningskonferensen {year}", slug=str(year), year=year,
        starts_at=starts, ends_at=ends, venue="Malmö", capacity=PAST_CAPACITY,
        registration_opens_at=closes - datetime.timedelta(days=60),
        registration_closes_at=closes, change_deadline=closes,
        privacy_notice=PRIVACY_NOTICE, contact_email=CONTACT_EMAIL,
    )
    index.add_child(instance=edition)
    edition.save_revision(log_action=True).publish(skip_permission_checks=True)
    return edition


class _Editions:
    """Editions by year and their per-day slots, created on first use."""

    def __init__(self, records):
        self.index = None
        self.by_year = {e.year: e for e in EditionPage.objects.all()}
        self.days: dict[int, list[datetime.date]] = {}
        for record in records:
            day = datetime.date.fromisoformat(record.data["published"])
            self.days.setdefault(day.year, []).append(day)
        self.slots: dict[tuple[int, datetime.date], TimeSlot] = {}

    def slot(self, day: datetime.date) -> TimeSlot:
        edition = self.by_year.get(day.year)
        if edition is None:
            self.index = self.index or ensure_conference_index()
            edition = self.by_year[day.year] = _past_edition(self.index, day.year,
                                                              self.days[day.year])
        key = (edition.pk, day)
        if key not in self.slots:
            starts = _at(day, DAY_START)
            self.slots[key] = TimeSlot.objects.filter(
                edition=edition, starts_at=starts).first() or TimeSlot.objects.create(
                edition=edition, starts_at=starts, ends_at=_at(day, DAY_END))
        return self.slots[key]


def _values(data: dict, units: dict) -> dict:
    unit = units.get(data.get("department"))
    parts = [p.strip() for p in (data.get("summary", ""), data.get("body", "")) if p.strip()]
    return {"title": " ".join(data["title"].split()), "description": "\n\n".join(parts),
            "presenters": unit.name if unit else "", "organisation_unit": unit}


def import_conference_lines(records, result) -> None:
    """EXTERNAL_IMPORTERS handler: create or update one session per line."""
    areas = {a.slug: a for a in RightsArea.objects.all()}
    units = {u.slug: u for u in OrganisationUnit.objects.all()}
    errors = [(r.line, message) for r in records
              for message in _validate(r.data, set(areas), set(units))]
    if errors:
        raise ImportValidationError(errors)
    editions = _Editions(records)
    existing = {s.external_id: s for s in Session.objects.filter(
        external_id__in=[r.data["id"] for r in records]).select_related(
        "organisation_unit").prefetch_related("rights_areas")}
    for record in records:
        data = record.data
        slot = editions.slot(datetime.date.fromisoformat(data["published"]))
        values = _values(data, units)
        wanted_areas = [areas[s] for s in data.get("rights_areas", [])]
        session = existing.get(data["id"])
        if session is None:
            session = Session.objects.create(
                edition_id=slot.edition_id, slot=slot, kind=Session.Kind.PLENARY,
                requires_signup=False, external_id=data["id"], **values)
            session.rights_areas.set(wanted_areas)
            result.count_external(KIND, "created")
            continue
        changed = _update(session, record, slot, values)
        if {a.pk for a in wanted_areas} != {a.pk for a in session.rights_areas.all()}:
            session.rights_areas.set(wanted_areas)
            changed = True
        result.count_external(KIND, "updated" if changed else "unchanged")


def _update(session: Session, record, slot: TimeSlot, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, values[name])
    if session.slot_id != slot.pk:
        if SessionBooking.objects.filter(session=session).exists():
            raise ImportValidationError([(record.line, (
                f"passet {session.title!r} har anmälningar och kan inte flyttas till "
                f"{record.data['published']}"))])
        session.slot, session.edition_id = slot, slot.edition_id
        changed += ["slot", "edition"]
    if changed:
        session.save(update_fields=changed)
    return bool(changed)


EXTERNAL_IMPORTERS[KIND] = import_conference_lines
EXTERNAL_VALIDATORS[KIND] = validate_conference_line
