"""Publishing: what leaves the knowledge base, and only what is marked for release. ``export``
writes one RDF file through the allowlist and its closed re-check."""
