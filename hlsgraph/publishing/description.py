"""The dataset description of a publication, in DCAT 3 and VoID: a ``dcat:Catalog`` holding one
``dcat:Dataset`` (also a ``void:Dataset``) with a ``dcat:Distribution`` per dump, each with its
download URL, media type, size in bytes and SHA-256 checksum (SPDX); licence, publisher, dates,
the number of triples and entities, a class partition per kind, example resources and, when the
dataset is queryable, its SPARQL endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .release import DCT, RDF_TYPE, RDFS, XSD

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
FOAF = "http://xmlns.com/foaf/0.1/"
IANA = "https://www.iana.org/assignments/media-types/"

DESCRIPTION_PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCT,
    "void": VOID,
    "spdx": SPDX,
    "foaf": FOAF,
    "xsd": XSD,
    "rdfs": RDFS,
    "hls": "https://w3id.org/hls/",
}


@dataclass(frozen=True)
class Dump:
    """One whole-dataset file as published."""

    path: str  # site path, e.g. "dumps/dataset.ttl"
    title: str
    media_type: str
    bytes: int
    sha256: str
    compress: str | None = None  # media type of the compression, e.g. "application/gzip"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int, datatype: str = "integer") -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + datatype))


def catalog_iri(base: str) -> str:
    """The catalogue's IRI, in the description document ``dataset`` of the site.

    >>> catalog_iri("https://data.example.org/")
    'https://data.example.org/dataset#catalog'
    """
    return base + "dataset#catalog"


def dataset_iri(base: str) -> str:
    """The dataset's IRI.

    >>> dataset_iri("https://data.example.org/")
    'https://data.example.org/dataset#dataset'
    """
    return base + "dataset#dataset"


def describe(
    *,
    base: str,
    title: str,
    publisher: str,
    license: str,
    description: str | None,
    issued: str,
    modified: str,
    dumps: list[Dump],
    triples: int,
    entities: int,
    classes: dict,
    examples: list[ox.NamedNode],
    endpoint: str | None = None,
) -> list[ox.Triple]:
    """The DCAT / VoID description as triples.

    ``classes`` maps each class to the number of published resources of it.

    Examples
    --------
    >>> dump = Dump("dumps/dataset.ttl", "Turtle", "text/turtle", 10, "ab" * 32)
    >>> triples = describe(base="https://d.example/", title="T", publisher="P",
    ...     license="https://creativecommons.org/licenses/by/4.0/", description=None,
    ...     issued="2030-01-01", modified="2030-01-02", dumps=[dump], triples=3, entities=1,
    ...     classes={}, examples=[])
    >>> any(t.predicate.value.endswith("#downloadURL") for t in triples)
    True
    """
    catalog, dataset = _n(catalog_iri(base)), _n(dataset_iri(base))
    agent = _n(base + "dataset#publisher")
    date = _n(XSD + "date")
    out = [
        ox.Triple(catalog, RDF_TYPE, _n(DCAT + "Catalog")),
        ox.Triple(catalog, _n(DCT + "title"), ox.Literal(title, language="en")),
        ox.Triple(catalog, _n(DCT + "publisher"), agent),
        ox.Triple(catalog, _n(DCT + "license"), _n(license)),
        ox.Triple(catalog, _n(DCAT + "dataset"), dataset),
        ox.Triple(catalog, _n(FOAF + "homepage"), _n(base)),
        ox.Triple(agent, RDF_TYPE, _n(FOAF + "Agent")),
        ox.Triple(agent, _n(FOAF + "name"), ox.Literal(publisher)),
        ox.Triple(dataset, RDF_TYPE, _n(DCAT + "Dataset")),
        ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(DCT + "title"), ox.Literal(title, language="en")),
        ox.Triple(dataset, _n(DCT + "publisher"), agent),
        ox.Triple(dataset, _n(DCT + "license"), _n(license)),
        ox.Triple(dataset, _n(DCT + "issued"), ox.Literal(issued, datatype=date)),
        ox.Triple(dataset, _n(DCT + "modified"), ox.Literal(modified, datatype=date)),
        ox.Triple(dataset, _n(DCAT + "landingPage"), _n(base)),
        ox.Triple(dataset, _n(VOID + "triples"), _int(triples)),
        ox.Triple(dataset, _n(VOID + "entities"), _int(entities)),
        ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal("https://w3id.org/hls/id/")),
        ox.Triple(dataset, _n(VOID + "vocabulary"), _n("https://w3id.org/hls/")),
        ox.Triple(dataset, _n(VOID + "rootResource"), _n(base)),
    ]
    if description:
        out.append(ox.Triple(dataset, _n(DCT + "description"), ox.Literal(description, language="en")))
    # Blank nodes with fixed labels, so the same publication is the same bytes.
    for number, dump in enumerate(dumps):
        dist = _n(base + "dataset#" + dump.path.replace("/", "-"))
        url = _n(base + dump.path)
        checksum = ox.BlankNode(f"checksum{number}")
        out += [
            ox.Triple(dataset, _n(DCAT + "distribution"), dist),
            ox.Triple(dataset, _n(VOID + "dataDump"), url),
            ox.Triple(dist, RDF_TYPE, _n(DCAT + "Distribution")),
            ox.Triple(dist, _n(DCT + "title"), ox.Literal(dump.title, language="en")),
            ox.Triple(dist, _n(DCAT + "downloadURL"), url),
            ox.Triple(dist, _n(DCAT + "accessURL"), url),
            ox.Triple(dist, _n(DCAT + "mediaType"), _n(IANA + dump.media_type)),
            ox.Triple(dist, _n(DCAT + "byteSize"), _int(dump.bytes, "nonNegativeInteger")),
            ox.Triple(dist, _n(DCT + "license"), _n(license)),
            ox.Triple(dist, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, RDF_TYPE, _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(
                checksum, _n(SPDX + "checksumValue"), ox.Literal(dump.sha256, datatype=_n(XSD + "hexBinary"))
            ),
        ]
        if dump.compress:
            out.append(ox.Triple(dist, _n(DCAT + "compressFormat"), _n(IANA + dump.compress)))
    for number, (cls, count) in enumerate(sorted(classes.items(), key=lambda kv: kv[0].value)):
        partition = ox.BlankNode(f"partition{number}")
        out += [
            ox.Triple(dataset, _n(VOID + "classPartition"), partition),
            ox.Triple(partition, _n(VOID + "class"), cls),
            ox.Triple(partition, _n(VOID + "entities"), _int(count)),
        ]
    for example in examples:
        out.append(ox.Triple(dataset, _n(VOID + "exampleResource"), example))
    if endpoint:
        service = _n(endpoint)
        out += [
            ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), service),
            ox.Triple(dataset, _n(DCAT + "distribution"), _n(base + "dataset#sparql")),
            ox.Triple(_n(base + "dataset#sparql"), RDF_TYPE, _n(DCAT + "Distribution")),
            ox.Triple(_n(base + "dataset#sparql"), _n(DCAT + "accessService"), _n(base + "dataset#service")),
            ox.Triple(_n(base + "dataset#sparql"), _n(DCAT + "accessURL"), service),
            ox.Triple(_n(base + "dataset#service"), RDF_TYPE, _n(DCAT + "DataService")),
            ox.Triple(_n(base + "dataset#service"), _n(DCAT + "endpointURL"), service),
            ox.Triple(_n(base + "dataset#service"), _n(DCAT + "servesDataset"), dataset),
            ox.Triple(
                _n(base + "dataset#service"),
                _n(DCT + "conformsTo"),
                _n("https://www.w3.org/TR/sparql11-protocol/"),
            ),
        ]
    return out


def endpoint_triples(base: str, endpoint: str) -> list[ox.Triple]:
    """What a served copy adds to the description: its own SPARQL endpoint."""
    return [ox.Triple(_n(dataset_iri(base)), _n(VOID + "sparqlEndpoint"), _n(endpoint))]


__all__ = ["DESCRIPTION_PREFIXES", "Dump", "catalog_iri", "dataset_iri", "describe", "endpoint_triples"]
