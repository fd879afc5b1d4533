"""The store layer: one small interface (:class:`Backend`) with three back-ends (pyoxigraph in
memory, pyoxigraph on disk, a remote SPARQL 1.1 endpoint), the one module of RDF terms, prefixed
names and format names (:mod:`.terms`), and SPARQL results as DataFrames (:mod:`.frames`).

Nothing here knows about the HLS model; every layer above reaches the engine through this one.
"""

from .base import Backend, open_backend

__all__ = ["Backend", "open_backend"]
