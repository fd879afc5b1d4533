"""Grants to individuals as hlsgraph keeps them: without the person, and with no location finer
than a local authority (docs/360giving.md, "Grants to individuals")."""

from __future__ import annotations

from ...vocabulary.gss import LOCAL_AUTHORITY_LEVEL, area_kind

_LOCATION_DETAIL = ("id", "name", "latitude", "longitude", "description", "geoCodeType")


def _local_authority(code: str, grant: dict) -> str | None:
    """The local authority a finer area lies in, where the file itself says so (GrantNav's
    ``additional_data.locationLookup`` entry for that very code); else ``None``."""
    lookups = (grant.get("additional_data") or {}).get("locationLookup") or ()
    for entry in lookups:
        if not isinstance(entry, dict) or entry.get("sourceCode") != code:
            continue
        for key in ("ladcd", "utlacd"):
            candidate = entry.get(key)
            kind = area_kind(candidate) if isinstance(candidate, str) else None
            if kind is not None and kind.level == LOCAL_AUTHORITY_LEVEL:
                return candidate
    return None


def for_individual(grant: dict) -> tuple[dict, int, int]:
    """A grant to an individual as hlsgraph keeps it: without ``recipientIndividual`` and with
    no location finer than a local authority; with how many locations were generalised and how
    many withheld.

    >>> kept, generalised, withheld = for_individual({"id": "g",
    ...     "recipientIndividual": {"id": "p", "name": "P"},
    ...     "beneficiaryLocation": [{"name": "Strathmore", "geoCode": "S13002739", "countryCode": "GB"},
    ...                             {"name": "Glasgow City", "geoCode": "S12000049"}]})
    >>> kept["beneficiaryLocation"], generalised, withheld
    ([{'countryCode': 'GB'}, {'name': 'Glasgow City', 'geoCode': 'S12000049'}], 0, 1)
    """
    kept = {k: v for k, v in grant.items() if k != "recipientIndividual"}
    generalised = withheld = 0
    locations = []
    for location in grant.get("beneficiaryLocation") or ():
        location = dict(location)
        code = location.get("geoCode")
        kind = area_kind(code) if isinstance(code, str) else None
        for key in ("latitude", "longitude"):
            location.pop(key, None)
        if kind is None or kind.level > LOCAL_AUTHORITY_LEVEL:
            authority = _local_authority(str(code), grant) if kind is not None else None
            if code is not None or location.get("name") is not None:
                if authority is not None:
                    generalised += 1
                else:
                    withheld += 1
            for key in (*_LOCATION_DETAIL, "geoCode"):
                location.pop(key, None)
            if authority is not None:
                location["geoCode"] = authority
        if location:
            locations.append(location)
    if "beneficiaryLocation" in grant:
        kept["beneficiaryLocation"] = locations
    return kept, generalised, withheld
