"""Reading the values people type into a spreadsheet's cells: dates (day first, as in the UK),
numbers with currency and per-cent signs, the slugs ids become, and the normal forms in which
headers, choices and labels are compared."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..errors import InvalidValueError, nearest
from ..namespaces import PREFIXES
from ..validation.shapes import Lit

XSD = PREFIXES["xsd"]
_CURRENCIES = {"£": "GBP", "$": "USD", "€": "EUR"}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DATE_FORMS = "a date such as 2024-04-03, 03/04/2024 (day first), 3 April 2024, April 2024 or 2024"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_SPELLED_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", re.I)
_SPELLED_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_SPELLED_MONTH = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})", re.I)
_DATETIME_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]00:00(?::00(?:\.0+)?)?")


def _month(name: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        close = nearest(name.lower(), [m for m in _MONTHS if len(m) > 3], n=1)
        hint = f" (did you mean {close[0].capitalize()}?)" if close else ""
        raise InvalidValueError(f"{name!r} is not a month{hint}; expected {_DATE_FORMS}")
    return number


def _real_date(year: int, month: int, day: int, text: str) -> Lit:
    if not 1 <= month <= 12:
        raise InvalidValueError(
            f"{text!r} has no month {month}; dates are read day first (DD/MM/YYYY), so expected {_DATE_FORMS}"
        )
    try:
        value = dt.date(year, month, day)
    except ValueError:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        raise InvalidValueError(
            f"{text!r} is not a real date: {dt.date(year, month, 1):%B %Y} has {last} days"
        ) from None
    return Lit(value.isoformat(), XSD + "date")


@lru_cache(maxsize=65536)
def parse_date(text: str) -> Lit:
    """A date as typed in a sheet, as an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``
    literal. Slashed dates are read day first, as in the UK.

    Raises ``ValueError`` saying what was wrong and which forms are accepted.

    >>> parse_date("03/04/2024").lex
    '2024-04-03'
    >>> parse_date("April 2024").lex, parse_date("2024").datatype.rsplit("#")[1]
    ('2024-04', 'gYear')
    >>> parse_date("31/02/2024")
    Traceback (most recent call last):
    ...
    hlsgraph.errors.InvalidValueError: '31/02/2024' is not a real date: February 2024 has 29 days
    """
    value = " ".join(text.split())
    midnight = _DATETIME_MIDNIGHT.fullmatch(value)
    if midnight:
        value = midnight.group(1)
    found = _numeric_date(value, text) or _spelled_date(value, text)
    if found is not None:
        return found
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}.*", value):
        raise InvalidValueError(f"{text!r} has a time of day; expected {_DATE_FORMS}")
    raise InvalidValueError(f"{text!r} is not a date; expected {_DATE_FORMS}")


def _numeric_date(value: str, text: str) -> Lit | None:
    """2024-04-03, 2024-04, 2024 or 03/04/2024 (day first); ``None`` for other forms."""
    if m := _ISO_DATE.fullmatch(value):
        return _real_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _ISO_MONTH.fullmatch(value):
        if not 1 <= int(m[2]) <= 12:
            raise InvalidValueError(f"{text!r} has no month {int(m[2])}; expected {_DATE_FORMS}")
        return Lit(f"{m[1]}-{int(m[2]):02d}", XSD + "gYearMonth")
    if _YEAR.fullmatch(value):
        return Lit(value, XSD + "gYear")
    if m := _DAY_FIRST.fullmatch(value):
        if len(m[3]) == 2:
            raise InvalidValueError(f"{text!r} has a two-digit year; write the year in full (e.g. 2024)")
        return _real_date(int(m[3]), int(m[2]), int(m[1]), text)
    return None


def _spelled_date(value: str, text: str) -> Lit | None:
    """3 April 2024, April 3, 2024 or April 2024; ``None`` for other forms."""
    if m := _SPELLED_DAY.fullmatch(value):
        return _real_date(int(m[3]), _month(m[2]), int(m[1]), text)
    if m := _SPELLED_MONTH_FIRST.fullmatch(value):
        return _real_date(int(m[3]), _month(m[1]), int(m[2]), text)
    if m := _SPELLED_MONTH.fullmatch(value):
        return Lit(f"{m[2]}-{_month(m[1]):02d}", XSD + "gYearMonth")
    return None


_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<cur>[£$€]?)(?P<sign2>[-+]?)"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?P<frac>\.\d+)?(?P<exp>[eE][-+]?\d+)?(?P<pct>%?)"
)
_NUMBER_FORMS = "a number such as 1200, 1,200.50, £1,200.50 or 45%"


@lru_cache(maxsize=65536)
def parse_number(text: str) -> tuple[Lit, str | None]:
    """A number as typed in a sheet: its literal (``xsd:integer`` or ``xsd:decimal``) and the
    unit its sign implies (``"GBP"`` for £, ``"percent"`` for %, else ``None``).

    Commas group thousands; the decimal mark is a point.

    >>> literal, unit = parse_number("£1,200.50")
    >>> literal.lex, literal.datatype.rsplit("#")[1], unit
    ('1200.50', 'decimal', 'GBP')
    >>> parse_number("45%")[0].lex, parse_number("45%")[1]
    ('45', 'percent')
    >>> parse_number("1,20")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hlsgraph.errors.InvalidValueError: '1,20' is not a number: commas must group thousands (1,200); ...
    """
    value = text.replace(" ", "").replace("\u00a0", "")
    negative = value.startswith("(") and value.endswith(")")
    if negative:
        value = value[1:-1]
    m = _NUMBER.fullmatch(value)
    if not m or not (m["int"] or m["frac"]):
        if re.fullmatch(r"[-+]?[£$€]?[\d,]*\d(\.\d+)?%?", value):
            raise InvalidValueError(
                f"{text!r} is not a number: commas must group thousands (1,200); the decimal mark is a point"
            )
        raise InvalidValueError(f"{text!r} is not a number; expected {_NUMBER_FORMS}")
    if m["sign"] and m["sign2"]:
        raise InvalidValueError(f"{text!r} has two signs; expected {_NUMBER_FORMS}")
    if m["cur"] and m["pct"]:
        raise InvalidValueError(f"{text!r} has both a currency sign and %; expected {_NUMBER_FORMS}")
    digits = (m["int"] or "0").replace(",", "") + (m["frac"] or "") + (m["exp"] or "")
    negative = negative or "-" in (m["sign"] + m["sign2"])
    unit = _CURRENCIES.get(m["cur"]) if m["cur"] else ("percent" if m["pct"] else None)
    if m["frac"] is None and m["exp"] is None:
        whole = int(digits)
        return Lit(str(-whole if negative else whole), XSD + "integer"), unit
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise InvalidValueError(f"{text!r} is not a number; expected {_NUMBER_FORMS}") from None
    lexical = format(-number if negative else number, "f")
    if "." not in lexical:
        lexical += ".0"
    return Lit(lexical, XSD + "decimal"), unit


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str) -> str:
    """The kebab-case slug of an id or file name: ASCII letters and digits, lower case,
    joined by hyphens.

    >>> slugify("  Rosa's Story (2024) ")
    'rosa-s-story-2024'
    >>> slugify("Café Déjà-vu")
    'cafe-deja-vu'
    """
    if _SLUG.fullmatch(text):
        return text  # already a slug: the common case for ids, so skip the work
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normal_choice(text: str) -> str:
    """A choice or label as compared: hyphens and underscores as spaces, spaces collapsed,
    case folded.

    >>> normal_choice("Learning_point  Five")
    'learning point five'
    """
    return " ".join(re.sub(r"[-_]+", " ", text).split()).casefold()


def loose_text(text: str) -> str:
    """A label without its punctuation, for a last, looser match.

    >>> loose_text("Start 'upstream'")
    'start upstream'
    """
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def normal_header(text: str) -> str:
    """A column header as compared with the template's: spaces and hyphens as underscores,
    case folded, a byte-order mark dropped.

    >>> normal_header("\ufeffAccess level ")
    'access_level'
    """
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff")).casefold()
