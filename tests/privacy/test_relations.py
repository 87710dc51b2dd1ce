"""No relation to the user can be forgotten by the export or the erasure."""

from __future__ import annotations

import pytest

from privacy import export
from privacy.relations import BY_FIELD, USER_RELATIONS, Erase, installed_relations, relations_to_user
from tests.factories import UserFactory


def test_every_relation_to_the_user_is_registered():
    missing = sorted(relations_to_user() - set(BY_FIELD))
    assert not missing, (
        "Relations to AUTH_USER_MODEL that privacy.relations does not know. Add each with "
        f"what erasure does and where the export shows it (or why not): {missing}")


def test_no_registered_relation_is_stale():
    stale = sorted({r.field for r in installed_relations()} - relations_to_user())
    assert not stale


def test_each_relation_is_exported_or_excluded_with_a_reason():
    for relation in USER_RELATIONS:
        assert relation.export or relation.reason, relation.field
        assert relation.export.count(".") in (0, 1), relation.field
    assert len(BY_FIELD) == len(USER_RELATIONS)  # no duplicates


def test_kept_relations_are_only_role_records():
    kept = {r.field for r in USER_RELATIONS if r.erase == Erase.KEEP}
    assert "forum.Post.author" not in kept and "conference.Registration.user" not in kept
    assert "conference.AuditEvent.actor" in kept  # accountability


@pytest.mark.django_db
def test_every_export_path_is_in_the_export():
    data = export.collect(UserFactory())
    for relation in installed_relations():
        if relation.export:
            section, key = relation.export.split(".")
            assert key in data[section], relation.export
