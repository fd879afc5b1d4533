"""Places by their codes: the kind of area an ONS GSS code names, read from its entity prefix.

A GSS code is nine characters: a three-character entity code (``E06`` unitary authority,
``E12`` region, ``S12`` council area, ...) and a six-digit instance. The entity alone says what
kind of area it is, so a place's administrative kind comes from its code and nothing else; a
settlement (city, town) is a separate statement. Each kind is a SKOS concept of the scheme
``hlsc:place-kinds`` (``ontology/concepts.ttl``), and has a *level*: how fine the area is, from
the United Kingdom (0) down to output areas (8). Data about individuals is never placed finer
than :data:`LOCAL_AUTHORITY_LEVEL`.

Source: ONS, Register of Geographic Codes (entity codes), and 360Giving's geoCodeType codelist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidValueError
from ..namespaces import HLSC, HLSD


@dataclass(frozen=True)
class AreaKind:
    """The kind of area one GSS entity names."""

    entity: str  # the three-character entity code, e.g. "E06"
    concept: str  # the local name of its concept in hlsc:, e.g. "unitary-authority"
    label: str  # what the entity is called, e.g. "unitary authority"
    level: int  # 0 United Kingdom ... 4 local authority ... 8 output area

    @property
    def iri(self) -> str:
        """The kind's concept IRI."""
        return HLSC + self.concept


LOCAL_AUTHORITY_LEVEL = 4
"""The finest level at which data about individuals may be placed (a local authority)."""

_KINDS = (
    AreaKind("K02", "united-kingdom", "United Kingdom", 0),
    AreaKind("K03", "great-britain", "Great Britain", 0),
    AreaKind("K04", "england-and-wales", "England and Wales", 0),
    AreaKind("E92", "country", "country", 1),
    AreaKind("W92", "country", "country", 1),
    AreaKind("S92", "country", "country", 1),
    AreaKind("N92", "country", "country", 1),
    AreaKind("E12", "region", "region", 2),
    AreaKind("E15", "region", "region", 2),  # the former European electoral regions, same areas
    AreaKind("E10", "county", "county", 3),
    AreaKind("E11", "metropolitan-county", "metropolitan county", 3),
    AreaKind("E47", "combined-authority", "combined authority", 3),
    AreaKind("E06", "unitary-authority", "unitary authority", 4),
    AreaKind("E07", "non-metropolitan-district", "non-metropolitan district", 4),
    AreaKind("E08", "metropolitan-district", "metropolitan district", 4),
    AreaKind("E09", "london-borough", "London borough", 4),
    AreaKind("W06", "welsh-principal-area", "principal area (Wales)", 4),
    AreaKind("S12", "council-area", "council area (Scotland)", 4),
    AreaKind("N09", "local-government-district", "local government district (Northern Ireland)", 4),
    AreaKind("E05", "ward", "electoral ward or division", 5),
    AreaKind("W05", "ward", "electoral ward or division", 5),
    AreaKind("S13", "ward", "multi-member ward", 5),
    AreaKind("N08", "ward", "electoral ward", 5),
    AreaKind("E04", "parish", "civil parish", 5),
    AreaKind("W04", "parish", "community", 5),
    AreaKind("E02", "msoa", "middle layer super output area", 6),
    AreaKind("W02", "msoa", "middle layer super output area", 6),
    AreaKind("S02", "intermediate-zone", "intermediate zone (Scotland)", 6),
    AreaKind("E01", "lsoa", "lower layer super output area", 7),
    AreaKind("W01", "lsoa", "lower layer super output area", 7),
    AreaKind("S01", "data-zone", "data zone (Scotland)", 7),
    AreaKind("E00", "output-area", "output area", 8),
    AreaKind("W00", "output-area", "output area", 8),
    AreaKind("S00", "output-area", "output area", 8),
)

AREA_KINDS: dict[str, AreaKind] = {kind.entity: kind for kind in _KINDS}
"""Every GSS entity hlsgraph knows, by its three-character code."""

_CODE = re.compile(r"[EKNSW]\d{8}\Z")


def is_gss_code(code: str) -> bool:
    """Whether ``code`` has the form of a GSS code (a nation letter and eight digits).

    >>> is_gss_code("E08000037"), is_gss_code("GB-CHC-1234"), is_gss_code("e08000037")
    (True, False, False)
    """
    return bool(_CODE.match(code))


def area_kind(code: str) -> AreaKind | None:
    """The kind of area a GSS code names, from its entity prefix; ``None`` when the code is not
    a GSS code or its entity is one hlsgraph does not know.

    >>> area_kind("E08000037").concept
    'metropolitan-district'
    >>> area_kind("S12000049").label
    'council area (Scotland)'
    >>> area_kind("GB") is None
    True
    """
    code = code.strip()
    if not is_gss_code(code):
        return None
    return AREA_KINDS.get(code[:3])


def place_iri(code: str) -> str:
    """The IRI hlsgraph gives a place it knows only by its GSS code (a place of the bundled base
    with the same ``hls:gssCode`` keeps its own IRI; importers join to it).

    >>> place_iri("E08000037")
    'https://w3id.org/hls/id/place-gss-E08000037'
    """
    if not is_gss_code(code.strip()):
        raise InvalidValueError(
            f"not a GSS code: {code!r}; expected a nation letter and eight digits, e.g. E08000037"
        )
    return f"{HLSD}place-gss-{code.strip()}"
