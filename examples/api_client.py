"""A partner's system talking to the mentoring API: it records a mentor and a
mentee, starts their duo and logs their first meeting.

    pip install requests
    python examples/api_client.py --base-url http://127.0.0.1:8000 --token mtk_...

The token is a personal token made on your profile page ("API tokens"); it
acts as you: a coordinator's token writes that coordinator's partner's
records. The people are synthetic; run it against a test or demo server.
Exits 0 when everything was recorded, 1 when the API refused something (its
messages, keyed by field, are printed), 2 on bad arguments.
"""

import argparse
import datetime
import random
import sys

import requests


class ApiError(Exception):
    def __init__(self, response):
        self.response = response
        try:
            detail = response.json()
        except ValueError:
            detail = response.text[:500]
        super().__init__(f"{response.request.method} {response.url}: {response.status_code} {detail}")


class MentoringApi:
    """A thin client: JSON in and out, the token in every request, errors raised."""

    def __init__(self, base_url, token, *, language="en", timeout=30):
        self.base_url = base_url.rstrip("/") + "/api/v1/"
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Token {token}", "Accept-Language": language})
        self.timeout = timeout

    def request(self, method, path, **kwargs):
        response = self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            raise ApiError(response)
        return response.json() if response.content else None

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def post(self, path, data):
        return self.request("POST", path, json=data)

    def all(self, path, **params):
        """Every row of a list, following the cursor pagination's ``next`` links."""
        page = self.get(path, **params)
        yield from page["results"]
        while page["next"]:
            response = self.session.get(page["next"], timeout=self.timeout)
            if response.status_code >= 400:
                raise ApiError(response)
            page = response.json()
            yield from page["results"]


def birth_date_for_age(age, on):
    return on.replace(year=on.year - age) - datetime.timedelta(days=30)


def record_a_duo(api, *, programme_id=None, today=None, out=print):
    """Record a mentor and a mentee who fit the programme's rules (read from the
    API: ages, migration background, meeting place), start their duo today and
    log a one-hour meeting. Returns ``(mentor, mentee, duo, meeting)`` as the
    API answered them."""
    today = today or datetime.date.today()
    programmes = [p for p in api.all("programmes/", is_active="true") if programme_id in (None, p["id"])]
    if not programmes:
        raise SystemExit("No active programme found for this token.")
    programme = programmes[0]
    out(f"Programme: {programme['name']} (#{programme['id']})")

    low, high = programme["mentee_min_age"] or 18, programme["mentee_max_age"] or 45
    mentee = api.post(
        "mentees/",
        {
            "first_name": "Sam",
            "last_name": "Example",
            "jobseeker_number": str(random.randint(10_000_000, 99_999_999)),
            "birth_date": birth_date_for_age((low + high) // 2, today).isoformat(),
            "gender": "x",
            "languages": "French, English",
            # Recorded only when the programme asks for it (special-category data).
            **({"has_migration_background": True} if programme["migration_background_required"] else {}),
        },
    )
    out(f"Mentee #{mentee['id']} recorded.")
    mentor = api.post(
        "mentors/",
        {
            "first_name": "Alex",
            "last_name": "Sample",
            "birth_date": birth_date_for_age(max(programme["mentor_min_age"] or 0, 55), today).isoformat(),
            "gender": "x",
            "employer": "Example SA",
        },
    )
    out(f"Mentor #{mentor['id']} recorded.")
    duo = api.post(
        "duos/",
        {"programme": programme["id"], "mentor": mentor["id"], "mentee": mentee["id"], "start_date": today.isoformat()},
    )
    out(f"Duo #{duo['id']} started on {duo['start_date']}, planned to end on {duo['planned_end_date']}.")
    place = "mentor_workplace" if programme["meeting_place"] == "mentor_workplace" else "partner_office"
    meeting = api.post(
        "meetings/",
        {"duo": duo["id"], "date": today.isoformat(), "duration_minutes": 60, "place": place, "note": "First meeting."},
    )
    out(f"Meeting #{meeting['id']} logged on {meeting['date']}.")
    return mentor, mentee, duo, meeting


def main(argv=None, out=print):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="a personal API token (mtk_...)")
    parser.add_argument("--programme", type=int, help="the programme's id (default: the first active one)")
    parser.add_argument("--language", default="en", choices=["en", "fr", "nl"], help="language of error messages")
    args = parser.parse_args(argv)
    api = MentoringApi(args.base_url, args.token, language=args.language)
    try:
        record_a_duo(api, programme_id=args.programme, out=out)
    except ApiError as error:
        out(f"The API refused: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
