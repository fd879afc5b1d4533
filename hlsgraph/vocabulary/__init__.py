"""The vocabulary layer: the ontology and shapes as rdflib graphs (``ontology``), its quality and
consistency checks (``checks``, HermiT through owlready2) and its HTML reference
(``reference``)."""

from .ontology import SHAPES_FILE, ontology_graph, shapes_graph

__all__ = ["SHAPES_FILE", "ontology_graph", "shapes_graph"]
