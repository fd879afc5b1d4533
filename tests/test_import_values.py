"""The cell parsers the importer uses: dates (ISO, UK day-first, spelled months, months and
years), numbers (thousands separators, currency and percent signs) and slugs for IRIs."""

import pytest

from hlsgraph.importing.values import parse_date, parse_number, slugify

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    "text, lexical, datatype",
    [
        ("2024-04-03", "2024-04-03", "date"),
        ("2024-4-3", "2024-04-03", "date"),
        ("03/04/2024", "2024-04-03", "date"),
        ("3/4/2024", "2024-04-03", "date"),
        ("03.04.2024", "2024-04-03", "date"),
        ("3 April 2024", "2024-04-03", "date"),
        ("3rd Apr 2024", "2024-04-03", "date"),
        ("April 3, 2024", "2024-04-03", "date"),
        ("29 February 2024", "2024-02-29", "date"),
        ("2024-04-03 00:00:00", "2024-04-03", "date"),
        ("April 2024", "2024-04", "gYearMonth"),
        ("Sept 2023", "2023-09", "gYearMonth"),
        ("2024-04", "2024-04", "gYearMonth"),
        ("2024", "2024", "gYear"),
    ],
)
def test_dates(text, lexical, datatype):
    literal = parse_date(text)
    assert (literal.lex, literal.datatype) == (lexical, XSD + datatype)


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2024", "'31/02/2024' is not a real date: February 2024 has 29 days"),
        ("29/02/2023", "'29/02/2023' is not a real date: February 2023 has 28 days"),
        ("31 April 2024", "'31 April 2024' is not a real date: April 2024 has 30 days"),
        ("03/13/2024", "'03/13/2024' has no month 13; dates are read day first (DD/MM/YYYY)"),
        ("03/04/24", "'03/04/24' has a two-digit year; write the year in full (e.g. 2024)"),
        ("3 Aprill 2024", "'Aprill' is not a month (did you mean April?)"),
        ("2024-04-03T10:30:00", "'2024-04-03T10:30:00' has a time of day"),
        ("next Tuesday", "'next Tuesday' is not a date; expected a date such as 2024-04-03"),
    ],
)
def test_bad_dates(text, message):
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "text, lexical, datatype, unit",
    [
        ("1200", "1200", "integer", None),
        ("1,200", "1200", "integer", None),
        ("1,234,567.891", "1234567.891", "decimal", None),
        ("£1,200.50", "1200.50", "decimal", "GBP"),
        ("£ 1,200", "1200", "integer", "GBP"),
        ("-£30", "-30", "integer", "GBP"),
        ("$5", "5", "integer", "USD"),
        ("€0.5", "0.5", "decimal", "EUR"),
        ("45%", "45", "integer", "percent"),
        ("12.5 %", "12.5", "decimal", "percent"),
        ("(300)", "-300", "integer", None),
        (".5", "0.5", "decimal", None),
        ("1e3", "1000.0", "decimal", None),
    ],
)
def test_numbers(text, lexical, datatype, unit):
    literal, found_unit = parse_number(text)
    assert (literal.lex, literal.datatype, found_unit) == (lexical, XSD + datatype, unit)


@pytest.mark.parametrize(
    "text, message",
    [
        ("1,20", "commas must group thousands (1,200); the decimal mark is a point"),
        ("12,00.5", "commas must group thousands"),
        ("about 12", "is not a number; expected a number such as 1200, 1,200.50, £1,200.50 or 45%"),
        ("£45%", "has both a currency sign and %"),
        ("", "is not a number"),
    ],
)
def test_bad_numbers(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_number(text)


def test_slugs():
    assert slugify("Rosa") == "rosa"
    assert slugify("story-7") == "story-7"
    assert slugify("Ünïcode  Ids!") == "unicode-ids"
    assert slugify("My Stories.xlsx") == "my-stories-xlsx"
    assert slugify("***") == ""
