"""The moderate-findings snapshot of the browser tests (tests/e2e/axe.py) may only shrink."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from tests.e2e import axe
from tests.e2e.axe import Snapshot, page_key


def _write(tmp_path, findings):
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps({"_about": "x", "findings": findings}), encoding="utf-8")
    return path


def test_the_checked_in_snapshot_is_valid():
    data = json.loads(axe.SNAPSHOT_PATH.read_text(encoding="utf-8"))
    assert isinstance(data["findings"], dict)
    for key, rules in data["findings"].items():
        assert key.rsplit(" @", 1)[1].isdigit(), key
        assert rules == sorted(set(rules)) and rules, (key, rules)


def test_new_findings_are_reported_and_listed_ones_allowed(tmp_path):
    snapshot = Snapshot(_write(tmp_path, {"/forum/ @1280": ["region"]}))
    assert snapshot.record("/forum/ @1280", {"region"}) == set()
    assert snapshot.record("/forum/ @1280", {"region", "landmark-unique"}) == {"landmark-unique"}
    assert snapshot.record("/ @320", {"region"}) == {"region"}


def test_fixed_findings_of_checked_pages_are_stale_and_shrink_removes_them(tmp_path):
    path = _write(tmp_path, {
        "/forum/ @1280": ["landmark-unique", "region"],
        "/sok/ @1280": ["region"],  # not checked in this run: left alone
    })
    snapshot = Snapshot(path)
    snapshot.record("/forum/ @1280", {"region"})
    assert snapshot.stale() == {"/forum/ @1280": ["landmark-unique"]}

    snapshot.shrink()
    assert json.loads(path.read_text(encoding="utf-8"))["findings"] == {
        "/forum/ @1280": ["region"], "/sok/ @1280": ["region"]}


def test_stale_report_fails_only_when_every_test_passed(tmp_path, monkeypatch):
    snapshot = Snapshot(_write(tmp_path, {"/ @1280": ["region"]}))
    snapshot.record("/ @1280", set())
    monkeypatch.setattr(axe, "snapshot", snapshot)
    monkeypatch.delenv(axe.SHRINK_ENV, raising=False)

    assert axe.report_stale_snapshot(SimpleNamespace(testsfailed=1)) is None
    message = axe.report_stale_snapshot(SimpleNamespace(testsfailed=0))
    assert "/ @1280: region" in message and "shrink the file" in message


@pytest.mark.parametrize(("url", "state", "width", "key"), [
    ("http://localhost:1/forum/trad/42/", None, 1280, "/forum/trad/N/ @1280"),
    ("http://localhost:1/sok/?q=x&ar=2023", None, 320, "/sok/?q=x&ar=N @320"),
    ("http://localhost:1/konto/login/", "/konto/login/ fel", 320, "/konto/login/ fel @320"),
])
def test_page_keys_are_stable(url, state, width, key):
    page = SimpleNamespace(url=url, viewport_size={"width": width, "height": 900})
    assert page_key(page, state) == key
