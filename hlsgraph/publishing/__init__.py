"""Publishing: what leaves the knowledge base, and only what is marked for release. ``export``
writes one RDF file through the allowlist and its closed re-check; ``publish`` writes a static
linked-open-data site (pages, dumps, DCAT / VoID, aggregates, server rules) from the same
allowlist; ``serve`` previews that site with content negotiation and a read-only SPARQL
endpoint built only from its dumps."""

from .report import PublishReport
from .site import publish

__all__ = ["PublishReport", "publish"]
