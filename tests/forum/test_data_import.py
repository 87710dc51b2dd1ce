"""`import_content` with `forum` lines: one thread per line, replies split on "Svar från …:"."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.importer import ImportValidationError, import_records, parse_lines
from cms.models import ContentPage
from forum.authors import IMPORT_EMAIL_DOMAIN, author_label
from forum.importer import split_body
from forum.indexing import thread_document
from forum.models import Category, Post, PostRevision, Thread
from forum.permissions import ForumPermissions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")

BYGGLOV = {
    "id": "forum-barnets-basta-bygglov", "type": "forum",
    "title": "Barnets bästa i bygglovsärenden – behövs det?",
    "summary": "En handläggare undrar om prövning krävs i bygglov.",
    "body": "Jag jobbar med bygglov och undrar hur ni gör.\n\nAndra stycket.\n\n"
            "Svar från stadsbyggnadskontoret:\nPrövningen är störst i detaljplanen.\n\n"
            "Svar från arbetsmarknads- och socialförvaltningen:\nVi gör en kort anteckning.\n\n"
            "Svar från MKB Fastighets AB: Vi tänker på gården.",
    "rights_areas": ["barnets-rattigheter", "manskliga-rattigheter"],
    "department": "stadsbyggnadskontoret", "principles": [], "trappsteg": [3],
    "tags": ["bygglov", "barnets bästa", "PBL"], "published": "2025-01-21",
}
NO_AREA = {
    "id": "forum-utan-omrade", "type": "forum", "title": "En fråga utan område",
    "summary": "…", "body": "Hur gör ni?\n\nSvar från Region Skåne:\nSå här.",
    "rights_areas": ["finns-inte"], "department": "valnamnden", "tags": [],
}
PAGE = {
    "id": "diskrimineringslagen-i-korthet", "type": "vagledning",
    "title": "Diskrimineringslagen i korthet", "summary": "Lagens sju grunder.",
    "body": "Text.", "rights_areas": ["antidiskriminering"], "department": "stadskontoret",
    "principles": [], "trappsteg": [], "tags": [], "published": "2022-11-01",
}


def write(tmp_path, records):
    path = tmp_path / "forum.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, err=None):
    out, err = StringIO(), err if err is not None else StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=err)
    return out.getvalue()


def forum_counts(result):
    counts = result.external.get("forum", {})
    return (counts.get("created", 0), counts.get("updated", 0), counts.get("unchanged", 0))


def test_split_body_on_reply_lines():
    parts = split_body(BYGGLOV["body"])
    assert [p.organisation for p in parts] == [
        "", "stadsbyggnadskontoret", "arbetsmarknads- och socialförvaltningen",
        "MKB Fastighets AB"]
    assert parts[0].markdown == "Jag jobbar med bygglov och undrar hur ni gör.\n\nAndra stycket."
    assert parts[3].markdown == "Vi tänker på gården."
    # "Svar från" inside a sentence is not a reply
    assert len(split_body("Jag läste Svar från stadskontoret: inget.")) == 1


def test_import_creates_a_thread_per_line_with_organisation_authors(tmp_path):
    out = run(write(tmp_path, [PAGE, BYGGLOV, NO_AREA]))
    assert "Klart: 1 nya, 0 uppdaterade, 0 oförändrade sidor." in out
    assert "Forumtrådar: 2 nya, 0 uppdaterade, 0 oförändrade." in out
    assert "Hoppade över" not in out
    assert ContentPage.objects.count() == 1

    thread = Thread.objects.get(external_id=BYGGLOV["id"])
    assert thread.title == BYGGLOV["title"]
    assert thread.category.slug == "barnets-rattigheter"
    assert sorted(thread.tags.values_list("name", flat=True)) == ["PBL", "barnets bästa",
                                                                   "bygglov"]
    posts = list(thread.posts.select_related("author__organisation_unit"))
    assert [p.number for p in posts] == [1, 2, 3, 4]
    assert thread.post_count == 4 and thread.last_post == posts[-1]
    assert posts[0].markdown.startswith("Jag jobbar med bygglov")
    assert "<p>Andra stycket.</p>" in posts[0].html
    assert posts[1].markdown == "Prövningen är störst i detaljplanen."
    assert [author_label(p.author) for p in posts] == [
        "Stadsbyggnadskontoret", "Stadsbyggnadskontoret",
        "Arbetsmarknads- och socialförvaltningen", "MKB Fastighets AB"]
    assert thread.author == posts[0].author == posts[1].author
    opener = thread.author
    assert opener.email == f"stadsbyggnadskontoret@{IMPORT_EMAIL_DOMAIN}"
    assert not opener.is_active and not opener.has_usable_password()
    assert opener.organisation_unit.slug == "stadsbyggnadskontoret"
    assert not opener.groups.exists()
    start = datetime.datetime(2025, 1, 21, 9, tzinfo=STOCKHOLM)
    assert thread.created_at == posts[0].created_at == start
    assert [p.created_at for p in posts] == sorted(p.created_at for p in posts)
    assert thread.last_post_at == posts[-1].created_at > start

    # Unknown rights area → Allmänt; an organisation that is not in the taxonomy still
    # gets an account named as written.
    other = Thread.objects.get(external_id=NO_AREA["id"])
    assert other.category.slug == "allmant"
    reply_author = other.posts.get(number=2).author
    assert reply_author.display_name == "Region Skåne" and reply_author.organisation_unit is None
    assert not reply_author.is_active
    assert author_label(reply_author) == "Region Skåne"

    assert thread_document(thread.pk)["external_id"] == BYGGLOV["id"]
    assert thread_document(thread.pk)["organisation_unit"] == "stadsbyggnadskontoret"

    # Imported threads are readable by every member of staff.
    perms = ForumPermissions(UserFactory())
    assert perms.can_read_thread(thread) and perms.can_read_thread(other)


def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, [BYGGLOV, NO_AREA])
    run(path)
    counts = (Thread.objects.count(), Post.objects.count(), PostRevision.objects.count())
    users = list(Thread.objects.values_list("author_id", flat=True))
    out = run(path)
    assert "Forumtrådar: 0 nya, 0 uppdaterade, 2 oförändrade." in out
    assert (Thread.objects.count(), Post.objects.count(), PostRevision.objects.count()) == counts
    assert list(Thread.objects.values_list("author_id", flat=True)) == users


def test_changed_line_edits_posts_with_history_and_adds_replies(tmp_path):
    run(write(tmp_path, [BYGGLOV]))
    thread = Thread.objects.get(external_id=BYGGLOV["id"])
    moderator_move = Category.objects.get(slug="allmant")
    Thread.objects.filter(pk=thread.pk).update(category=moderator_move)
    changed = {**BYGGLOV, "title": "Barnets bästa i bygglov",
               "body": BYGGLOV["body"].replace("Prövningen är störst", "Prövningen sker främst")
               + "\n\nSvar från stadskontoret:\nEn sista kommentar.",
               "tags": ["bygglov"]}
    records = parse_lines([json.dumps(changed, ensure_ascii=False)])
    result = import_records(records)
    assert forum_counts(result) == (0, 1, 0)
    thread.refresh_from_db()
    assert thread.title == "Barnets bästa i bygglov"
    assert thread.category == moderator_move  # placement is the moderators' call
    assert list(thread.tags.values_list("name", flat=True)) == ["bygglov"]
    second = thread.posts.get(number=2)
    assert second.markdown == "Prövningen sker främst i detaljplanen."
    assert second.revisions.get().markdown == "Prövningen är störst i detaljplanen."
    assert thread.posts.get(number=5).author.email == f"stadskontoret@{IMPORT_EMAIL_DOMAIN}"

    shorter = {**changed, "body": changed["body"].split("\n\nSvar från stadskontoret:")[0]}
    result = import_records(parse_lines([json.dumps(shorter, ensure_ascii=False)]))
    assert forum_counts(result)[1] == 1
    assert thread.posts.get(number=5).is_deleted
    thread.refresh_from_db()
    assert thread.post_count == 4


def test_closed_category_never_receives_imported_threads(tmp_path):
    network = Category.objects.get(slug="samordnarnatverket")
    Category.objects.filter(slug="hbtqi").update(is_closed=True)
    line = {**NO_AREA, "id": "forum-hbtqi", "rights_areas": ["hbtqi"]}
    run(write(tmp_path, [line]))
    thread = Thread.objects.get(external_id="forum-hbtqi")
    assert thread.category.slug == "allmant" and thread.category != network


BAD = {
    "empty body": ({**BYGGLOV, "body": "  "}, "fältet body saknas eller är tomt"),
    "empty title": ({**BYGGLOV, "title": " \t"}, "fältet title saknas eller är tomt"),
    "long title": ({**BYGGLOV, "title": "x" * 201}, "titeln är längre än 200 tecken"),
    "empty reply": ({**BYGGLOV, "body": "Fråga\n\nSvar från stadskontoret:\n\n"},
                    "svar 1 (från stadskontoret) är tomt"),
    "empty opening": ({**BYGGLOV, "body": "Svar från stadskontoret:\nBara ett svar"},
                      "inledande inlägget är tomt"),
    "too long": ({**BYGGLOV, "body": "x" * 20_001}, "inledande inlägget: Inlägget är för långt"),
    "unknown department": ({**BYGGLOV, "department": "finns-inte"},
                           "okänd förvaltning eller okänt bolag: 'finns-inte'"),
    "no department": ({k: v for k, v in BYGGLOV.items() if k != "department"},
                      "fältet department saknas"),
    "bad date": ({**BYGGLOV, "published": "2025-02-30"}, "ogiltigt datum i published"),
    "tags not a list": ({**BYGGLOV, "tags": "bygglov"}, "fältet tags ska vara en lista"),
    "no id": ({k: v for k, v in BYGGLOV.items() if k != "id"}, "ogiltigt id None"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_forum_line_is_reported_with_its_number_and_nothing_is_imported(tmp_path, case):
    bad, message = BAD[case]
    path = write(tmp_path, [PAGE, NO_AREA, "", bad])
    err = StringIO()
    with pytest.raises(CommandError, match="Inget lästes in"):
        run(path, err)
    assert f"Rad 4: {message}" in err.getvalue()
    assert not Thread.objects.exists()
    assert not ContentPage.objects.exists()


def test_all_bad_forum_lines_are_reported_at_once():
    lines = [json.dumps(r, ensure_ascii=False) for r in
             ({**BYGGLOV, "title": ""}, NO_AREA, {**NO_AREA, "id": "x", "body": ""})]
    with pytest.raises(ImportValidationError) as excinfo:
        import_records(parse_lines(lines))
    assert [line for line, _message in excinfo.value.errors] == [1, 3]
