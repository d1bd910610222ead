from django.urls import reverse


def test_profile_shows_role_and_partner(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Partner coordinator" in content
    assert "Partner A" in content


def test_profile_needs_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
