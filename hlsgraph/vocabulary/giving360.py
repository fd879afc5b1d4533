"""The 360Giving Data Standard in the HLS vocabulary: which property holds each field of a grant
and of the objects inside it, and the IRIs of grants and organisations. The importer
(:mod:`hlsgraph.importing.giving360`) and the exporter (:mod:`hlsgraph.publishing.giving360`)
both read :data:`OBJECTS`, so a field is mapped one way and read back the same way.

Every field of the standard is kept as the grant states it: scalar fields as literals on the
grant, each object inside an array (an organisation as the grant names it, a location, planned
dates, a programme, a classification, ...) as a node of its own with its position. On top of that
the importer links the grant to the shared resources those name: the organisation keyed by its
org-id, the place keyed by its GSS code, the classification as a SKOS concept.
docs/360giving.md gives the mapping in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..namespaces import HLS, HLSD, PREFIXES

DCT = PREFIXES["dcterms"]
SCHEMA = PREFIXES["schema"]
SKOS = PREFIXES["skos"]


@dataclass(frozen=True)
class Field:
    """One field of a 360Giving object and the property that holds it.

    ``kind`` says how its value is written: ``string``, ``number`` (``xsd:decimal``), ``date``
    (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime`` by its form),
    ``datetime``, ``uri`` (``xsd:anyURI``), ``strings`` (a list of text, one literal each),
    ``objects`` (a list of objects of type ``of``, one node each) or ``object`` (one object).
    """

    key: str
    predicate: str
    kind: str
    of: str = ""  # the type of the object(s), for the kinds objects and object


def _fields(*rows: tuple) -> tuple[Field, ...]:
    return tuple(Field(*row) for row in rows)


OBJECTS: dict[str, tuple[Field, ...]] = {
    "Grant": _fields(
        ("id", DCT + "identifier", "string"),
        ("title", DCT + "title", "string"),
        ("description", DCT + "description", "string"),
        ("currency", HLS + "currency", "string"),
        ("amountAppliedFor", HLS + "amountAppliedFor", "number"),
        ("amountAwarded", HLS + "amount", "number"),
        ("amountDisbursed", HLS + "amountDisbursed", "number"),
        ("awardDate", HLS + "awardDate", "date"),
        ("url", SCHEMA + "url", "uri"),
        ("plannedDates", HLS + "plannedDates", "objects", "Event"),
        ("actualDates", HLS + "actualDates", "objects", "Event"),
        ("toIndividualsDetails", HLS + "toIndividualsDetails", "object", "ToIndividualsDetails"),
        ("recipientOrganization", HLS + "recipientOrganization", "objects", "Organization"),
        ("beneficiaryLocation", HLS + "beneficiaryLocation", "objects", "Location"),
        ("fundingOrganization", HLS + "fundingOrganization", "objects", "Organization"),
        ("grantProgramme", HLS + "grantProgramme", "objects", "GrantProgramme"),
        ("fromOpenCall", HLS + "fromOpenCall", "string"),
        ("fundingType", HLS + "fundingType", "objects", "Classification"),
        ("classifications", HLS + "classification", "objects", "Classification"),
        ("relatedDocument", HLS + "relatedDocument", "objects", "Documents"),
        ("applicationTransaction", HLS + "applicationTransaction", "objects", "Transaction"),
        ("commitmentTransaction", HLS + "commitmentTransaction", "objects", "Transaction"),
        ("disbursementTransaction", HLS + "disbursementTransaction", "objects", "Transaction"),
        ("relatedActivity", HLS + "relatedActivity", "strings"),
        ("dateModified", DCT + "modified", "datetime"),
        ("dataSource", HLS + "dataSource", "uri"),
        ("regrantType", HLS + "regrantType", "string"),
        ("locationScope", HLS + "locationScope", "string"),
    ),
    "Event": _fields(
        ("title", DCT + "title", "string"),
        ("startDate", HLS + "periodStart", "date"),
        ("endDate", HLS + "periodEnd", "date"),
        ("duration", HLS + "periodMonths", "number"),
        ("description", DCT + "description", "string"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "ToIndividualsDetails": _fields(
        ("primaryGrantReason", HLS + "primaryGrantReason", "string"),
        ("secondaryGrantReason", HLS + "secondaryGrantReason", "string"),
        ("grantPurpose", HLS + "grantPurpose", "strings"),
    ),
    "Organization": _fields(
        ("id", DCT + "identifier", "string"),
        ("name", SCHEMA + "name", "string"),
        ("department", HLS + "department", "string"),
        ("contactName", HLS + "contactName", "string"),
        ("charityNumber", HLS + "charityNumber", "string"),
        ("companyNumber", HLS + "companyNumber", "string"),
        ("streetAddress", SCHEMA + "streetAddress", "string"),
        ("addressLocality", SCHEMA + "addressLocality", "string"),
        ("addressRegion", SCHEMA + "addressRegion", "string"),
        ("addressCountry", SCHEMA + "addressCountry", "string"),
        ("postalCode", SCHEMA + "postalCode", "string"),
        ("telephone", SCHEMA + "telephone", "string"),
        ("alternateName", SCHEMA + "alternateName", "string"),
        ("email", SCHEMA + "email", "string"),
        ("description", DCT + "description", "string"),
        ("organisationType", HLS + "organisationType", "string"),
        ("url", SCHEMA + "url", "uri"),
        ("location", HLS + "location", "objects", "Location"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "Location": _fields(
        ("id", DCT + "identifier", "string"),
        ("name", SCHEMA + "name", "string"),
        ("countryCode", HLS + "countryCode", "string"),
        ("latitude", SCHEMA + "latitude", "number"),
        ("longitude", SCHEMA + "longitude", "number"),
        ("description", DCT + "description", "string"),
        ("geoCode", HLS + "geoCode", "string"),
        ("geoCodeType", HLS + "geoCodeType", "string"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "Classification": _fields(
        ("vocabulary", HLS + "vocabulary", "string"),
        ("code", SKOS + "notation", "string"),
        ("title", DCT + "title", "string"),
        ("description", DCT + "description", "string"),
        ("url", SCHEMA + "url", "uri"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "GrantProgramme": _fields(
        ("code", SKOS + "notation", "string"),
        ("title", DCT + "title", "string"),
        ("description", DCT + "description", "string"),
        ("url", SCHEMA + "url", "uri"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "Documents": _fields(
        ("id", DCT + "identifier", "string"),
        ("title", DCT + "title", "string"),
        ("url", SCHEMA + "url", "uri"),
        ("description", DCT + "description", "string"),
        ("documentType", HLS + "documentType", "string"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
    "Transaction": _fields(
        ("id", DCT + "identifier", "string"),
        ("transactionDate", HLS + "transactionDate", "date"),
        ("currency", HLS + "transactionCurrency", "string"),
        ("value", HLS + "transactionValue", "number"),
        ("valueDate", HLS + "valueDate", "date"),
        ("description", DCT + "description", "string"),
        ("provider", HLS + "transactionProvider", "string"),
        ("recipient", HLS + "transactionRecipient", "string"),
        ("dateModified", DCT + "modified", "datetime"),
    ),
}
"""Each object type of the standard, with its fields in the schema's order."""

POSITION = SCHEMA + "position"
"""The position (from 0) of an object in the list it came from."""

NOT_KEPT = ("recipientIndividual",)
"""Standard fields that are never stored: a person's name and the funder's id for them."""


def grant_iri(identifier: str) -> str:
    """The IRI of the grant with a 360Giving identifier (the standard makes them unique across
    publishers, through each publisher's ``360G-`` prefix).

    >>> grant_iri("360G-ALWF-1978")
    'https://w3id.org/hls/id/grant-360G-ALWF-1978'
    """
    return f"{HLSD}grant-{quote(identifier.strip(), safe='-._~')}"


def org_iri(org_id: str) -> str:
    """The IRI hlsgraph gives an organisation known by its org-id (one resource whatever file
    names it; an organisation of the knowledge base with the same ``hls:orgId`` keeps its own).

    >>> org_iri("GB-CHC-1000147")
    'https://w3id.org/hls/id/orgid-GB-CHC-1000147'
    """
    return f"{HLSD}orgid-{quote(org_id.strip(), safe='-._~')}"


def scheme_iri(key: str) -> str:
    """The IRI of the concept scheme of a classification vocabulary, from a digest of its key."""
    import hashlib

    return f"{HLSD}classification-scheme-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


def concept_iri(scheme: str, key: str) -> str:
    """The IRI of one classification concept of a scheme."""
    import hashlib

    digest = hashlib.sha256(f"{scheme}\n{key}".encode()).hexdigest()[:16]
    return f"{HLSD}classification-{digest}"
