"""The error handlers render Swedish pages with the right status."""

from django.test import RequestFactory

from mrnavet import views


def test_server_error_page_is_swedish_and_standalone():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Ett tekniskt fel uppstod" in body
    assert 'lang="sv"' in body


def test_bad_request_page(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    response = views.bad_request(request)
    assert response.status_code == 400
    assert "Något i förfrågan var fel" in response.content.decode()
