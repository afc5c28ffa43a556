"""The search query parser: what a caseworker types, read into required clauses and leave-outs.

`parse` needs no database. Every malformed query is refused with one message (English:
tests/conftest.py pins it) saying what is wrong; nothing is silently reinterpreted.
"""

import pytest

from library.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Query,
    QueryError,
    Term,
    is_common,
    parse,
)


def _shape(query: Query) -> tuple[list[list[str]], list[str], list[str]]:
    """(required clauses as term texts, left-out term texts, ignored stop words)."""
    return (
        [[term.text for term in clause] for clause in query.required],
        [term.text for term in query.excluded],
        list(query.ignored),
    )


def _error(raw: str) -> str:
    with pytest.raises(QueryError) as caught:
        parse(raw)
    return str(caught.value)


# --- what parses --------------------------------------------------------------------------


def test_words_are_required_clauses_lowercased_in_order():
    query = parse("Lejren  Hajin\tcamps")

    assert _shape(query) == ([["lejren"], ["hajin"], ["camps"]], [], [])
    assert query.positive_terms() == [Term(("lejren",)), Term(("hajin",)), Term(("camps",))]
    assert bool(query)


def test_quoted_words_are_one_phrase_split_into_its_words():
    query = parse('kamp "al-Hol Lejren"')

    assert query.required == ((Term(("kamp",)),), (Term(("al", "hol", "lejren")),))
    phrase = query.required[1][0]
    assert phrase.is_phrase
    assert phrase.text == '"al hol lejren"'
    assert not query.required[0][0].is_phrase


def test_or_joins_the_words_on_either_side_into_one_clause():
    assert _shape(parse("lejr OR leir")) == ([["lejr", "leir"]], [], [])


def test_or_binds_tighter_than_the_space_between_words():
    query = parse("hajin lejr OR leir OR camp kvinder")

    assert _shape(query) == ([["hajin"], ["lejr", "leir", "camp"], ["kvinder"]], [], [])


@pytest.mark.parametrize("spelling", ["or", "Or", "|"])
def test_or_may_be_lower_case_or_a_bar(spelling):
    assert _shape(parse(f"lejr {spelling} leir")) == ([["lejr", "leir"]], [], [])


def test_or_joins_phrases_and_prefixes_too():
    assert _shape(parse('"al hol" OR flygt*')) == ([['"al hol"', "flygt*"]], [], [])


def test_minus_leaves_out_a_word_or_a_phrase():
    query = parse('lejr -Irak -"Islamisk Stat"')

    assert query.required == ((Term(("lejr",)),),)
    assert query.excluded == (Term(("irak",)), Term(("islamisk", "stat")))


def test_minus_inside_a_word_does_not_leave_it_out():
    # "al-Hol" is a name: the hyphen splits the words, it does not negate "Hol".
    query = parse("al-Hol")

    assert _shape(query) == ([['"al hol"']], [], [])
    assert query.excluded == ()


def test_star_makes_a_prefix_of_at_least_three_letters():
    query = parse("Flygt*")

    assert query.required == ((Term(("flygt",), prefix=True),),)
    assert query.required[0][0].text == "flygt*"
    assert parse("fly*").required[0][0].prefix


@pytest.mark.parametrize("raw", ["fl*", "a*", "al-*"])
def test_prefix_shorter_than_three_letters_is_refused(raw):
    assert _error(raw) == f"A * search needs at least 3 letters before the *: {raw}"


def test_typographic_quotes_are_read_as_straight_quotes():
    expected = ((Term(("al", "hol", "lejren")),),)

    for raw in ("„al-Hol lejren“", "“al-Hol lejren”", "«al-Hol lejren»"):
        query = parse(raw)
        assert query.required == expected, raw
        assert query.raw == '"al-Hol lejren"'


def test_unclosed_typographic_quote_is_refused_like_a_straight_one():
    assert _error("„al-Hol lejren") == (
        'A quotation mark is not closed: put a " at the end of the phrase that starts '
        'with "al-Hol lejren.'
    )


def test_common_words_are_kept_for_the_languages_where_they_are_not_stop_words():
    query = parse("kvinder og børn i lejren")

    # compile drops "og" and "i" in Danish, Norwegian, Swedish, English; reported.
    assert _shape(query) == ([["kvinder"], ["og"], ["børn"], ["i"], ["lejren"]], [], ["og", "i"])


def test_or_after_a_dropped_word_does_not_join_the_clause_before_it():
    assert _shape(parse("kvinder og OR lejr")) == ([["kvinder"], ["lejr"]], [], ["og"])


def test_stop_word_inside_a_phrase_is_kept():
    assert _shape(parse('"kvinder og børn"')) == ([['"kvinder og børn"']], [], [])


def test_or_with_a_stop_word_drops_the_or_with_it():
    assert _shape(parse("lejr OR og")) == ([["lejr"]], [], ["og"])
    assert _shape(parse("og OR lejr")) == ([["lejr"]], [], ["og"])


def test_control_characters_separate_words():
    query = parse("lejr\nleir\u2028camp\x07kamp")

    assert _shape(query) == ([["lejr"], ["leir"], ["camp"], ["kamp"]], [], [])
    assert query.raw == "lejr leir camp kamp"


def test_query_of_exactly_the_limit_is_accepted():
    raw = "a" * MAX_QUERY_LENGTH

    assert parse(raw).required == ((Term((raw,)),),)


def test_exactly_the_term_limit_is_accepted():
    words = [f"ord{i}" for i in range(MAX_TERMS - 3)]

    query = parse(" ".join(words) + " lejr OR leir -irak")

    assert sum(len(c) for c in query.required) + len(query.excluded) == MAX_TERMS


def test_surrounding_whitespace_is_trimmed_from_raw():
    assert parse("  lejr  ").raw == "lejr"


# --- what is refused, with its message ----------------------------------------------------

MALFORMED = [
    ("", "Type one or more words to search for."),
    ("   \t ", "Type one or more words to search for."),
    ("\n\r", "Type one or more words to search for."),
    ("a" * 201, "The query is 201 characters long; the limit is 200."),
    (
        "lejr " * 41,  # 205 characters, 200 after trimming: still too long
        "The query is 204 characters long; the limit is 200.",
    ),
    (
        '"al-Hol lejren',
        'A quotation mark is not closed: put a " at the end of the phrase that starts '
        'with "al-Hol lejren.',
    ),
    (
        'lejr "kvinder og børn i lejrene nord for byen',
        'A quotation mark is not closed: put a " at the end of the phrase that starts '
        'with "kvinder og børn i l.',
    ),
    (
        "-",
        "A minus must be followed directly by the word to leave out, e.g. -Irak "
        "(a lone '-' was found).",
    ),
    (
        "lejr - Irak",
        "A minus must be followed directly by the word to leave out, e.g. -Irak "
        "(a lone '-' was found).",
    ),
    (
        "lejr -",
        "A minus must be followed directly by the word to leave out, e.g. -Irak "
        "(a lone '-' was found).",
    ),
    ("lejr\x00", "The query contains a NUL character, which cannot be searched."),
    ("\x00", "The query contains a NUL character, which cannot be searched."),
    (
        "og i the",
        "og, i, the: too common to search for. Add a more specific word.",
    ),
    (
        "og og",
        "og: too common to search for. Add a more specific word.",
    ),
    ("-Irak", "Say what to look for, not only what to leave out (e.g. lejr -Irak)."),
    (
        '-Irak -"Islamisk Stat"',
        "Say what to look for, not only what to leave out (e.g. lejr -Irak).",
    ),
    ("OR lejr", "OR needs a word on each side, e.g. lejr OR leir."),
    ("lejr OR", "OR needs a word on each side, e.g. lejr OR leir."),
    ("OR", "OR needs a word on each side, e.g. lejr OR leir."),
    ("a OR OR b", "OR needs a word on each side, e.g. lejr OR leir."),
    ("og OR OR lejr", "OR needs a word on each side, e.g. lejr OR leir."),
    ("lejr OR OR leir", "OR needs a word on each side, e.g. lejr OR leir."),
    (
        "lejr OR -Irak",
        "A left-out word (-word) cannot be part of an OR; write it on its own.",
    ),
    ("-Irak OR lejr", "A left-out word (-word) cannot be part of an OR; write it on its own."),
    (
        " ".join(f"ord{i}" for i in range(MAX_TERMS + 1)),
        "The query has 17 words or phrases; the limit is 16.",
    ),
    (
        " ".join(f"ord{i}" for i in range(10)) + " " + " ".join(f"-ud{i}" for i in range(8)),
        "The query has 18 words or phrases; the limit is 16.",
    ),
    ("!!! ???", "The query has no letters or digits to search for."),
    ('""', "The query has no letters or digits to search for."),
    ("*", "The query has no letters or digits to search for."),
]


def _case_id(case) -> str:
    raw = case.values[0] if hasattr(case, "values") else case[0]
    return repr(raw[:24])


@pytest.mark.parametrize(("raw", "message"), MALFORMED, ids=[_case_id(c) for c in MALFORMED])
def test_malformed_query_is_refused_with_its_message(raw, message):
    assert _error(raw) == message


def test_length_limit_counts_characters_not_bytes():
    # 200 letters of two bytes each in UTF-8 are within the limit.
    assert parse("ø" * MAX_QUERY_LENGTH).required == ((Term(("ø" * MAX_QUERY_LENGTH,)),),)


def test_stop_words_do_not_count_towards_the_term_limit():
    words = [f"ord{i}" for i in range(MAX_TERMS)]

    query = parse(" og ".join(words))

    assert len([clause for clause in query.required if not is_common(clause[0])]) == MAX_TERMS
    assert query.ignored == ("og",)


def test_query_error_is_a_value_error():
    assert issubclass(QueryError, ValueError)
