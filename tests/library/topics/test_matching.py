"""Matching (library.topics.matching): what each form of lexicon entry matches, an
exclusion's veto, and a passage read with the lexicon of its language (no database)."""

import pytest

from tests.library.topics.corpus import reason_for

pytestmark = pytest.mark.usefixtures("only_test_topics")


@pytest.mark.parametrize(
    ("lexicon", "text", "reason"),
    [
        # A word covers its inflections (by stem) but not the compounds it is part of.
        ("lejr", "Vi besøgte lejrene i går.", "lejr ← lejrene"),
        ("Lejr", "Nødhjælpen til lejren standsede.", "Lejr ← lejren"),
        ("lejr", "Flygtningelejrene er fulde.", None),
        # A phrase: these words, in this order.
        (
            '"fremmede krigere"',
            "Flere fremmede krigere blev anholdt.",
            '"fremmede krigere" ← fremmede krigere',
        ),
        ('"fremmede krigere"', "Krigere fra fremmede lande blev set.", None),
        ('"fremmede kriger*"', "Fremmede krigerne kom.", '"fremmede kriger*" ← Fremmede krigerne'),
        # A glob covers compounds (*…*) and prefixes (…*), always on the whole word.
        ("*lejr*", "Flygtningelejrene er fulde.", "*lejr* ← Flygtningelejrene"),
        ("*lejr*", "Teltlejren blev ryddet.", "*lejr* ← Teltlejren"),
        ("flygtning*", "Flygtningene ventede ved grænsen.", "flygtning* ← Flygtningene"),
        ("flygtning*", "Flygtningelejrene er fulde.", "flygtning* ← Flygtningelejrene"),
        ("lejr*", "Flygtningelejrene er fulde.", None),
        # Alternatives: either.
        ("lejr | telt*", "De sov i teltene.", "lejr | telt* ← teltene"),
        ("lejr|telt*", "Lejren blev ryddet.", "lejr|telt* ← Lejren"),
        # All of: every +-part must match somewhere in the passage.
        (
            "civile + dræbt* | omkom*",
            "Mindst tyve civile blev dræbt.",
            "civile + dræbt* | omkom* ← civile, dræbt",
        ),
        (
            "civile + dræbt* | omkom*",
            "Flere civile omkom ved broen.",
            "civile + dræbt* | omkom* ← civile, omkom",
        ),
        ("civile + dræbt* | omkom*", "De civile flygtede over floden.", None),
        ("civile + dræbt* | omkom*", "Fem soldater blev dræbt.", None),
        # A word written with a hyphen is its parts, in order.
        ("al-Hol", "Lejren al-Hol er overfyldt.", "al-Hol ← al Hol"),
        ("al-Hol", "Hol al fortalte.", None),
        # Comments and blank lines are not entries; the reason has the entry without them.
        ("# lejre\n\nlejr  # og former\n", "Lejren blev ryddet.", "lejr ← Lejren"),
        # Every entry that matches is in the reason.
        (
            "lejr\nflygtning*",
            "Flygtninge i lejren venter.",
            "lejr ← lejren; flygtning* ← Flygtninge",
        ),
    ],
)
def test_each_lexicon_form_matches_what_it_says(lexicon, text, reason):
    assert reason_for(text, lexicon_da=lexicon) == reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Aid to the camp was halted.", "camp ← camp"),
        ("Recruits went to a training camp in the desert.", None),
        # An exclusion vetoes the passage even when another entry matches.
        ("The camp is far from the training camp.", None),
        ("They were training for the marathon.", None),
    ],
)
def test_an_exclusion_vetoes_the_passage(text, reason):
    lexicon = 'camp\n- "training camp"\n'
    assert reason_for(text, "en", lexicon_en=lexicon) == reason


@pytest.mark.parametrize(
    ("language", "text", "reason"),
    [
        ("da", "Nødhjælpen til lejren standsede.", "lejr ← lejren"),
        ("nb", "Nødhjelpen til leiren stanset.", "leir ← leiren"),
        ("nn", "Naudhjelpa til leiren stoppa.", "leir ← leiren"),  # read as Norwegian
        ("en", "Aid to the camps stopped.", "camp ← camps"),
        ("da", "Aid to the camp stopped.", None),  # each language with its own lexicon
        ("en", "Nødhjælpen til lejren standsede.", None),
    ],
)
def test_a_passage_is_read_with_the_lexicon_of_its_language(language, text, reason):
    lexicons = {"lexicon_da": "lejr", "lexicon_nb": "leir", "lexicon_en": "camp"}
    assert reason_for(text, language, **lexicons) == reason
