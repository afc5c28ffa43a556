"""A paragraph longer than MAX_PASSAGE_CHARS becomes several passages, cut between
sentences (else at a space, else hard), with offsets into the text kept exact: one huge
line no longer makes one huge passage that tagging and indexing hold whole."""

from library.ingest.passages import MAX_PASSAGE_CHARS, split_passages

SENTENCE = "Lejren i al-Hol var overfyldt, og børn og kvinder manglede vand og medicin. "


def _check_offsets(text, drafts):
    for draft in drafts:
        assert text[draft.start : draft.end] == draft.text
        assert draft.text == draft.text.strip()


def test_a_huge_line_is_cut_after_sentences_within_the_limit():
    text = SENTENCE * 2000  # about 150,000 characters on one line
    drafts = split_passages(text)
    _check_offsets(text, drafts)
    assert len(drafts) > 15
    assert all(len(d.text) <= MAX_PASSAGE_CHARS for d in drafts)
    assert all(d.text.endswith("medicin.") for d in drafts)
    # Nothing lost but the white space between the pieces.
    assert "".join(d.text for d in drafts).replace(" ", "") == text.replace(" ", "")
    assert [d.ordinal for d in drafts] == list(range(1, len(drafts) + 1))


def test_without_sentence_ends_it_is_cut_at_a_space_and_without_spaces_hard():
    words = "ord " * 5000
    drafts = split_passages(words)
    _check_offsets(words, drafts)
    assert all(len(d.text) <= MAX_PASSAGE_CHARS and d.text.endswith("ord") for d in drafts)

    run = "x" * (MAX_PASSAGE_CHARS * 2 + 10)
    drafts = split_passages(run)
    assert [len(d.text) for d in drafts] == [MAX_PASSAGE_CHARS, MAX_PASSAGE_CHARS, 10]
    _check_offsets(run, drafts)


def test_paragraphs_within_the_limit_are_untouched():
    text = "Første afsnit.\n\n" + SENTENCE * 100 + "\n\nSidste afsnit."
    drafts = split_passages(text)
    assert [d.text for d in drafts] == [
        "Første afsnit.",
        (SENTENCE * 100).strip(),
        "Sidste afsnit.",
    ]
