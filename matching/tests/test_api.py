"""The matching fields through the REST API: lists of codes, checked."""

from django.urls import reverse

from api.tests.conftest import token_client
from tests.factories import MenteeFactory, MentorFactory


def test_mentee_and_mentor_matching_fields_read_and_written(coordinator_a, partner_a):
    client = token_client(coordinator_a)
    mentee = MenteeFactory(partner=partner_a)
    url = reverse("api:mentee-detail", args=[mentee.pk])
    response = client.patch(
        url,
        {"spoken_languages": ["ar", "fr"], "sector": "it", "commune": "1050", "availability": ["evenings"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["spoken_languages"], data["commune"], data["availability"]) == (["fr", "ar"], "1050", ["evenings"])
    mentee.refresh_from_db()
    assert mentee.spoken_languages == ["fr", "ar"] and mentee.sector == "it"

    assert client.patch(url, {"spoken_languages": ["xx"]}, format="json").status_code == 400
    assert client.patch(url, {"commune": "9999"}, format="json").status_code == 400

    mentor = MentorFactory(partner=partner_a, spoken_languages=["nl"], commune="1000")
    row = client.get(reverse("api:mentor-detail", args=[mentor.pk])).json()
    assert (row["spoken_languages"], row["commune"], row["sector"]) == (["nl"], "1000", "")
