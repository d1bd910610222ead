"""The French and Dutch catalogues are complete and compiled."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def entries(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block and not block.lstrip().startswith("#~")]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_catalogue_complete(language):
    untranslated = []
    for block in entries(language)[1:]:
        if (
            "#, fuzzy" in block
            or re.search(r'^msgstr(\[\d\])? ""$', block, re.MULTILINE)
            and not re.search(r'^msgstr(\[\d\])? ""\n"', block, re.MULTILINE)
        ):
            untranslated.append(block.split("msgid", 1)[1].split("\n", 1)[0])
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Duos qui demandent votre attention"), ("nl", "Duo's die aandacht vragen")],
)
def test_home_in_language(client, coordinator_a, language, expected):
    client.force_login(coordinator_a)
    client.post(reverse("set_language"), {"language": language})
    content = client.get(reverse("home")).content.decode()
    assert expected in content


def test_service_messages_translated():
    with translation.override("fr"):
        assert (
            translation.gettext("A meeting cannot be in the future.") == "Une rencontre ne peut pas être dans le futur."
        )
    with translation.override("nl"):
        assert translation.gettext("This duo is already closed.") == "Dit duo is al afgesloten."


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_compiled_catalogue_is_current(language, tmp_path):
    """The committed .mo is what msgfmt makes of the committed .po (run
    ``make messages`` after editing a catalogue or merging one)."""
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == (LOCALE / language / "LC_MESSAGES" / "django.mo").read_bytes()
