"""Documents for the search page and API tests, indexed straight into the real backend."""

from __future__ import annotations

import datetime

from search.backends import get_backend
from search.documents import ACCESS_ALL, SearchDocument

_counter = iter(range(1, 1_000_000))


def doc(title: str, *, kind: str = "metod", summary: str = "", body: str = "",
        areas=("barnets-rattigheter",), unit: str | None = "stadskontoret", steps=(),
        year: int | None = 2024, access=(ACCESS_ALL,), key: str | None = None,
        url: str | None = None) -> SearchDocument:
    number = next(_counter)
    key = key or f"test:{number}"
    slug = f"dokument-{number}"
    return SearchDocument(
        key=key, public_id=slug, kind=kind, title=title, url=url or f"/test/{slug}/",
        summary=summary, body=body, rights_areas=list(areas), organisation_unit=unit,
        staircase_steps=list(steps), year=year,
        date=datetime.date(year, 3, 1) if year else None, access=list(access),
    )


def index(*documents: SearchDocument) -> list[SearchDocument]:
    get_backend().index(documents)
    return list(documents)


def rebuild(*documents: SearchDocument) -> list[SearchDocument]:
    """Replace the whole index (browser tests: the flush between them leaves the engine's
    own full-text rows behind)."""
    get_backend().rebuild(documents)
    return list(documents)


def standard_set() -> list[SearchDocument]:
    """A small, varied corpus about child rights, gender equality and minorities."""
    return index(
        doc("Barnkonsekvensanalys steg för steg",
            summary="Så gör ni en barnkonsekvensanalys inför ett beslut.",
            body="Barnets bästa ska prövas och barn ska få komma till tals.", steps=[2, 3]),
        doc("Barnkonsekvensanalys i förskolan", kind="gott-exempel",
            summary="Förskoleförvaltningen gjorde en barnkonsekvensanalys av nya öppettider.",
            unit="forskoleforvaltningen", year=2023, steps=[3]),
        doc("Vägledning om barnets bästa", kind="vagledning",
            summary="Hur barnets bästa vägs in i handläggningen, med barnkonsekvensanalys.",
            unit="fritidsforvaltningen", year=2022),
        doc("Jämställd budget", summary="Jämställdhetsintegrering av budgetprocessen.",
            areas=["jamstalldhet"], unit="stadskontoret", year=2024),
        doc("Samråd med nationella minoriteter", kind="vagledning",
            summary="Minoritetslagen kräver samråd.", areas=["nationella-minoriteter"],
            unit="kulturforvaltningen", year=2021),
    )
