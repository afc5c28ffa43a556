"""Dates as the sources write them, with their precision kept.

A bilag may be dated only to the month ("date 2019-02") or the year. A PartialDate keeps
the first day of that period and says how precise it is, so nothing is invented.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DAY, MONTH, YEAR = "day", "month", "year"

# Danish, Norwegian and English month names and their usual abbreviations.
_MONTHS = {
    1: ("januar", "january", "jan"),
    2: ("februar", "february", "feb"),
    3: ("marts", "mars", "march", "mar"),
    4: ("april", "apr"),
    5: ("maj", "mai", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("august", "aug"),
    9: ("september", "sep", "sept"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nov"),
    12: ("december", "desember", "dec", "des"),
}
MONTH_BY_NAME = {name: number for number, names in _MONTHS.items() for name in names}
_MONTH_NAMES_DA = [
    "",
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTH_NAMES_EN = ["", *list(calendar.month_name)[1:]]

_MONTH_RE = "|".join(sorted(MONTH_BY_NAME, key=len, reverse=True))
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\.?\s+({_MONTH_RE})\.?\s+(\d{{4}})$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I)
_MONTH_YEAR = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{4}})$", re.I)
_NUMERIC = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})(?:\s+\d{1,2}[:.]\d{2})?$")


class DateError(ValueError):
    """A date that cannot be read or does not exist; the message says which."""


@dataclass(frozen=True)
class PartialDate:
    value: dt.date
    precision: str = DAY

    def iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM or YYYY by precision."""
        if self.precision == YEAR:
            return f"{self.value.year:04d}"
        if self.precision == MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def contains(self, other: "PartialDate") -> bool:
        """True when `other` falls inside the period this date stands for."""
        if self.precision == YEAR:
            return other.value.year == self.value.year
        if self.precision == MONTH:
            return (other.value.year, other.value.month) == (self.value.year, self.value.month)
        return other.value == self.value and other.precision == DAY


def _make(raw: str, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    if month is not None and not 1 <= month <= 12:
        raise DateError(
            _("'%(raw)s' is not a valid date: there is no month %(month)s")
            % {"raw": raw, "month": month}
        )
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            period = format_partial_date(dt.date(year, month, 1), MONTH, get_language() or "en")
            raise DateError(
                _("'%(raw)s' is not a valid date: %(period)s has %(days)s days")
                % {"raw": raw, "period": period, "days": last}
            )
        return PartialDate(dt.date(year, month, day), DAY)
    if month is not None:
        return PartialDate(dt.date(year, month, 1), MONTH)
    return PartialDate(dt.date(year, 1, 1), YEAR)


def parse_partial_date(raw: str, *, today: dt.date | None = None) -> PartialDate:
    """Read a date as sources and admins write it, keeping its precision.

    Accepts "2018-09-11", "2018-09", "2018", "11. september 2018", "11 Sep 2018",
    "September 11, 2018", "september 2018", "10.02.19 20:59" (Norwegian web dates).
    Raises DateError naming the text for anything else, and for dates that do not
    exist ("31. februar 2019").
    """
    text = " ".join(str(raw).split()).strip()
    if not text:
        raise DateError(_("the date is empty"))
    if m := _ISO.match(text):
        year, month, day = m.groups()
        return _make(text, int(year), int(month) if month else None, int(day) if day else None)
    if m := _DAY_MONTH_YEAR.match(text):
        day, month, year = m.groups()
        return _make(text, int(year), MONTH_BY_NAME[month.lower()], int(day))
    if m := _MONTH_DAY_YEAR.match(text):
        month, day, year = m.groups()
        return _make(text, int(year), MONTH_BY_NAME[month.lower()], int(day))
    if m := _MONTH_YEAR.match(text):
        month, year = m.groups()
        return _make(text, int(year), MONTH_BY_NAME[month.lower()])
    if m := _NUMERIC.match(text):
        day, month, year = m.groups()
        if len(year) == 2:
            # Two-digit years on news sites: this century unless that lies in the future.
            this_year = (today or dt.date.today()).year
            year = 2000 + int(year) if 2000 + int(year) <= this_year + 1 else 1900 + int(year)
        return _make(text, int(year), int(month), int(day))
    raise DateError(
        _(
            "'%(text)s' is not a date Baggrund can read "
            "(use 2019-02-10, 2019-02, 2019 or '10. februar 2019')"
        )
        % {"text": text}
    )


def format_partial_date(value: dt.date, precision: str, language: str = "da") -> str:
    """'11. september 2018', 'februar 2019' or '2019' (Danish); English likewise."""
    names = _MONTH_NAMES_DA if language.startswith("da") else _MONTH_NAMES_EN
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return f"{names[value.month]} {value.year}"
    if language.startswith("da"):
        return f"{value.day}. {names[value.month]} {value.year}"
    return f"{value.day} {names[value.month]} {value.year}"
