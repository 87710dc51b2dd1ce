"""axe-core checks for browser tests: `assert_accessible(page)` after the page has loaded.

Fails on violations of impact "serious" or "critical" against WCAG 2.2 AA (the tags below);
prints the "minor" and "moderate" ones, and what axe could not decide ("incomplete", to be
checked by a person), so they show up in the test output (`-rP` or `-s`). Note that axe
files text with the same colour as its background (1:1 contrast) under incomplete, not
under violations.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


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


def assert_accessible(page, context=None) -> list[dict]:
    """Fail on serious/critical WCAG violations on `page`; print the rest, return them all."""
    results = run_axe(page, context=context)
    violations = results["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        print(f"\naxe on {page.url}: {len(others)} minor/moderate violation(s):")
        for violation in others:
            print(format_violation(violation))
    if results["incomplete"]:
        print(f"\naxe on {page.url}: {len(results['incomplete'])} check(s) need a person:")
        for check in results["incomplete"]:
            print(format_violation(check))
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical WCAG violation(s) on {page.url}:\n"
        + "\n".join(format_violation(v) for v in blocking)
    )
    return violations
