"""Walk every link of the dashboard to the duos behind a figure, and compare
what the duo list counts with what the figure says."""

from django.urls import reverse

DASHBOARD = reverse("reporting:dashboard")


def listed(client, url, cache):
    """What the duo list at ``url`` counts: its duos, or, for duo-months and
    follow-ups, the total it shows (the sum of its rows' counts)."""
    if url not in cache:
        response = client.get(url)
        assert response.status_code == 200, url
        drill = response.context["filter"].figure_drilldown
        assert drill is not None and not drill.errors, (url, drill and drill.errors)
        cache[url] = drill.total if drill.per_duo else response.context["paginator"].count
    return cache[url]


def walk_dashboard(client, params):
    """Open the dashboard with ``params``, follow every numerator and
    denominator link of the cards, the partner table and the outcomes table,
    and return ``(links walked, mismatches)``; a mismatch is ``(what, url,
    figure's count, list's count)``."""
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    cache, walked, mismatches = {}, 0, []

    def check(what, url, expected):
        nonlocal walked
        if url is None:
            return
        walked += 1
        got = listed(client, url, cache)
        if got != (expected or 0):
            mismatches.append((what, url, expected, got))

    cards = list(response.context["cards"]) + list(response.context["follow_up_cards"])
    cells = list(cards)
    for row in response.context["rows"]:
        cells += row["cells"]
    for cell in cells:
        figure = cell["figure"]
        if figure is None:  # does not apply to this row
            continue
        check(f"{cell['key']} numerator", cell["numerator_url"], figure.numerator)
        check(f"{cell['key']} denominator", cell["denominator_url"], figure.denominator)
    for card in cards:
        for quality in card["quality"]:
            check(f"{quality['info'].key} beside {card['key']}", quality["url"], quality["figure"].numerator)
    for row in response.context["outcomes"]:
        for count, url in row["cells"]:
            check(f"outcome {row['label']}", url, count)
        check(f"outcome {row['label']} total", row["total_url"], row["total"])
    return walked, mismatches
