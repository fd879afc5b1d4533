"""Where each published resource lives on the site: a path derived from its IRI, so that the
IRI dereferences once a redirect (w3id.org) or the site's own address points at the site.

``https://w3id.org/hls/id/story-jacob`` lives at ``id/story-jacob`` (``.html``, ``.ttl``,
``.jsonld``, ``.nt``); an IRI under the site's own base keeps the rest of its path; any other IRI,
or one whose path would not be a safe file name, lives at ``r/<digest>``.
"""

from __future__ import annotations

import hashlib
import re

HLS_ROOT = "https://w3id.org/hls/"
"""The root of hlsgraph's IRIs; the path of an IRI under it is the part after it."""

DOCUMENT_FORMATS: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
"""The documents each resource has, by extension, with their media types."""

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*(/[A-Za-z0-9][A-Za-z0-9._~-]*)*\Z")
_RESERVED = {"index", "dataset", "sitemap", "sparql", "style", "dumps", "browse", "aggregates"}


def resource_path(iri: str, base: str) -> str:
    """The path (no extension, no leading slash) of the documents about ``iri``.

    >>> resource_path("https://w3id.org/hls/id/story-jacob", "https://data.example.org/")
    'id/story-jacob'
    >>> resource_path("https://data.example.org/grant/42", "https://data.example.org/")
    'grant/42'
    >>> resource_path("urn:x:a b", "https://data.example.org/")[:2]
    'r/'
    """
    for root in (base, HLS_ROOT):
        if iri.startswith(root):
            rest = iri[len(root) :]
            head = rest.split("/", 1)[0]
            if (
                _SAFE.match(rest)
                and head not in _RESERVED
                and not rest.endswith(tuple("." + ext for ext in DOCUMENT_FORMATS))
            ):
                return rest
    return "r/" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:20]


def relative(target: str, page: str) -> str:
    """A link from the page at ``page`` to ``target`` (both site paths), so the site works at any
    address, a preview on 127.0.0.1 included.

    >>> relative("concept/trust.html", "id/story-jacob.html")
    '../concept/trust.html'
    >>> relative("index.html", "index.html")
    'index.html'
    >>> relative("id/a.html", "id/b.html"), relative("index.html#data", "aggregates/places.html")
    ('a.html', '../index.html#data')
    """
    # By components, not posixpath.relpath (which asks the file system for the working folder
    # on every call: most of the time of a page full of links).
    to, folder = target.split("/"), page.split("/")[:-1]
    common = 0
    while common < len(folder) and common < len(to) - 1 and folder[common] == to[common]:
        common += 1
    return "/".join([".."] * (len(folder) - common) + to[common:])


__all__ = ["DOCUMENT_FORMATS", "HLS_ROOT", "relative", "resource_path"]
