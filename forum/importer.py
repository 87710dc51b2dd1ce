"""`import_content` for `forum` lines of the corpus format (fixtures/content/FORMAT.md).

A line becomes a thread: the body is the opening post followed by replies, each reply
starting on its own line with "Svar från <organisation>:". Posts are written by the
inactive organisation account of their department or company (forum.authors), so they show
the organisation's name. The thread goes to the open category of the line's first rights
area, or to "Allmänt" when there is none (closed categories never receive imported threads).

Re-running an import is safe: the line id is kept as Thread.external_id. An unchanged line
changes nothing; a changed one edits the imported posts (with revisions), adds or removes
replies, and updates title and tags. The category is left alone on re-import, since
moderators may have moved the thread.

Registered in cms.importer.EXTERNAL_IMPORTERS by forum.apps; runs inside the importer's
transaction, so raising ImportValidationError ("Rad N: …") undoes the whole import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.importer import (
    EXTERNAL_IMPORTERS,
    EXTERNAL_VALIDATORS,
    STOCKHOLM,
    ImportValidationError,
)
from cms.models import OrganisationUnit

from . import services, signals
from .authors import IMPORT_EMAIL_DOMAIN, organisation_user
from .defaults import GENERAL_SLUG
from .models import Category, Thread
from .signals import quiet_posting

REPLY_RE = re.compile(r"^[ \t]*Svar från ([^\n:]{1,150}):[ \t]*", re.MULTILINE)
REPLY_SPACING = datetime.timedelta(hours=3)
MAX_ID_LENGTH = Thread._meta.get_field("external_id").max_length


@dataclass(frozen=True)
class Part:
    organisation: str  # as written ("" for the opening post: the line's department)
    markdown: str


def split_body(body: str) -> list[Part]:
    """Opening post, then one part per "Svar från …:" line (text on that line included)."""
    matches = list(REPLY_RE.finditer(body))
    if not matches:
        return [Part("", body.strip())]
    ends = [m.start() for m in matches[1:]] + [len(body)]
    parts = [Part("", body[: matches[0].start()])]
    for match, end in zip(matches, ends, strict=True):
        parts.append(Part(match.group(1).strip(), body[match.end():end]))
    return [Part(p.organisation, p.markdown.strip()) for p in parts]


class Organisations:
    """Finds organisation units by slug or by name as written in running text."""

    def __init__(self):
        self.by_key: dict[str, OrganisationUnit] = {}
        for unit in OrganisationUnit.objects.all():
            for key in (unit.slug, unit.name.casefold(), slugify(unit.name)):
                self.by_key.setdefault(key, unit)
        self._users: dict[str, object] = {}

    def unit(self, name: str) -> OrganisationUnit | None:
        name = " ".join(name.split())
        return (self.by_key.get(name) or self.by_key.get(name.casefold())
                or self.by_key.get(slugify(name)))

    def user(self, name: str):
        unit = self.unit(name)
        key = unit.slug if unit else slugify(name)
        if key not in self._users:
            label = name[:1].upper() + name[1:]
            self._users[key] = organisation_user(label, unit)
        return self._users[key]


def _validate(record, orgs: Organisations) -> list[tuple[int, str]]:
    data, line = record.data, record.line
    errors: list[str] = []
    external_id = data.get("id")
    if (not isinstance(external_id, str) or not external_id.strip()
            or len(external_id) > MAX_ID_LENGTH):
        errors.append(f"ogiltigt id {external_id!r} (text, högst {MAX_ID_LENGTH} tecken)")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append("fältet title saknas eller är tomt")
    elif len(" ".join(title.split())) > services.MAX_TITLE_LENGTH:
        errors.append(f"titeln är längre än {services.MAX_TITLE_LENGTH} tecken")
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        errors.append("fältet body saknas eller är tomt")
    else:
        for number, part in enumerate(split_body(body), start=1):
            where = ("inledande inlägget" if number == 1
                     else f"svar {number - 1} (från {part.organisation})")
            if not part.markdown:
                errors.append(f"{where} är tomt")
                continue
            try:
                services.clean_markdown(part.markdown)
            except services.PostingError as exc:
                errors.append(f"{where}: {exc}")
    department = data.get("department")
    if not isinstance(department, str) or not department:
        errors.append("fältet department saknas (organisationen som startade tråden)")
    elif orgs.unit(department) is None:
        errors.append(f"okänd förvaltning eller okänt bolag: {department!r}")
    for key in ("rights_areas", "tags"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"fältet {key} ska vara en lista med text")
    published = data.get("published")
    if published is not None:
        try:
            datetime.date.fromisoformat(published)
        except (TypeError, ValueError):
            errors.append(f"ogiltigt datum i published: {published!r} (ÅÅÅÅ-MM-DD)")
    return [(line, message) for message in errors]


def _category_for(rights_areas: list[str], categories: list[Category]) -> Category | None:
    open_categories = [c for c in categories if not c.is_closed]
    if rights_areas:
        for category in open_categories:
            if category.rights_area is not None and category.rights_area.slug == rights_areas[0]:
                return category
    return next((c for c in open_categories if c.slug == GENERAL_SLUG), None)


def _start_time(data: dict) -> datetime.datetime:
    now = timezone.now()
    if not data.get("published"):
        return now
    day = datetime.date.fromisoformat(data["published"])
    return min(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=STOCKHOLM), now)


def _post_time(start: datetime.datetime, index: int) -> datetime.datetime:
    return min(start + index * REPLY_SPACING, timezone.now())


def _create(record, parts, authors, category, tags) -> Thread:
    start = _start_time(record.data)
    thread = services.create_thread(
        authors[0], category, record.data["title"], parts[0].markdown, tags=tags,
        now=start, check_limits=False,
    )
    for index, (part, author) in enumerate(zip(parts[1:], authors[1:], strict=True), start=1):
        services.reply(author, thread, part.markdown, now=_post_time(start, index),
                       check_limits=False)
    Thread.objects.filter(pk=thread.pk).update(external_id=record.data["id"])
    return thread


def _update(thread: Thread, record, parts, authors, tags) -> bool:
    """Bring an imported thread in line with its line; True if anything changed."""
    changed = False
    title = services.clean_title(record.data["title"])
    if title != thread.title:
        Thread.objects.filter(pk=thread.pk).update(title=title)
        changed = True
    if {t.pk for t in tags} != set(thread.tags.values_list("pk", flat=True)):
        thread.tags.set(tags)
        changed = True
    if changed:
        transaction.on_commit(lambda: signals.thread_changed.send(sender=Thread,
                                                                  thread_id=thread.pk))
    imported = list(thread.posts.filter(author__email__endswith="@" + IMPORT_EMAIL_DOMAIN,
                                        is_deleted=False).select_related("thread"))
    for post, part in zip(imported, parts, strict=False):
        if post.markdown != part.markdown:
            services.edit_post(None, post, part.markdown)
            changed = True
    start = _start_time(record.data)
    for index in range(len(imported), len(parts)):
        try:
            services.reply(authors[index], thread, parts[index].markdown,
                           now=_post_time(start, index), check_limits=False)
        except services.PostingError as exc:
            raise ImportValidationError([(record.line, f"tråden {title!r}: {exc}")]) from None
        changed = True
    for post in imported[len(parts):]:
        services.delete_post(None, post)
        changed = True
    return changed


def import_forum_lines(records, result) -> None:
    """EXTERNAL_IMPORTERS handler: validate every forum line, then create or update.
    Imported posts notify nobody: they are old discussions moved in, not new activity."""
    with quiet_posting():
        _import_forum_lines(records, result)


def _import_forum_lines(records, result) -> None:
    orgs = Organisations()
    errors = [error for record in records for error in _validate(record, orgs)]
    categories = list(Category.objects.select_related("rights_area").order_by("sort_order", "pk"))
    if not errors and _category_for([], categories) is None:
        errors = [(records[0].line, f"forumkategorin {GENERAL_SLUG!r} saknas; skapa den först")]
    if errors:
        raise ImportValidationError(errors)
    existing = {t.external_id: t for t in
                Thread.objects.filter(external_id__in=[r.data["id"] for r in records])}
    for record in records:
        data = record.data
        parts = split_body(data["body"])
        authors = [orgs.user(data["department"]), *(orgs.user(p.organisation) for p in parts[1:])]
        tags = services.get_or_create_tags(data.get("tags", []))
        thread = existing.get(data["id"])
        if thread is None:
            category = _category_for(data.get("rights_areas", []), categories)
            _create(record, parts, authors, category, tags)
            result.count_external("forum", "created")
        elif _update(thread, record, parts, authors, tags):
            result.count_external("forum", "updated")
        else:
            result.count_external("forum", "unchanged")


def validate_forum_line(line: int, data: dict, errors: list) -> None:
    """EXTERNAL_VALIDATORS hook: forum lines are checked with every other line, before any
    write, so the command can list all problems at once."""
    errors.extend(_validate(SimpleNamespace(line=line, data=data), Organisations()))


EXTERNAL_IMPORTERS["forum"] = import_forum_lines
EXTERNAL_VALIDATORS["forum"] = validate_forum_line
