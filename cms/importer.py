"""Import of knowledge-base pages from the corpus line format (fixtures/content/FORMAT.md).

Everything is validated before anything is written; the write happens in one transaction,
so a bad file imports nothing. Lines whose content has not changed since the last import
are skipped (a checksum of the line is kept on the page), which makes re-runs cheap and
keeps the revision history clean.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.html import escape
from wagtail.rich_text import RichText

from .models import (
    ContentPage,
    GoodExamplePage,
    GuidancePage,
    MethodPage,
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)
from .site_structure import ensure_section_indexes

PAGE_TYPES = {"metod": MethodPage, "vagledning": GuidancePage, "gott-exempel": GoodExamplePage}
# Handled by the forum and conference apps once they register an importer.
EXTERNAL_TYPES = {"forum", "konferens"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_FIELDS = {
    "metod": ("purpose", "when_to_use", "time_needed", "participants"),
    "gott-exempel": ("background", "what_was_done", "results", "lessons"),
    "vagledning": (),
}
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Other apps add handlers for their line types: type → callable(records, result), run inside
# the import transaction, and optionally a validator: type → callable(line, data, errors),
# run with the other checks before anything is written.
EXTERNAL_IMPORTERS: dict[str, Callable] = {}
EXTERNAL_VALIDATORS: dict[str, Callable] = {}


class ImportValidationError(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("\n".join(f"Rad {line}: {message}" for line, message in errors))


@dataclass
class Record:
    line: int
    data: dict
    checksum: str


@dataclass
class ImportResult:
    """Counts for content pages, plus per-type counts for other apps' lines."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    external: dict[str, Counter] = field(default_factory=dict)

    def count_external(self, kind: str, outcome: str) -> None:
        """outcome: "created", "updated" or "unchanged"."""
        self.external.setdefault(kind, Counter())[outcome] += 1


@dataclass
class Vocabulary:
    rights_areas: dict
    units: dict
    principles: dict
    steps: dict
    target_groups: dict

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(
            rights_areas={o.slug: o for o in RightsArea.objects.all()},
            units={o.slug: o for o in OrganisationUnit.objects.all()},
            principles={o.slug: o for o in Principle.objects.all()},
            steps={o.number: o for o in StaircaseStep.objects.all()},
            target_groups={o.slug: o for o in TargetGroup.objects.all()},
        )


def _check_slugs(errors, line, data, key, known, label, required=False, item_type=str):
    values = data.get(key, [])
    if not isinstance(values, list):
        errors.append((line, f"fältet {key} ska vara en lista"))
        return
    if required and not values:
        errors.append((line, f"minst ett {label} krävs"))
    for value in values:
        # bool is an int subclass; True must not pass as step 1.
        if not isinstance(value, item_type) or isinstance(value, bool):
            errors.append((line, f"fältet {key} innehåller ett värde av fel typ: {value!r}"))
        elif value not in known:
            errors.append((line, f"okänt {label}: {value!r}"))


def _check_text(errors, line, data, key, max_length=None, label=None):
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, str):
        errors.append((line, f"fältet {key} ska vara text"))
    elif max_length and len(value) > max_length:
        errors.append((line, f"{label or 'fältet ' + key} är längre än {max_length} tecken"))


def validate_line(line: int, data, vocab: Vocabulary, errors: list) -> None:
    if not isinstance(data, dict):
        errors.append((line, "raden är inte ett JSON-objekt"))
        return
    kind = data.get("type")
    if kind in EXTERNAL_TYPES:
        validator = EXTERNAL_VALIDATORS.get(kind)
        if validator is not None:
            validator(line, data, errors)
        return
    if kind not in PAGE_TYPES:
        errors.append((line, f"okänd typ {kind!r} (tillåtna: {', '.join([*PAGE_TYPES, *EXTERNAL_TYPES])})"))
        return
    slug = data.get("id")
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 255:
        errors.append((line, f"ogiltigt id {slug!r} (små bokstäver a–z, siffror och bindestreck)"))
    for key in ("title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            errors.append((line, f"fältet {key} saknas eller är tomt"))
    _check_text(errors, line, data, "title", 255, label="titeln")
    _check_text(errors, line, data, "summary", ContentPage._meta.get_field("summary").max_length)
    for key in ("body", "contact_email", *TEXT_FIELDS[kind]):
        _check_text(errors, line, data, key)
    email = data.get("contact_email")
    if isinstance(email, str) and email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append((line, f"ogiltig e-postadress i contact_email: {email!r}"))
    _check_slugs(errors, line, data, "rights_areas", vocab.rights_areas, "rättighetsområde", True)
    _check_slugs(errors, line, data, "principles", vocab.principles, "princip")
    _check_slugs(errors, line, data, "target_groups", vocab.target_groups, "målgrupp")
    _check_slugs(errors, line, data, "trappsteg", vocab.steps, "steg i MR-trappan", item_type=int)
    department = data.get("department")
    if department is not None and not isinstance(department, str):
        errors.append((line, "fältet department ska vara text"))
    elif department is not None and department not in vocab.units:
        errors.append((line, f"okänd förvaltning eller okänt bolag: {department!r}"))
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        errors.append((line, "fältet tags ska vara en lista med text"))
    published = data.get("published")
    if published is not None:
        try:
            datetime.date.fromisoformat(published)
        except (TypeError, ValueError):
            errors.append((line, f"ogiltigt datum i published: {published!r} (ÅÅÅÅ-MM-DD)"))
    steps = data.get("steps", [])
    if not isinstance(steps, list) or not all(
        isinstance(s, dict) and isinstance(s.get("title"), str) and s["title"].strip()
        and isinstance(s.get("text", ""), str)
        for s in steps
    ):
        errors.append((line, "fältet steps ska vara en lista med {\"title\": …, \"text\": …}"))
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2100):
        errors.append((line, f"ogiltigt år: {year!r}"))


def parse_lines(lines: Iterable[str], vocab: Vocabulary | None = None) -> list[Record]:
    """Parse and validate every line; raise ImportValidationError listing all problems."""
    vocab = vocab or Vocabulary.load()
    errors: list[tuple[int, str]] = []
    records: list[Record] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append((number, f"ogiltig JSON ({exc.msg}, tecken {exc.colno})"))
            continue
        before = len(errors)
        validate_line(number, data, vocab, errors)
        if len(errors) > before:
            continue
        slug = data.get("id")
        if slug in seen:
            errors.append((number, f"id {slug!r} finns redan på rad {seen[slug]}"))
            continue
        seen[slug] = number
        checksum = hashlib.sha256(raw.strip().encode()).hexdigest()
        records.append(Record(number, data, checksum))
    if errors:
        raise ImportValidationError(errors)
    return records


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _rich(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(text))


def _apply(page: ContentPage, data: dict, vocab: Vocabulary, checksum: str) -> None:
    kind = data["type"]
    page.title = data["title"].strip()
    page.draft_title = page.title
    page.slug = data["id"]
    page.summary = data["summary"].strip()
    page.body = [("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in _paragraphs(data.get("body", ""))]
    page.organisation_unit = vocab.units.get(data.get("department"))
    page.contact_email = data.get("contact_email", "") or ""
    page.import_checksum = checksum
    for name in TEXT_FIELDS[kind]:
        value = data.get(name, "") or ""
        setattr(page, name, _rich(value) if kind == "gott-exempel" else value.strip())
    if kind == "metod":
        page.steps = [
            ("step", {"title": s["title"].strip(), "text": RichText(_rich(s.get("text", "")))})
            for s in data.get("steps", [])
        ]
    if kind == "gott-exempel":
        page.year = data.get("year")
    if data.get("published"):
        published = datetime.date.fromisoformat(data["published"])
        moment = datetime.datetime.combine(published, datetime.time(9, 0), tzinfo=STOCKHOLM)
        page.first_published_at = moment
        page.last_reviewed = published
    page.rights_areas.set([vocab.rights_areas[s] for s in data["rights_areas"]])
    page.principles.set([vocab.principles[s] for s in data.get("principles", [])])
    page.staircase_steps.set([vocab.steps[n] for n in data.get("trappsteg", [])])
    page.target_groups.set([vocab.target_groups[s] for s in data.get("target_groups", [])])
    page.tags.set(data.get("tags", []), clear=True)


def import_records(records: list[Record], progress: Callable[[Iterable], Iterable] = iter,
                   owner=None) -> ImportResult:
    """Create or update pages in one transaction. `progress` wraps the iteration (tqdm)."""
    result = ImportResult()
    vocab = Vocabulary.load()
    with transaction.atomic():
        indexes = ensure_section_indexes()
        parents = {kind: next(p for m, p in indexes.items() if m.listed_model is model)
                   for kind, model in PAGE_TYPES.items()}
        existing = {
            page.slug: page
            for page in ContentPage.objects.filter(
                slug__in=[r.data["id"] for r in records if r.data["type"] in PAGE_TYPES]
            ).specific()
        }
        external: dict[str, list[Record]] = {}
        for record in progress(records):
            kind = record.data["type"]
            if kind in EXTERNAL_TYPES:
                external.setdefault(kind, []).append(record)
                continue
            model = PAGE_TYPES[kind]
            page = existing.get(record.data["id"])
            if page is not None and not isinstance(page, model):
                raise ImportValidationError([(record.line, f"id {record.data['id']!r} används redan av en sida av en annan typ")])
            if page is not None and page.import_checksum == record.checksum and page.live:
                result.unchanged += 1
                continue
            if page is None:
                page = model(owner=owner, content_owner=owner)
                _apply(page, record.data, vocab, record.checksum)
                parents[kind].add_child(instance=page)
                result.created += 1
            else:
                _apply(page, record.data, vocab, record.checksum)
                result.updated += 1
            # An administrative import: attributed to the owner, not limited by their role.
            page.save_revision(user=owner, log_action=True).publish(
                user=owner, skip_permission_checks=True
            )
        for kind, kind_records in external.items():
            handler = EXTERNAL_IMPORTERS.get(kind)
            if handler is None:
                result.skipped[kind] += len(kind_records)
            else:
                handler(kind_records, result)
    return result
