import pytest


@pytest.mark.django_db
def test_home_renders_for_signed_in_user(user_client):
    response = user_client.get("/")
    assert response.status_code == 200
    assert "Rättighetsområden" in response.content.decode()
