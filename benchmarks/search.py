"""The search rows: the duo, mentee and mentor lists searched at scale, each
measured side by side with its reference, the same list unsearched (first
page), round by round in alternating order (``speed.interleaved``), so that
the noise of a shared machine hits both alike. Target: every searched list
page within 150 ms (median).

The words searched come from the data: an accented last name typed without
its accents and in lower case (what a coordinator types), a frequent first
name (many matches: the heavy case), a job-seeker number (exact match), and,
as an extra row without target, a single letter (the trigram indexes cannot
help: every name is read).
"""

from benchmarks.speed import interleaved, ratio, signed_in_client, spread

TARGET_MS = 150


def search_words():
    """``{kind: word}`` picked from the scale data (deterministic)."""
    from django.db.models import Count

    from duos.models import Mentee, Mentor
    from duos.search import normalise

    accented = (
        Mentee.objects.filter(last_name__regex=r"[éèêëàâäîïôöûüçñ]")
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("n", "last_name")
        .first()
    )
    frequent = Mentee.objects.values("first_name").annotate(n=Count("pk")).order_by("-n", "first_name").first()
    number = Mentee.objects.filter(duos__isnull=False).order_by("pk").values_list("jobseeker_number", flat=True)
    mentor = (
        Mentor.objects.filter(last_name__regex=r"[éèêëàâäîïôöûüçñ]").order_by("pk").values_list("last_name", flat=True)
    )
    return {
        "accent": normalise(accented["last_name"]) if accented else "liegeois",
        "frequent": normalise(frequent["first_name"]) if frequent else "marie",
        "number": number.first() or "0",
        "mentor": normalise(mentor.first() or "dubois"),
    }


PAGES = (
    # (name, label, url template, reference name)
    ("search_duos_accent", "duo list, name typed without accents ({accent})", "/duos/?q={accent}", "duos"),
    ("search_duos_frequent", "duo list, frequent first name ({frequent})", "/duos/?q={frequent}", "duos"),
    ("search_duos_number", "duo list, job-seeker number", "/duos/?q={number}", "duos"),
    ("search_mentees_accent", "mentee list, name without accents ({accent})", "/mentees/?q={accent}", "mentees"),
    ("search_mentees_number", "mentee list, job-seeker number", "/mentees/?q={number}", "mentees"),
    ("search_mentors_accent", "mentor list, name without accents ({mentor})", "/mentors/?q={mentor}", "mentors"),
)
REFERENCES = {"duos": "/duos/", "mentees": "/mentees/", "mentors": "/mentors/"}
EXTRA = ("search_duos_one_letter", "duo list, one letter (a): no index helps (extra)", "/duos/?q=a", "duos")


def bench_search(args, results, user):
    """Every searched page interleaved with its unsearched list; medians, spread, ratio."""
    from django.test import Client

    client = Client()
    signed_in_client(client, user)
    words = search_words()
    measures, ratios = results["measures"], results["ratios"]
    results["checks"]["search_words"] = words
    for name, label, template, reference in (*PAGES, EXTRA):
        url = template.format(**words)
        for checked in (url, REFERENCES[reference]):
            response = client.get(checked)
            assert response.status_code == 200, (checked, response.status_code)
        rows = matches(url)
        runs = interleaved(
            {"search": lambda url=url: client.get(url), "reference": lambda r=REFERENCES[reference]: client.get(r)},
            args.repeat,
        )
        measures[name] = {**spread(runs["search"]), "url": url, "label": label.format(**words), "rows": rows}
        measures[f"{name}_reference"] = {**spread(runs["reference"]), "url": REFERENCES[reference]}
        ratios[f"{name}_over_reference"] = ratio(runs["search"], runs["reference"])


def matches(url):
    """Rows the searched list has (the benchmark user sees every partner)."""
    from urllib.parse import parse_qs, urlsplit

    from duos.models import Duo, Mentee, Mentor
    from duos.search import duos_matching, mentees_matching, mentors_matching

    parts = urlsplit(url)
    text = parse_qs(parts.query)["q"][0]
    search, model = {
        "/duos/": (duos_matching, Duo),
        "/mentees/": (mentees_matching, Mentee),
        "/mentors/": (mentors_matching, Mentor),
    }[parts.path]
    return search(model.objects.all(), text).count()


def search_rows(results):
    """Table rows (label, median, spread, ratio to the unsearched list, target, status)."""
    measures, ratios = results["measures"], results["ratios"]
    rows = []
    for name, _label, _template, reference in (*PAGES, EXTRA):
        entry = measures.get(name)
        if entry is None:
            continue
        ref = measures[f"{name}_reference"]
        value = ratios[f"{name}_over_reference"]
        spread_text = f"{entry['min_ms']:,.0f} / {entry['q1_ms']:,.0f} / {entry['q3_ms']:,.0f} / {entry['max_ms']:,.0f}"
        has_target = name != EXTRA[0]
        status = ""
        if has_target:
            status = "met" if entry["median_ms"] <= TARGET_MS else f"MISSED by {entry['median_ms'] - TARGET_MS:,.0f} ms"
        rows.append(
            (
                f"{entry['label']}: {entry['rows']:,} rows",
                f"{entry['median_ms']:,.1f}",
                spread_text,
                f"{ref['median_ms']:,.1f} ({REFERENCES[reference]})",
                f"{value['of_medians']:.2f}x",
                f"<= {TARGET_MS} ms" if has_target else "",
                status,
            )
        )
    return rows


SEARCH_HEADERS = (
    "measure",
    "median ms",
    "min / q1 / q3 / max ms",
    "reference median ms (unsearched list)",
    "ratio",
    "target",
    "status",
)
