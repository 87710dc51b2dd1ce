"""Accessibility checks for browser tests: axe-core, reflow and visible focus.

`assert_accessible(page)` after the page has loaded: fails on violations of impact "serious"
or "critical" against WCAG 2.2 AA and EN 301 549 (the tags below), and on "moderate" ones
that are not in the checked-in snapshot `axe_moderate_snapshot.json`. The snapshot may only
shrink: when a listed finding is no longer seen, the run fails at its end and says which
entries to delete (or run with AXE_SNAPSHOT_SHRINK=1 to have them deleted). New moderate
findings are fixed in the templates or CSS; add one to the snapshot by hand only with a
reason, and list it under known shortcomings in the accessibility statement.

"minor" findings and what axe could not decide ("incomplete", to be checked by a person)
are printed (`-rP` or `-s`). Axe files text with the same colour as its background (1:1
contrast) under incomplete, not under violations.

`assert_reflows(page)` checks WCAG 1.4.10 (320 CSS px: 1280 px at 400 % zoom) and
`assert_focus_visible(page)` that the focused element shows an outline or box shadow.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "EN-301-549"]
BLOCKING_IMPACTS = {"serious", "critical"}
SNAPSHOT_IMPACT = "moderate"
SNAPSHOT_PATH = Path(__file__).resolve().parent / "axe_moderate_snapshot.json"
SHRINK_ENV = "AXE_SNAPSHOT_SHRINK"

REFLOW_WIDTH = 320  # CSS pixels: 1280 px at 400 % zoom (WCAG 2.2 SC 1.4.10)
DESKTOP = {"width": 1280, "height": 900}

# What sticks out beyond the viewport, for the failure message of the reflow check.
OVERFLOW_SCRIPT = """width => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(box.right)}px`);
    }
  }
  return out.slice(0, 8);
}"""

# The focused element's focus indicator: a visible outline or a box shadow.
FOCUS_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1
    && s.outlineColor !== 'rgba(0, 0, 0, 0)' && s.outlineColor !== 'transparent';
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '');
  return {label, visible: outline || !!shadow,
          style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; `
                 + `box-shadow: ${s.boxShadow}`};
}"""

_axe = Axe()


class Snapshot:
    """Moderate findings allowed per page key ("/forum/trad/N/ @1280"): rule ids."""

    def __init__(self, path: Path = SNAPSHOT_PATH):
        self.path = path
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.allowed: dict[str, set[str]] = {
            key: set(rules) for key, rules in data.get("findings", {}).items()
        }
        self.seen: dict[str, set[str]] = defaultdict(set)

    def record(self, key: str, rules: set[str]) -> set[str]:
        """Remember what `key` showed; return the rules that are new (not allowed)."""
        self.seen[key] |= rules
        return rules - self.allowed.get(key, set())

    def stale(self) -> dict[str, list[str]]:
        """Allowed findings of pages checked in this run that did not show up any more."""
        return {
            key: sorted(self.allowed[key] - self.seen[key])
            for key in sorted(self.seen)
            if self.allowed.get(key, set()) - self.seen[key]
        }

    def shrink(self) -> None:
        """Rewrite the file without the stale entries (it never grows here)."""
        findings = {}
        for key, rules in sorted(self.allowed.items()):
            kept = rules & self.seen[key] if key in self.seen else rules
            if kept:
                findings[key] = sorted(kept)
        data = json.loads(self.path.read_text(encoding="utf-8"))
        data["findings"] = findings
        self.path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")


snapshot = Snapshot()


def page_key(page, state: str | None = None) -> str:
    """A stable name for the page and viewport: ids and numbers in the URL become N."""
    parts = urlsplit(page.url)
    where = state or (parts.path + (f"?{parts.query}" if parts.query else ""))
    where = re.sub(r"\d+", "N", where)
    width = (page.viewport_size or DESKTOP)["width"]
    return f"{where} @{width}"


def run_axe(page, context=None) -> dict:
    """axe-core's results for the page as it is now ("violations", "incomplete", …)."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations", "incomplete"],
    }
    return _axe.run(page, context=context, options=options).response


def format_violation(violation: dict) -> str:
    lines = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"
    ]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        lines.append(f"    {target}: {node['html'][:200]}")
        summary = node.get("failureSummary") or "\n".join(
            check["message"] for check in node.get("any", []) + node.get("all", [])
        )
        if summary:
            lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page, context=None, *, state: str | None = None) -> list[dict]:
    """Fail on serious/critical WCAG violations on `page` and on moderate ones missing from
    the snapshot; print the rest, return them all. `state` names the page in the snapshot
    when one URL shows several states (default: the URL with numbers as N)."""
    results = run_axe(page, context=context)
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    moderate = [v for v in violations if v["impact"] == SNAPSHOT_IMPACT]
    minor = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS | {SNAPSHOT_IMPACT}]
    key = page_key(page, state)
    new_rules = snapshot.record(key, {v["id"] for v in moderate})
    if moderate or minor:
        print(f"\naxe on {page.url} [{key}]: {len(moderate + minor)} minor/moderate violation(s):")
        for violation in moderate + minor:
            print(format_violation(violation))
    if results["incomplete"]:
        print(f"\naxe on {page.url}: {len(results['incomplete'])} check(s) need a person:")
        for check in results["incomplete"]:
            print(format_violation(check))
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical WCAG violation(s) on {page.url}:\n"
        + "\n".join(format_violation(v) for v in blocking)
    )
    assert not new_rules, (
        f"axe found new moderate WCAG violation(s) on {page.url} (snapshot key {key!r}), "
        f"not in {SNAPSHOT_PATH.name}: fix them rather than adding them to the snapshot.\n"
        + "\n".join(format_violation(v) for v in moderate if v["id"] in new_rules)
    )
    return violations


def overflow(page, width: int = REFLOW_WIDTH) -> str | None:
    """None if the page fits `width` (no sideways scrolling), else what sticks out."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    client_width = page.evaluate("document.documentElement.clientWidth")
    if scroll_width <= client_width:
        return None
    culprits = page.evaluate(OVERFLOW_SCRIPT, width)
    return (f"scrolls sideways at {width} px (scrollWidth {scroll_width} > clientWidth "
            f"{client_width}); wider than the viewport: {culprits}")


def assert_reflows(page, width: int = REFLOW_WIDTH) -> None:
    """Set the viewport `width` CSS px wide and fail if the page scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    problem = overflow(page, width)
    assert problem is None, f"{page.url} {problem}"


def assert_focus_visible(page) -> str:
    """Fail unless an element has focus and shows an outline or box shadow; its label."""
    focus = page.evaluate(FOCUS_SCRIPT)
    assert focus is not None, f"nothing has focus on {page.url}"
    assert focus["visible"], f"no visible focus indicator on {focus['label']}: {focus['style']}"
    return focus["label"]


def tab_to(page, predicate_js: str, limit: int = 80) -> None:
    """Press Tab until `predicate_js` (about `el`, the focused element) holds; each stop
    must show its focus."""
    script = f"() => {{ const el = document.activeElement; return !!({predicate_js}); }}"
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate(script):
            return
    raise AssertionError(f"focus never reached an element where {predicate_js}")


def report_stale_snapshot(session) -> str | None:
    """At the end of a run: the message about snapshot entries to delete, if any.

    Only when every test passed (a failed test may have stopped before its pages)."""
    stale = snapshot.stale()
    if not stale or session.testsfailed:
        return None
    if os.environ.get(SHRINK_ENV):
        snapshot.shrink()
        return f"{SNAPSHOT_PATH.name}: removed findings that are fixed: {stale}"
    lines = [f"{key}: {', '.join(rules)}" for key, rules in stale.items()]
    return (f"These moderate axe findings in {SNAPSHOT_PATH.name} are fixed; shrink the file "
            f"(delete them, or run again with {SHRINK_ENV}=1):\n  " + "\n  ".join(lines))
