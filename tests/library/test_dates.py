"""Partial dates (library.dates): the written forms Baggrund reads, the impossible ones it
refuses, two-digit years, and formatting by precision and language."""

import datetime as dt

import pytest

from library.dates import (
    DAY,
    MONTH,
    YEAR,
    DateError,
    PartialDate,
    format_partial_date,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        # Danish, as the board writes them
        ("11. september 2018", dt.date(2018, 9, 11), DAY),
        ("11. oktober 2018", dt.date(2018, 10, 11), DAY),
        ("1. okt. 2018", dt.date(2018, 10, 1), DAY),
        ("februar 2019", dt.date(2019, 2, 1), MONTH),
        ("Marts 2019", dt.date(2019, 3, 1), MONTH),
        ("maj 2019", dt.date(2019, 5, 1), MONTH),
        # Norwegian
        ("17. mai 2019", dt.date(2019, 5, 17), DAY),
        ("3. desember 2018", dt.date(2018, 12, 3), DAY),
        ("mars 2019", dt.date(2019, 3, 1), MONTH),
        ("10.02.19 20:59", dt.date(2019, 2, 10), DAY),
        ("10.02.2019", dt.date(2019, 2, 10), DAY),
        ("5.3.19", dt.date(2019, 3, 5), DAY),
        # English
        ("11 September 2018", dt.date(2018, 9, 11), DAY),
        ("11 Sep 2018", dt.date(2018, 9, 11), DAY),
        ("September 11, 2018", dt.date(2018, 9, 11), DAY),
        ("Sept. 11, 2018", dt.date(2018, 9, 11), DAY),
        # ISO, with the precision the writer gave
        ("2018-09-11", dt.date(2018, 9, 11), DAY),
        ("2019-2-5", dt.date(2019, 2, 5), DAY),
        ("2019-02", dt.date(2019, 2, 1), MONTH),
        ("2019", dt.date(2019, 1, 1), YEAR),
        ("  29.  februar   2020 ", dt.date(2020, 2, 29), DAY),
    ],
)
def test_parse_partial_date_reads_written_forms(raw, value, precision):
    assert parse_partial_date(raw) == PartialDate(value, precision)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31. februar 2019", "'31. februar 2019' is not a valid date: February 2019 has 28 days"),
        ("29. februar 2019", "'29. februar 2019' is not a valid date: February 2019 has 28 days"),
        ("31. april 2019", "'31. april 2019' is not a valid date: April 2019 has 30 days"),
        ("2019-02-30", "'2019-02-30' is not a valid date: February 2019 has 28 days"),
        ("32.01.2019", "'32.01.2019' is not a valid date: January 2019 has 31 days"),
        ("2019-13", "'2019-13' is not a valid date: there is no month 13"),
        ("10.13.19", "'10.13.19' is not a valid date: there is no month 13"),
        ("2019-00", "'2019-00' is not a valid date: there is no month 0"),
        ("2019-00-05", "'2019-00-05' is not a valid date: there is no month 0"),
        ("", "the date is empty"),
        ("   ", "the date is empty"),
        (
            "next tuesday",
            "'next tuesday' is not a date Baggrund can read "
            "(use 2019-02-10, 2019-02, 2019 or '10. februar 2019')",
        ),
        (
            "1 2 2019",
            "'1 2 2019' is not a date Baggrund can read "
            "(use 2019-02-10, 2019-02, 2019 or '10. februar 2019')",
        ),
    ],
)
def test_parse_partial_date_refuses_impossible_or_unreadable(raw, message):
    with pytest.raises(DateError) as error:
        parse_partial_date(raw)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("10.02.19", 2019),
        ("10.02.00", 2000),
        ("10.02.20", 2020),  # next year is still this century
        ("10.02.21", 1921),  # two years ahead is taken as the last century
        ("10.02.99", 1999),
    ],
)
def test_parse_partial_date_two_digit_years(raw, year):
    assert parse_partial_date(raw, today=dt.date(2019, 6, 1)) == PartialDate(
        dt.date(year, 2, 10), DAY
    )


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (PartialDate(dt.date(2018, 9, 11), DAY), "2018-09-11"),
        (PartialDate(dt.date(2019, 2, 1), MONTH), "2019-02"),
        (PartialDate(dt.date(2019, 1, 1), YEAR), "2019"),
    ],
)
def test_partial_date_iso_keeps_precision(date, iso):
    assert date.iso() == iso


def test_partial_date_contains_by_precision():
    february = PartialDate(dt.date(2019, 2, 1), MONTH)
    year = PartialDate(dt.date(2019, 1, 1), YEAR)
    day = PartialDate(dt.date(2019, 2, 10), DAY)

    assert february.contains(day) is True
    assert february.contains(PartialDate(dt.date(2019, 3, 1), DAY)) is False
    assert year.contains(day) is True
    assert year.contains(PartialDate(dt.date(2020, 2, 10), DAY)) is False
    assert day.contains(PartialDate(dt.date(2019, 2, 10), DAY)) is True
    assert day.contains(february) is False


@pytest.mark.parametrize(
    ("precision", "language", "text"),
    [
        (DAY, "da", "11. september 2018"),
        (DAY, "en", "11 September 2018"),
        (MONTH, "da", "september 2018"),
        (MONTH, "en", "September 2018"),
        (YEAR, "da", "2018"),
    ],
)
def test_format_partial_date_by_precision_and_language(precision, language, text):
    assert format_partial_date(dt.date(2018, 9, 11), precision, language) == text
