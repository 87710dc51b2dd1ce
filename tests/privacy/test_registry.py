"""The personal-data register covers every field that holds personal data."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from privacy.registry import REQUIRED_FIELDS, covered_fields, installed_entries
from privacy.relations import Erase, installed_relations


def _all_fields(model) -> set[str]:
    label = model._meta.label
    return {f"{label}.{f.name}" for f in model._meta.get_fields()
            if (f.concrete or f.many_to_many) and not f.auto_created and not f.primary_key}


def test_every_field_of_the_user_model_is_registered():
    user_fields = {f"accounts.User.{f.name}" for f in get_user_model()._meta.get_fields()
                   if f.concrete or (f.many_to_many and not f.auto_created)}
    assert not sorted(user_fields - covered_fields())


def test_every_relation_to_the_user_is_registered():
    relations = {r.field for r in installed_relations()}
    assert not sorted(relations - covered_fields())


def test_rows_that_belong_to_one_user_are_registered_whole():
    """Models whose rows go with the account (DELETE) hold nothing but personal data."""
    missing = set()
    for relation in installed_relations():
        if relation.erase == Erase.DELETE:
            model = apps.get_model(relation.model_label)
            missing |= _all_fields(model) - covered_fields()
    assert not sorted(missing)


def test_needs_and_other_free_text_fields_are_registered():
    assert not sorted(set(REQUIRED_FIELDS) - covered_fields())
    needs = [e for e in installed_entries() if e.model == "conference.AttendeeNeeds"]
    assert needs and all(e.sensitive for e in needs)


def test_registered_fields_exist():
    for entry in installed_entries():
        model = apps.get_model(entry.model)
        for name in entry.fields:
            if name != "*":
                model._meta.get_field(name)  # raises FieldDoesNotExist


@pytest.mark.django_db
def test_retention_page_lists_the_register(user_client):
    response = user_client.get(reverse("privacy:retention"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "conference.AttendeeNeeds" in html and "diet_other" in html
    assert "conference_tick" in html and "forum_prune_read_marks" in html
    assert "Rättslig grund" in html and "Allmänt intresse" in html


@pytest.mark.django_db
def test_retention_page_needs_sign_in(client):
    response = client.get(reverse("privacy:retention"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
