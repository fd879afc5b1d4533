"""Namespaces and prefixes hlsgraph speaks: its own ontology, concepts and data, and the W3C
vocabularies it aligns to (DataFrames compact IRIs with :data:`PREFIXES`), and the access levels
every item carries."""

HLS = "https://w3id.org/hls/"
"""Classes and properties of the HLS ontology."""
HLSC = "https://w3id.org/hls/concept/"
"""SKOS concept schemes and their members (frameworks named in the sources)."""
HLSD = "https://w3id.org/hls/id/"
"""Individuals of the bundled evidence base and of users' imports."""
HLSG = "https://w3id.org/hls/graph/"
"""Named graphs: one per loaded source, so each can be replaced or removed as a unit."""

ONTOLOGY_IRI = "https://w3id.org/hls/ontology"

ACCESS_LEVELS: dict[str, str] = {
    "public": HLS + "public",
    "internal": HLS + "internal",
    "restricted": HLS + "restricted",
}
"""The access levels of the model (the individuals of ``hls:AccessLevel``), least to most
guarded, by the name people write: what export lets out and what every imported row must say."""

PREFIXES: dict[str, str] = {
    "hls": HLS,
    "hlsc": HLSC,
    "hlsd": HLSD,
    "hlsg": HLSG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "qb": "http://purl.org/linked-data/cube#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "sh": "http://www.w3.org/ns/shacl#",
    # The Common Impact Data Standard 3.x (the 2.x namespace, ontology.eil.utoronto.ca, is outdated).
    "cids": "https://ontology.commonapproach.org/cids#",
}


def sparql_prologue(prefixes: dict[str, str] = PREFIXES) -> str:
    """The PREFIX lines for ``prefixes``, to put in front of a query.

    >>> sparql_prologue({"hls": HLS})
    'PREFIX hls: <https://w3id.org/hls/>\\n'
    """
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items())
