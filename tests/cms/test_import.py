"""`manage.py import_content FILE.jsonl`: validate everything, then write in one go."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from cms.models import (
    ContentPage,
    GoodExampleIndexPage,
    GoodExamplePage,
    GuidanceIndexPage,
    GuidancePage,
    MethodIndexPage,
    MethodPage,
)
from cms.site_structure import get_home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")

METHOD = {
    "id": "barnkonsekvensanalys",
    "type": "metod",
    "title": "Barnkonsekvensanalys",
    "summary": "Så prövar ni barnets bästa innan ett beslut fattas.",
    "body": "Första stycket om metoden.\n\nAndra stycket om metoden.",
    "rights_areas": ["barnets-rattigheter", "manskliga-rattigheter"],
    "department": "grundskoleforvaltningen",
    "principles": ["malmobon-i-centrum", "delaktighet-och-inflytande"],
    "trappsteg": [3, 4],
    "tags": ["barnets bästa", "BKA"],
    "published": "2023-05-17",
    "target_groups": ["barn-och-unga"],
    "purpose": "Att belysa hur ett beslut påverkar barn.",
    "when_to_use": "Inför beslut som rör barn.",
    "steps": [
        {"title": "Förbered", "text": "Samla underlag.\n\nBjud in barnen."},
        {"title": "Analysera"},
    ],
    "time_needed": "2–3 timmar per ärende",
    "participants": "Handläggare och barnrättsombud.",
    "contact_email": "mr-samordnare.gsf@malmo.se",
}
GUIDANCE = {
    "id": "diskrimineringslagen-i-korthet",
    "type": "vagledning",
    "title": "Diskrimineringslagen i korthet",
    "summary": "Lagens sju grunder och vad de betyder för verksamheten.",
    "body": "Diskrimineringslagen har sju grunder.",
    "rights_areas": ["antidiskriminering"],
    "department": "stadskontoret",
    "principles": [],
    "trappsteg": [1],
    "tags": ["lag"],
    "published": "2022-11-01",
}
EXAMPLE = {
    "id": "tillgangliga-lokaler-mkb",
    "type": "gott-exempel",
    "title": "Tillgängliga lokaler hos MKB",
    "summary": "Hur MKB inventerade sina lokaler.",
    "body": "",
    "rights_areas": ["funktionsratt"],
    "department": "mkb-fastighets-ab",
    "principles": ["tillganglig-och-likvardig"],
    "trappsteg": [3, 5],
    "tags": [],
    "published": "2024-02-29",
    "year": 2021,
    "background": "Många lokaler var svåra att ta sig in i.",
    "what_was_done": "Vi inventerade alla entréer.\n\nSedan byggde vi om.",
    "results": "Fyrtio entréer är nu tillgängliga.",
    "lessons": "Börja med de mest besökta lokalerna.",
    "target_groups": ["personer-med-funktionsnedsattning"],
}
# Forum lines become threads (forum.importer), counted on their own line.
FORUM = {"id": "forum-fraga-1", "type": "forum", "title": "En fråga", "summary": "…",
         "body": "Hur gör ni?\n\nSvar från stadskontoret:\nSå här.",
         "department": "grundskoleforvaltningen", "rights_areas": ["barnets-rattigheter"]}
FORUM_2 = {"id": "forum-fraga-2", "type": "forum", "title": "En fråga till", "body": "Och nu?",
           "department": "stadskontoret"}
CONFERENCE = {"id": "konferens-2025", "type": "konferens", "title": "Spridningskonferensen",
              "rights_areas": ["manskliga-rattigheter"], "department": "stadskontoret",
              "published": "2025-05-12"}
GOOD_LINES = [METHOD, GUIDANCE, EXAMPLE]


def write(tmp_path, records, name="innehall.jsonl"):
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stockholm_9am(day: str) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(9),
                                     tzinfo=STOCKHOLM)


def test_happy_path_creates_pages_with_taxonomy(tmp_path):
    out, _err = run(write(tmp_path, [METHOD, FORUM, GUIDANCE, CONFERENCE, EXAMPLE, FORUM_2]))
    assert "Klart: 3 nya, 0 uppdaterade, 0 oförändrade sidor." in out
    assert "Forumtrådar: 2 nya, 0 uppdaterade, 0 oförändrade." in out
    assert "typen forum" not in out
    assert "Konferenspass: 1 nya, 0 uppdaterade, 0 oförändrade." in out
    assert "Hoppade över" not in out
    assert ContentPage.objects.count() == 3
    home = get_home()

    method = MethodPage.objects.get(slug="barnkonsekvensanalys")
    parent = method.get_parent().specific
    assert isinstance(parent, MethodIndexPage) and parent.get_parent().pk == home.pk
    assert method.live and not method.has_unpublished_changes
    assert method.title == "Barnkonsekvensanalys"
    assert method.summary == METHOD["summary"]
    assert method.first_published_at == stockholm_9am("2023-05-17")
    assert method.last_reviewed == datetime.date(2023, 5, 17)
    assert sorted(method.rights_areas.values_list("slug", flat=True)) == [
        "barnets-rattigheter", "manskliga-rattigheter"]
    assert method.organisation_unit.slug == "grundskoleforvaltningen"
    assert sorted(method.principles.values_list("slug", flat=True)) == [
        "delaktighet-och-inflytande", "malmobon-i-centrum"]
    assert sorted(method.staircase_steps.values_list("number", flat=True)) == [3, 4]
    assert list(method.target_groups.values_list("slug", flat=True)) == ["barn-och-unga"]
    assert sorted(method.tags.names()) == ["BKA", "barnets bästa"]
    assert [block.block_type for block in method.body] == ["paragraph", "paragraph"]
    assert "Andra stycket om metoden." in str(method.body[1].value)
    assert method.purpose == METHOD["purpose"]
    assert method.when_to_use == METHOD["when_to_use"]
    assert method.time_needed == "2–3 timmar per ärende"
    assert method.participants == METHOD["participants"]
    assert method.contact_email == "mr-samordnare.gsf@malmo.se"
    assert [step.value["title"] for step in method.steps] == ["Förbered", "Analysera"]
    assert str(method.steps[0].value["text"]) == "<p>Samla underlag.</p><p>Bjud in barnen.</p>"
    assert method.revisions.count() == 1
    assert method.live_revision_id == method.latest_revision_id

    guidance = GuidancePage.objects.get(slug="diskrimineringslagen-i-korthet")
    assert isinstance(guidance.get_parent().specific, GuidanceIndexPage)
    assert guidance.first_published_at == stockholm_9am("2022-11-01")
    assert list(guidance.rights_areas.values_list("slug", flat=True)) == ["antidiskriminering"]
    assert guidance.organisation_unit.slug == "stadskontoret"
    assert guidance.principles.count() == 0
    assert guidance.target_groups.count() == 0
    assert guidance.contact_email == ""

    example = GoodExamplePage.objects.get(slug="tillgangliga-lokaler-mkb")
    assert isinstance(example.get_parent().specific, GoodExampleIndexPage)
    assert example.first_published_at == stockholm_9am("2024-02-29")
    assert example.year == 2021
    assert example.organisation_unit.slug == "mkb-fastighets-ab"
    assert example.background == "<p>Många lokaler var svåra att ta sig in i.</p>"
    assert example.what_was_done == "<p>Vi inventerade alla entréer.</p><p>Sedan byggde vi om.</p>"
    assert example.lessons == "<p>Börja med de mest besökta lokalerna.</p>"
    assert len(example.body) == 0
    assert list(example.target_groups.values_list("slug", flat=True)) == [
        "personer-med-funktionsnedsattning"]


def test_imported_pages_are_listed_newest_first(tmp_path, user_client):
    second = {**METHOD, "id": "en-nyare-metod", "title": "En nyare metod", "published": "2024-01-10"}
    run(write(tmp_path, [METHOD, second]))
    index = MethodIndexPage.objects.get()
    response = user_client.get(index.url)
    html = response.content.decode()
    assert html.index("En nyare metod") < html.index("Barnkonsekvensanalys")


def test_without_published_date_the_page_is_published_now(tmp_path):
    record = {key: value for key, value in GUIDANCE.items() if key != "published"}
    run(write(tmp_path, [record]))
    page = GuidancePage.objects.get()
    assert page.live
    assert page.first_published_at is not None
    assert page.first_published_at.date() >= datetime.date(2025, 1, 1)


def test_owner_option(tmp_path):
    owner = UserFactory(email="samordnare@malmo.se")
    run(write(tmp_path, [GUIDANCE]), "--owner", "SAMORDNARE@malmo.se")
    page = GuidancePage.objects.get()
    assert page.owner == owner and page.content_owner == owner
    with pytest.raises(CommandError, match="Ingen användare"):
        run(write(tmp_path, [GUIDANCE]), "--owner", "finns.inte@malmo.se")


def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, [*GOOD_LINES, FORUM])
    run(path)
    pages, revisions = Page.objects.count(), Revision.objects.count()
    snapshot = {p.pk: (p.title, p.latest_revision_id, p.last_published_at)
                for p in ContentPage.objects.all()}
    out, _err = run(path)
    assert "Klart: 0 nya, 0 uppdaterade, 3 oförändrade sidor." in out
    assert "Forumtrådar: 0 nya, 0 uppdaterade, 1 oförändrade." in out
    assert Page.objects.count() == pages
    assert Revision.objects.count() == revisions
    assert {p.pk: (p.title, p.latest_revision_id, p.last_published_at)
            for p in ContentPage.objects.all()} == snapshot


def test_changed_line_updates_the_page(tmp_path):
    run(write(tmp_path, GOOD_LINES))
    method = MethodPage.objects.get(slug="barnkonsekvensanalys")
    revisions, pages = method.revisions.count(), Page.objects.count()
    changed = {**METHOD, "title": "Barnkonsekvensanalys (reviderad)",
               "rights_areas": ["jamstalldhet"], "trappsteg": [6], "department": "stadskontoret",
               "tags": ["ny"], "published": "2023-06-01"}
    out, _err = run(write(tmp_path, [changed, GUIDANCE, EXAMPLE]))
    assert "Klart: 0 nya, 1 uppdaterade, 2 oförändrade sidor." in out
    assert Page.objects.count() == pages
    method = MethodPage.objects.get(pk=method.pk)
    assert method.title == "Barnkonsekvensanalys (reviderad)"
    assert method.live and not method.has_unpublished_changes
    assert method.revisions.count() == revisions + 1
    assert list(method.rights_areas.values_list("slug", flat=True)) == ["jamstalldhet"]
    assert list(method.staircase_steps.values_list("number", flat=True)) == [6]
    assert method.organisation_unit.slug == "stadskontoret"
    assert list(method.tags.names()) == ["ny"]
    assert method.first_published_at == stockholm_9am("2023-06-01")


def _line(**changes):
    record = {**GUIDANCE, "id": "sista-raden", **changes}
    return {k: v for k, v in record.items() if v is not KeyError}


BAD_LINES = {
    "invalid JSON": ('{"id": "trasig", "type": "metod", "title": ', "ogiltig JSON"),
    "not an object": ("[1, 2, 3]", "raden är inte ett JSON-objekt"),
    "unknown type": (_line(type="artikel"), "okänd typ 'artikel'"),
    "missing type": (_line(type=KeyError), "okänd typ None"),
    "unknown rights area": (_line(rights_areas=["finns-inte"]),
                            "okänt rättighetsområde: 'finns-inte'"),
    "no rights area": (_line(rights_areas=[]), "minst ett rättighetsområde krävs"),
    "unknown department": (_line(department="finns-inte-forvaltningen"),
                           "okänd förvaltning eller okänt bolag: 'finns-inte-forvaltningen'"),
    "unknown principle": (_line(principles=["finns-inte"]), "okänt princip: 'finns-inte'"),
    "unknown step": (_line(trappsteg=[7]), "okänt steg i MR-trappan: 7"),
    "unknown target group": (_line(target_groups=["alla"]), "okänt målgrupp: 'alla'"),
    "missing title": (_line(title=KeyError), "fältet title saknas eller är tomt"),
    "empty title": (_line(title=""), "fältet title saknas eller är tomt"),
    "whitespace-only title": (_line(title="  \t "), "fältet title saknas eller är tomt"),
    "missing summary": (_line(summary=KeyError), "fältet summary saknas eller är tomt"),
    "title too long": (_line(title="x" * 256), "titeln är längre än 255 tecken"),
    "bad id": (_line(id="Stora Bokstäver"), "ogiltigt id 'Stora Bokstäver'"),
    "duplicate id": (_line(id=METHOD["id"]), "id 'barnkonsekvensanalys' finns redan på rad 1"),
    "bad date": (_line(published="2023-02-30"), "ogiltigt datum i published: '2023-02-30'"),
    "date in another format": (_line(published="17/05/2023"), "ogiltigt datum i published"),
    "date not a string": (_line(published=20230517), "ogiltigt datum i published: 20230517"),
    "bad year": (_line(type="gott-exempel", year=1850), "ogiltigt år: 1850"),
    "tags not a list": (_line(tags="lag"), "fältet tags ska vara en lista med text"),
    "step without title": (_line(type="metod", steps=[{"text": "Bara text"}]),
                           "fältet steps ska vara en lista"),
    "body not text": (_line(body=["stycke"]), "fältet body ska vara text"),
}


@pytest.mark.parametrize("case", BAD_LINES)
def test_bad_last_line_aborts_and_imports_nothing(tmp_path, case):
    bad, message = BAD_LINES[case]
    # Line 4 is blank: line numbers count it, so the bad line is line 5.
    path = write(tmp_path, [*GOOD_LINES, "", bad])
    err = StringIO()
    with pytest.raises(CommandError, match="1 fel hittades. Inget lästes in."):
        call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=err)
    assert f"Rad 5: {message}" in err.getvalue()
    assert ContentPage.objects.count() == 0
    assert not Page.objects.filter(slug__in=[METHOD["id"], GUIDANCE["id"], EXAMPLE["id"]]).exists()


def test_every_bad_line_is_reported_with_its_number(tmp_path):
    path = write(tmp_path, [
        METHOD,
        _line(id="rad-tva", rights_areas=["finns-inte"]),
        GUIDANCE,
        "{inte json",
        _line(id="rad-fem", title=" ", published="igår"),
    ])
    err = StringIO()
    with pytest.raises(CommandError, match="4 fel hittades"):
        call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Rad 2", "Rad 4", "Rad 5", "Rad 5"]
    assert ContentPage.objects.count() == 0


def test_bad_file_leaves_existing_pages_untouched(tmp_path):
    run(write(tmp_path, GOOD_LINES))
    revisions = Revision.objects.count()
    changed = {**METHOD, "title": "Ny titel"}
    with pytest.raises(CommandError):
        run(write(tmp_path, [changed, GUIDANCE, EXAMPLE, _line(rights_areas=["finns-inte"])]))
    assert MethodPage.objects.get(slug=METHOD["id"]).title == METHOD["title"]
    assert Revision.objects.count() == revisions
    assert ContentPage.objects.count() == 3


def test_id_used_by_another_page_type_aborts_the_whole_import(tmp_path):
    """The clash is found while writing: the transaction must undo pages created before it."""
    run(write(tmp_path, [GUIDANCE]))
    clash = {**METHOD, "id": GUIDANCE["id"]}
    with pytest.raises(CommandError, match="används redan av en sida av en annan typ"):
        run(write(tmp_path, [EXAMPLE, clash]))
    assert list(ContentPage.objects.values_list("slug", flat=True)) == [GUIDANCE["id"]]


def test_missing_file_and_wrong_encoding(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        run(tmp_path / "saknas.jsonl")
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(json.dumps(GUIDANCE, ensure_ascii=False).encode("latin-1"))
    with pytest.raises(CommandError, match="inte UTF-8"):
        run(latin1)
    assert ContentPage.objects.count() == 0


# Well-formed JSON with a value of the wrong type. validate_line() does not check these, so
# they surface as a TypeError/AttributeError/ValidationError traceback instead of "Rad N: …".
WRONG_TYPES = {
    "department is a list": _line(department=["stadskontoret"]),
    "rights area is an object": _line(rights_areas=[{"slug": "hbtqi"}]),
    "step text is a number": _line(type="metod", steps=[{"title": "Steg", "text": 5}]),
    "purpose is a list": _line(type="metod", purpose=["Syfte"]),
    "contact_email is not an address": _line(contact_email="inte-en-epost"),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_value_type_still_imports_nothing(tmp_path, case):
    path = write(tmp_path, [*GOOD_LINES, WRONG_TYPES[case]])
    with pytest.raises(Exception):  # noqa: B017 - the reported kind is asserted below
        run(path)
    assert ContentPage.objects.count() == 0


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_value_type_is_reported_with_its_line_number(tmp_path, case):
    path = write(tmp_path, [*GOOD_LINES, WRONG_TYPES[case]])
    err = StringIO()
    with pytest.raises(CommandError, match="Inget lästes in") as excinfo:
        call_command("import_content", str(path), "--no-progress", stdout=StringIO(), stderr=err)
    assert "Rad 4:" in err.getvalue() + str(excinfo.value)
