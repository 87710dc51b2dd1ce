"""Conference needs (which can reveal health) never reach logs or error reports."""

from __future__ import annotations

import logging
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from privacy.logging import REDACTED, PrivacyExceptionReporterFilter, RedactSensitiveFilter
from tests.conference.factories import EditionFactory, SessionFactory
from tests.factories import OrganisationUnitFactory

from .factories import ACCESS_TEXT, NEEDS_TEXT

pytestmark = pytest.mark.django_db


def _post_registration(client, edition, session):
    unit = OrganisationUnitFactory()
    return client.post(reverse("conference:register", args=[edition.year]), {
        "organisation_unit": str(unit.pk), f"pass_{session.slot_id}": str(session.pk),
        "diet": ["vegansk"], "diet_other": NEEDS_TEXT,
        "access": ["vilorum"], "access_other": ACCESS_TEXT,
    })


def _registered(edition, user) -> bool:
    from cms.conference.models import AttendeeNeeds

    return AttendeeNeeds.objects.filter(registration__edition=edition, registration__user=user,
                                        diet_other=NEEDS_TEXT).exists()


def test_registration_with_needs_logs_no_needs(user_client, user, caplog):
    edition = EditionFactory()
    session = SessionFactory(edition=edition)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    response = _post_registration(user_client, edition, session)
    assert response.status_code == 200, response.content.decode()[:500]
    assert _registered(edition, user)
    assert caplog.records  # something was logged at all
    assert NEEDS_TEXT not in caplog.text and ACCESS_TEXT not in caplog.text
    assert "sesam" not in caplog.text.lower() and "epilepsi" not in caplog.text.lower()


def test_sql_debug_logging_is_redacted_by_the_filter(user_client, user, caplog, settings):
    """With DEBUG on, Django logs every SQL statement with its parameters; the filter (wired
    into LOGGING's console handler) hides those of the needs table."""
    edition = EditionFactory()
    session = SessionFactory(edition=edition)
    settings.DEBUG = True
    caplog.handler.addFilter(RedactSensitiveFilter())
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    response = _post_registration(user_client, edition, session)
    assert response.status_code == 200
    assert "conference_attendeeneeds" in caplog.text  # the INSERT was logged …
    assert NEEDS_TEXT not in caplog.text and ACCESS_TEXT not in caplog.text  # … without values


def test_the_filter_is_wired_into_logging():
    config = settings.LOGGING
    assert config["filters"]["redact_sensitive"]["()"] == "privacy.logging.RedactSensitiveFilter"
    for handler in config["handlers"].values():
        assert "redact_sensitive" in handler.get("filters", [])
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("PrivacyExceptionReporterFilter")


def test_filter_redacts_messages_arguments_and_extras():
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "form diet_other=%s access_other: 'rullstol'", (NEEDS_TEXT,), None)
    record.needs = {"diet_other": NEEDS_TEXT}
    record.payload = {"access_other": ACCESS_TEXT, "count": 3}
    RedactSensitiveFilter().filter(record)
    text = record.getMessage() + repr(vars(record))
    assert NEEDS_TEXT not in record.getMessage() or REDACTED in record.getMessage()
    assert "rullstol" not in record.getMessage()
    assert record.needs == REDACTED and record.payload == {"access_other": REDACTED, "count": 3}
    assert ACCESS_TEXT not in text


def test_error_report_hides_needs_in_post_and_variables(user):
    request = RequestFactory().post("/konferens/2100/anmalan/", {
        "diet_other": NEEDS_TEXT, "access_other": ACCESS_TEXT, "organisation_unit": "7"})
    request.user = user

    def failing_view(request, needs):
        raise RuntimeError("boom")

    try:
        failing_view(request, needs={"diet_other": NEEDS_TEXT})
    except RuntimeError:
        exc_info = sys.exc_info()
    reporter = ExceptionReporter(request, *exc_info)
    reporter.filter = PrivacyExceptionReporterFilter()
    for text in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert NEEDS_TEXT not in text and ACCESS_TEXT not in text
    assert "organisation_unit" in reporter.get_traceback_text()
