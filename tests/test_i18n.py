"""Danish by default, English on request, and a complete Danish catalogue.

The board works in Danish: the browser's Accept-Language is ignored on purpose, and only
the language switch (POST /i18n/setlang/) changes the UI language. Ingest messages name
a file's problem for an admin, so they are translated like the pages.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from library.ingest.results import FAILED
from library.ingest.services import bilag_ingest
from library.services import bilag_withdraw
from tests.factories import BilagFactory, PublisherFactory

PO_FILE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"

BODY = (
    "Civilians fled the camp after the attack on Monday.\n\n"
    "The fighting went on for several days, local sources said.\n"
)


# --- the .po catalogue ---------------------------------------------------------------


def _po_entries(text: str) -> list[dict]:
    """Entries of a .po file: flags, msgid, msgid_plural and msgstr(s). Header skipped."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict = {"flags": set(), "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if key == "msgstr":
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
            else:
                keyword, _space, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if keyword.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(value)
                else:
                    key = keyword
                    entry[key] = value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_text() -> str:
    return PO_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def po_entries(po_text) -> list[dict]:
    return _po_entries(po_text)


def test_po_header_names_danish_and_its_plural_rule(po_text):
    header = po_text.split("\n\n", 1)[0]
    assert '"Language: da\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def test_every_entry_is_translated_and_none_is_fuzzy(po_text, po_entries):
    assert len(po_entries) > 150  # the whole catalogue was parsed, not just a part
    assert "fuzzy" not in po_text
    untranslated = [e["msgid"] for e in po_entries if not all(s.strip() for s in e["msgstr"])]
    assert untranslated == []
    plurals = [e for e in po_entries if "msgid_plural" in e]
    assert plurals and all(len(e["msgstr"]) == 2 for e in plurals)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def test_translations_keep_every_placeholder(po_entries):
    for entry in po_entries:
        if "python-format" not in entry["flags"]:
            continue
        # Singular and plural each keep the placeholders of their own English form.
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for msgstr, source in zip(entry["msgstr"], sources, strict=False):
            wanted = sorted(_PLACEHOLDER.findall(source))
            assert sorted(_PLACEHOLDER.findall(msgstr)) == wanted, entry["msgid"]


def test_the_compiled_catalogue_matches_the_po(po_entries):
    """The .mo is compiled from this .po: Django serves every msgstr as written."""
    with translation.override("da"):
        for entry in po_entries:
            if "msgctxt" in entry:  # the same English word, said in a context
                assert pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0]
            elif "msgid_plural" in entry:
                assert ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr"][0]
                assert ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr"][1]
            else:
                assert gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_key_terms_follow_the_boards_vocabulary():
    with translation.override("da"):
        assert gettext("Bilag no.") == "Bilagsnr."
        assert gettext("Source") == "Kilde"
        assert gettext("Published") == "Udgivet"
        assert gettext("Added to the background material") == "Optaget på baggrundsmaterialet"
        assert gettext("passage") == "afsnit"
        assert gettext("withdrawn") == "tilbagetrukket"
        assert gettext("Ingest") == "Indlæs"
        assert gettext("Library") == "Bibliotek"
        assert gettext("boilerplate") == "standardtekst"
        assert gettext("publisher") == "udgiver"


# --- the UI language ------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_danish_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "da"
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "<h1>Log ind</h1>" in html
    assert "Brugernavn" in html  # Django's own strings follow, from its Danish catalogue
    assert "nævnets bibliotek med baggrundsmateriale" in html
    assert "<h1>Log in</h1>" not in html  # ("Log ind" contains "Log in")


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_danish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "da"
    assert "<h1>Log ind</h1>" in response.content.decode()


@pytest.mark.django_db
def test_the_switch_changes_the_language_and_back(client):
    login = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login

    response = client.get(login, HTTP_ACCEPT_LANGUAGE="da")
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Username" in html
    assert "Log ind" not in html

    client.post(reverse("set_language"), {"language": "da", "next": login})
    assert "<h1>Log ind</h1>" in client.get(login).content.decode()


@pytest.fixture
def bilag(db):
    return BilagFactory(
        number=4711,
        country="SY",
        publisher=PublisherFactory(name="Landinfo"),
        title="Hajin offensive",
        full_text=BODY,
    )


def test_bilag_detail_is_danish(caseworker_client, bilag):
    response = caseworker_client.get(bilag.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Bilagsnr.", "Land", "Kilde", "Titel", "Udgivet"):
        assert f"<dt>{label}</dt>" in html
    assert "<dt>Optaget på baggrundsmaterialet</dt>" in html
    assert "februar 2019" in html  # published to the month, in Danish
    assert "1. marts 2019" in html  # the intake date
    assert '<span class="bilag-counts">2 afsnit</span>' in html
    assert "Bilag no." not in html
    assert "Added to the background material" not in html


def test_bilag_detail_in_english_after_the_switch(caseworker_client, bilag):
    url = bilag.get_absolute_url()
    caseworker_client.post(reverse("set_language"), {"language": "en", "next": url})
    html = caseworker_client.get(url).content.decode()
    for label in ("Bilag no.", "Country", "Source", "Title", "Published"):
        assert f"<dt>{label}</dt>" in html
    assert "<dt>Added to the background material</dt>" in html
    assert "February 2019" in html
    assert "Bilagsnr." not in html


def test_library_list_and_navigation_are_danish(caseworker_client, bilag):
    html = caseworker_client.get(reverse("library:bilag_list")).content.decode()
    assert "<h1>Bibliotek</h1>" in html
    assert "1 bilag" in html
    assert "Titel indeholder" in html
    assert "Log ud" in html


def test_a_withdrawn_bilag_is_tilbagetrukket(caseworker_client, bilag):
    bilag_withdraw(bilag=bilag, reason="Erstattet af nyere rapport")
    html = caseworker_client.get(bilag.get_absolute_url()).content.decode()
    assert "Tilbagetrukket den" in html
    list_html = caseworker_client.get(reverse("library:bilag_list")).content.decode()
    assert "tilbagetrukket" in list_html


# --- ingest messages ------------------------------------------------------------------


def _ingest(name: str, data: bytes, **metadata) -> str:
    result = bilag_ingest(name=name, data=data, metadata=metadata or None)
    assert result.outcome == FAILED
    return result.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "metadata", "danish", "english"),
    [
        ("empty.txt", b"", {}, "filen er tom", "the file is empty"),
        (
            "report.docx",
            BODY.encode(),
            {},
            "filtypen '.docx' understøttes ikke: Baggrund modtager .txt, .html, .htm, .pdf",
            "unsupported file type '.docx': Baggrund takes .txt, .html, .htm, .pdf",
        ),
        (
            "scan.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            {},
            "filen er et billede, ikke TXT-tekst",
            "the file is an image, not TXT text",
        ),
        (
            "report.txt",
            BODY.encode(),
            {"country": "SY", "published": "2019-02-31"},
            "udgivelsesdato '2019-02-31' er ikke en gyldig dato: "
            "februar 2019 har 28 dage (angivet af administratoren)",
            "published date '2019-02-31' is not a valid date: "
            "February 2019 has 28 days (given by the admin)",
        ),
        (
            "report.txt",
            BODY.encode(),
            {"country": "Atlantis", "published": "2019"},
            "landet 'Atlantis' (angivet af administratoren) er ikke et land, som Baggrund "
            "kender; angiv en ISO 3166-kode som SY eller et navn som Syrien",
            "country 'Atlantis' (given by the admin) is not a country Baggrund knows; "
            "give an ISO 3166 code such as SY or a name such as Syrien",
        ),
        (
            "report.txt",
            f"Flygtningenævnets baggrundsmateriale\nLand:\tSyrien\nLand:\tIrak\n\n{BODY}".encode(),
            {},
            "filens hoved angiver Land to gange ('Syrien' og 'Irak')",
            "the header gives Land twice ('Syrien' and 'Irak')",
        ),
    ],
    ids=["empty", "unsupported", "not-text", "impossible-date", "unknown-country", "header"],
)
def test_ingest_failures_speak_the_active_language(name, data, metadata, danish, english):
    with translation.override("da"):
        assert _ingest(name, data, **metadata) == danish
    with translation.override("en"):
        assert _ingest(name, data, **metadata) == english


def test_upload_page_reports_a_failure_in_danish(admin_client_):
    upload = SimpleUploadedFile("scan.txt", b"GIF89a\x00\x01binary", content_type="text/plain")
    response = admin_client_.post(
        reverse("library:bilag_upload"), {"files": [upload]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Resultat af indlæsningen" in html
    assert "optaget 0, uændret 0, mislykket 1" in html
    assert "filen er et billede, ikke TXT-tekst" in html
