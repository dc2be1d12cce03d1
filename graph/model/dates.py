"""A statement's date as precise as its source gives it: a day, a month or a year.

A text often names only a month ("in December 2015") or a year ("In 2017"). Such a date is kept
at that precision, never filled in to a day: in the data as ``date: 2015-12`` or ``date: 2017``,
in the graph as ``xsd:gYearMonth`` or ``xsd:gYear`` (a day stays ``xsd:date``). Code that orders
or compares dates reads them as the span of days they cover: :func:`earliest` and
:func:`latest`. Ordering the ISO texts as strings puts a year before its months and a month
before its days ("2017" < "2017-09" < "2017-09-20"), which is how a timeline lists them.
Light on purpose (no pydantic): the network cache and the timeline import it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

#: a month (``2015-12``) or a year (``2017``), as ISO 8601 writes them
PARTIAL = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>0[1-9]|1[0-2]))?$")

XSD = "http://www.w3.org/2001/XMLSchema#"
#: the XSD datatype of each precision
DATATYPES: dict[str, str] = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}

#: what a partial date may be written as in the data, for error messages
FORMS = "a day (2015-12-11), a month (2015-12) or a year (2015)"


def check_partial(value: str) -> str:
    """``value`` if it is a month or a year in ISO form; ValueError otherwise."""
    if not PARTIAL.match(value):
        raise ValueError(f"'{value}' is not a date: give {FORMS}")
    return value


def text(value: dt.date | str) -> str:
    """The ISO text of a date of any precision: ``2015-12-11``, ``2015-12`` or ``2015``."""
    return value.isoformat() if isinstance(value, dt.date) else value


def precision(value: dt.date | str) -> str:
    """``day``, ``month`` or ``year``."""
    iso = text(value)
    return {10: "day", 7: "month", 4: "year"}[len(iso)]


def datatype(value: dt.date | str) -> str:
    """The IRI of its XSD datatype: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return DATATYPES[precision(value)]


def earliest(value: dt.date | str) -> dt.date:
    """The first day the date can mean: the day itself, the first of its month, the first of January."""
    iso = text(value)
    if len(iso) == 10:
        return dt.date.fromisoformat(iso)
    year, _, month = iso.partition("-")
    return dt.date(int(year), int(month or 1), 1)


def latest(value: dt.date | str) -> dt.date:
    """The last day the date can mean: the day itself, the last of its month, the 31st of December."""
    iso = text(value)
    if len(iso) == 10:
        return dt.date.fromisoformat(iso)
    year, _, month = iso.partition("-")
    last_month = int(month or 12)
    return dt.date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])
