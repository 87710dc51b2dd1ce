"""The one SQL statement behind a database search, shared by SQLite and PostgreSQL.

An engine (sql_sqlite, sql_postgres) supplies the full-text parts as EngineSQL: which
documents match (unscored, the cheap part), which match in their title or tags (SQLite),
and how to score a given set of candidates (the expensive part: FTS5's bm25 and
PostgreSQL's ts_rank cost microseconds per document). This module builds the rest:

- `m`: every match, materialised once;
- `k`: how many there are, and the sampling step for counting (1 up to SAMPLE_ROWS);
- `s`: the matches the viewer may see and the filters allow, one in `step` of them, with
  the single-valued facet columns. The total and the facet counts come from `s`; above
  SAMPLE_ROWS matches they are estimates (count x step), shown as "ca";
- `s_<facet>`: the same without one facet's own filter, for a facet with a selected value
  (multi-select: its other values keep their counts);
- `h0`, `t0`, `h1`, `t1`, `t`, `rest` and `r`: the candidates and their scores. Up to
  TIERED_FROM matches, every allowed match is scored (`rest`). Above, the allowed matches
  with the query's words in their title or tags (`t0`: as many as the query needs; `t1`,
  only when `t0` is smaller than the page: any word) are scored on the title and tags and
  ranked first; the other allowed matches are scored only when the tiers are smaller
  than the page, and ranked after them, so the pages agree. Scoring is what grows with
  the matches, so a broad query scores hundreds or thousands of documents, not tens of
  thousands.

Rows of the statement: (NULL, NULL, id, score) per hit of the page in order;
('*', matches, step, counted) once; (facet, value, NULL, counted) per facet value. read_rows turns them into SearchRows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..documents import ACCESS_ALL

SAMPLE_ROWS = 3_000   # above this many matches, total and facets are counted on a sample
TIERED_FROM = 2_000   # above this many matches, title and tag matches are scored first

# Single-valued facets are columns of IndexedDocument; the others are IndexedFacet rows.
FACET_COLUMNS = {"typ": "kind", "forvaltning": "organisation_unit", "ar": "year"}
FACET_ROWS = ("omrade", "steg")


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


class Restrictions:
    """Who may see a document and which facet values it must have, as SQL conditions on
    IndexedDocument (alias `d`).

    `access` is the viewer's tokens (None: no limit). Public documents are flagged (seen
    by holders of ACCESS_ALL); the others are found through their IndexedFacet "access"
    rows, of which there are few."""

    def __init__(self, access: list[str] | None, filters: list[tuple[str, list[str]]],
                 exclude_keys: list[str]):
        self.access = access
        self.filters = filters
        self.exclude_keys = exclude_keys

    def without(self, name: str) -> Restrictions:
        """The same restrictions without the filter on facet `name`."""
        return Restrictions(self.access, [(n, v) for n, v in self.filters if n != name],
                            self.exclude_keys)

    @property
    def filtered_facets(self) -> list[str]:
        return [name for name, values in self.filters if values]

    def sql(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.access is not None:
            tokens = [token for token in self.access if token != ACCESS_ALL]
            visible = ["d.public"] if ACCESS_ALL in self.access else []
            if tokens:
                visible.append("d.id IN (SELECT document_id FROM search_indexedfacet "  # nosec B608 # constant identifiers; values are parameters
                               f"WHERE name = 'access' AND value IN ({_marks(tokens)}))")
                params.extend(tokens)
            clauses.append("(" + " OR ".join(visible) + ")" if visible else "1 = 0")
        for name, values in self.filters:
            if name == "ar":
                values = [int(v) for v in values if str(v).isdigit()] or [0]
            if name in FACET_COLUMNS:
                clauses.append(f"d.{FACET_COLUMNS[name]} IN ({_marks(values)})")
                params.extend(values)
            else:
                clauses.append(f"d.id IN (SELECT document_id FROM search_indexedfacet "  # nosec B608 # constant identifiers; values are parameters
                               f"WHERE name = %s AND value IN ({_marks(values)}))")
                params.extend([name, *values])
        if self.exclude_keys:  # by id: the key is not in the covering index
            clauses.append("d.id NOT IN (SELECT id FROM search_indexeddocument "  # nosec B608 # constant identifiers; values are parameters
                           f"WHERE key IN ({_marks(self.exclude_keys)}))")
            params.extend(self.exclude_keys)
        return (" AND ".join(clauses) or "1 = 1"), params


@dataclass
class EngineSQL:
    """An engine's full-text parts of the statement. Each SELECT ends in a WHERE clause.

    `matches` selects the `id` of every match. The other SELECTs name their full-text
    table after "FROM {gate}", where a condition may be put in front of it (`gated`).
    Parameters are listed in the order of their placeholders.
    `score(candidates)` selects `id` and
    `score` (higher is better) of the documents whose id the SELECT `candidates` returns.
    `heads` select the `id`s of the tiers, narrowest first (the documents with most query
    words in their title or tags, then any), and `score_head` scores them (no heads: every
    match is scored alike). `documents` is the FROM item for IndexedDocument as `d`
    (SQLite names the covering index there)."""

    matches: tuple[str, list]
    score: Callable[[str], tuple[str, list]]
    heads: list[tuple[str, list]] = field(default_factory=list)
    score_head: Callable[[str], tuple[str, list]] | None = None
    documents: str = "search_indexeddocument d"


@dataclass
class SearchRows:
    ranked: list[tuple[int, float]] = field(default_factory=list)
    total: int = 0               # allowed matches (an estimate when step > 1)
    matches: int = 0             # every match, allowed or not (not for display)
    step: int = 1                # 1: the counts are exact
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def approximate(self) -> bool:
        return self.step > 1


def _allowed(parts: EngineSQL, restrictions: Restrictions) -> tuple[str, list]:
    where, params = restrictions.sql()
    return (f"SELECT m.id, d.kind, d.organisation_unit, d.year FROM m "  # nosec B608 # constant identifiers; values are parameters
            f"JOIN {parts.documents} ON d.id = m.id "
            f"WHERE m.id %% (SELECT step FROM k) = 0 AND {where}"), params


def _facet_selects(source: str, names) -> list[str]:
    """SELECTs of (name, value, NULL, count) over the CTE `source`: single-valued facets
    grouped from its columns, the others from their IndexedFacet rows (covering index
    search_facet_by_document; CROSS JOIN keeps SQLite from walking every facet row)."""
    parts = []
    for name in names:
        if name in FACET_COLUMNS:
            column = FACET_COLUMNS[name]
            value = f"CAST({source}.year AS TEXT)" if column == "year" else f"{source}.{column}"
            present = (f"{source}.year IS NOT NULL" if column == "year"
                       else f"{source}.{column} <> ''")
            parts.append(f"SELECT '{name}', {value}, NULL, count(*) FROM {source} "  # nosec B608 # constant identifiers; values are parameters
                         f"WHERE {present} GROUP BY {source}.{column}")
    rows = [name for name in names if name in FACET_ROWS]
    if rows:
        quoted = ", ".join(f"'{name}'" for name in rows)
        parts.append(f"SELECT f.name, f.value, NULL, count(*) FROM {source} "  # nosec B608 # constant identifiers; values are parameters
                     f"CROSS JOIN search_indexedfacet f WHERE f.document_id = {source}.id "
                     f"AND f.name IN ({quoted}) GROUP BY f.name, f.value")
    return parts


def gated(sql: str, params: list, condition: str, condition_params: list) -> tuple[str, list]:
    """`sql` with its "{gate}" replaced by a one-row table that is empty unless
    `condition` holds, joined first: when it is empty, neither SQLite nor PostgreSQL scans
    what follows (SQLite evaluates a constant WHERE term once per row, not before the
    scan). The condition's parameters go where the gate is among `params`."""
    before = sql.split("{gate}")[0].count("%s")
    gate = f"(SELECT 1 AS go WHERE {condition}) AS gate CROSS JOIN "
    return (sql.replace("{gate}", gate),
            [*params[:before], *condition_params, *params[before:]])


def search_statement(parts: EngineSQL, restrictions: Restrictions, facet_names,
                     offset: int, limit: int, rank_from: int = 0) -> tuple[str, list]:
    """The statement (see the module docstring) and its parameters. With `rank_from`,
    nothing is scored unless at least that many documents are allowed (the backend throws
    away the page of a strict query that finds fewer, and searches again relaxed)."""
    matches_sql, params = parts.matches
    ctes = [f"m AS MATERIALIZED ({matches_sql})",
            "k AS MATERIALIZED (SELECT count(*) AS n, count(*) / %s + 1 AS step FROM m)"]
    params = [*params, SAMPLE_ROWS]
    allowed, allowed_params = _allowed(parts, restrictions)
    ctes.append(f"s AS MATERIALIZED ({allowed})")
    params += allowed_params
    sources = {}
    for name in restrictions.filtered_facets:
        if name in facet_names:
            sources[name] = f"s_{name}"
            sql, own_params = _allowed(parts, restrictions.without(name))
            ctes.append(f"s_{name} AS MATERIALIZED ({sql})")
            params += own_params
    where, where_params = restrictions.sql()

    def every(gate: str) -> str:
        return (f"SELECT m.id FROM {gate}m JOIN {parts.documents} ON d.id = m.id "  # nosec B608 # constant identifiers; values are parameters
                f"WHERE {where}")

    tiered = "(SELECT n FROM k) > %s"           # the tiers are used
    enough = "(SELECT count(*) FROM s) * (SELECT step FROM k) >= %s"
    wanted = offset + limit
    tiers = []  # CTE names of the tiers so far
    for number, head in enumerate(parts.heads):
        condition, condition_params = tiered, [TIERED_FROM]
        if tiers:  # a broader tier only when the narrower ones are too small
            condition += f" AND ({' + '.join(f'(SELECT count(*) FROM {t})' for t in tiers)}) < %s"  # nosec B608 # CTE names and numbers built here; values are parameters
            condition_params.append(wanted)
        head_sql, head_params = gated(*head, condition, condition_params)
        tier_sql, tier_params = gated(every("{gate}"), where_params, condition, condition_params)
        earlier = "".join(f" AND m.id NOT IN (SELECT id FROM {t})" for t in tiers)  # nosec B608 # CTE names and numbers built here; values are parameters
        ctes += [f"h{number} AS MATERIALIZED ({head_sql})",
                 f"t{number} AS MATERIALIZED ({tier_sql} "  # nosec B608 # CTE names and numbers built here; values are parameters
                 f"AND m.id IN (SELECT id FROM h{number}){earlier})"]
        params += [*head_params, *tier_params]
        tiers.append(f"t{number}")
    if tiers:
        ctes.append("t AS MATERIALIZED (" + " UNION ALL ".join(
            f"SELECT id, {number} AS tier FROM {name}" for number, name in enumerate(tiers)) + ")")  # nosec B608 # CTE names and numbers built here; values are parameters
    else:
        ctes.append("t AS (SELECT CAST(NULL AS BIGINT) AS id, 0 AS tier WHERE 1 = 0)")
    short = "(SELECT count(*) FROM t) < %s"     # the tiers are too small for the page
    sql, rest_params = gated(every("{gate}"), where_params, short, [wanted])
    ctes.append(f"rest AS MATERIALIZED ({sql} AND m.id NOT IN (SELECT id FROM t))")  # nosec B608 # CTE names and numbers built here; values are parameters
    params += rest_params
    scored = []
    if parts.score_head is not None:
        sql, score_params = gated(*parts.score_head("SELECT id FROM t"),
                                  f"{tiered} AND {enough}", [TIERED_FROM, rank_from])
        scored.append(f"SELECT head_scores.id, head_scores.score, t.tier FROM ({sql}) "  # nosec B608 # CTE names and numbers built here; values are parameters
                      "AS head_scores JOIN t ON t.id = head_scores.id")
        params += score_params
    sql, score_params = gated(*parts.score("SELECT id FROM rest"),
                              f"{short} AND {enough}", [wanted, rank_from])
    scored.append(f"SELECT id, score, {len(tiers)} AS tier FROM ({sql}) AS other_scores")  # nosec B608 # CTE names and numbers built here; values are parameters
    params += score_params
    ctes.append("r AS MATERIALIZED (" + " UNION ALL ".join(scored) + ")")
    selects = [
        # The tiers first, then the rest: a page past a tier agrees with those before.
        "SELECT * FROM (SELECT CAST(NULL AS TEXT) AS name, CAST(NULL AS TEXT) AS value, "
        "r.id, r.score FROM r ORDER BY r.tier, r.score DESC, r.id LIMIT %s OFFSET %s) AS page",
        "SELECT '*', CAST((SELECT n FROM k) AS TEXT), (SELECT step FROM k), count(*) FROM s",
    ]
    params += [limit, offset]
    by_source: dict[str, list[str]] = {}
    for name in facet_names:
        by_source.setdefault(sources.get(name, "s"), []).append(name)
    for source, names in by_source.items():
        selects += _facet_selects(source, names)
    return "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects), params


def read_rows(rows) -> SearchRows:
    """SearchRows from the rows of search_statement; counts scaled by the sampling step."""
    result = SearchRows()
    counted = {}
    for name, value, number, count in rows:
        if name is None:
            result.ranked.append((number, float(count)))
        elif name == "*":
            result.matches, result.step = int(value), int(number)
            counted["*"] = int(count)
        else:
            counted.setdefault(name, {})[str(value)] = int(count)
    result.total = counted.pop("*", 0) * result.step
    result.facets = {name: {value: count * result.step for value, count in values.items()}
                     for name, values in counted.items()}
    return result
