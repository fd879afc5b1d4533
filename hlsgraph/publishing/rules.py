"""The files a web host needs beside the pages: ``sitemap.xml``, and ready rules for content
negotiation (a resource's IRI answers ``303 See Other`` to its HTML, Turtle, JSON-LD or
N-Triples document by the ``Accept`` header, with ``Vary: Accept``) for Apache (``.htaccess``),
nginx (``nginx-hlsgraph.conf``) and a w3id.org permanent-identifier redirect
(``w3id-redirect.htaccess``).
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape

NEGOTIATED = (
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
)
"""The RDF media types a resource's IRI negotiates to, with the document's extension."""

# The same media types as regular expressions (for the servers' rules).
_PATTERNS = tuple((media.replace("+", "\\+"), ext) for media, ext in NEGOTIATED)


def sitemap(base: str, paths: list[str]) -> str:
    """``sitemap.xml`` listing the pages at ``paths`` (site paths) under ``base``.

    >>> "<loc>https://d.example/id/a.html</loc>" in sitemap("https://d.example/", ["id/a.html"])
    True
    """
    entries = "".join(f"  <url><loc>{escape(base + p)}</loc></url>\n" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def _apache(root: str) -> str:
    rules = "".join(
        f"RewriteCond %{{HTTP_ACCEPT}} {media}\n"
        f"RewriteCond %{{REQUEST_FILENAME}}.{ext} -f\n"
        f"RewriteRule ^(.+)$ %{{REQUEST_URI}}.{ext} [R=303,L]\n"
        for media, ext in _PATTERNS
    )
    dataset = "".join(
        f"RewriteCond %{{HTTP_ACCEPT}} {media}\nRewriteRule ^dataset$ {root}dataset.{ext} [R=303,L]\n"
        for media, ext in _PATTERNS
    )
    return f"""# Content negotiation for a site published by hlsgraph (Apache 2.4 with mod_rewrite and
# mod_headers; most shared hosts have both). A resource's IRI, e.g. {root}id/story-a, answers
# 303 See Other to id/story-a.ttl, .jsonld or .nt when the Accept header asks for Turtle,
# JSON-LD or N-Triples, and to id/story-a.html otherwise. Every answer carries Vary: Accept.
# (These rules match media types by name and do not weigh q-values; `hlsgraph serve` does.)

AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/n-triples .gz
AddCharset utf-8 .html .ttl .nt .jsonld
Options -MultiViews -Indexes
DirectoryIndex index.html

<IfModule mod_headers.c>
  Header merge Vary Accept
</IfModule>

RewriteEngine On

# The dataset's description document.
{dataset}RewriteRule ^dataset$ {root} [R=303,L]

# Any published resource.
{rules}RewriteCond %{{REQUEST_FILENAME}} !-f
RewriteCond %{{REQUEST_FILENAME}}.html -f
RewriteRule ^(.+)$ %{{REQUEST_URI}}.html [R=303,L]
"""


def _nginx(root: str) -> str:
    mapping = "".join(f"    ~{media}    {ext};\n" for media, ext in _PATTERNS)
    return f"""# Content negotiation for a site published by hlsgraph, for nginx.
# 1. Put the map in the http {{ }} block (nginx.conf); it picks a document by the Accept header.
map $http_accept $hlsgraph_document {{
    default    html;
{mapping}}}

# 2. In the server {{ }} block of the site, with `root` set to the published folder:
types {{
    text/html                html;
    text/css                 css;
    text/turtle              ttl;
    application/ld+json      jsonld;
    application/n-triples    nt;
    application/xml          xml;
}}

location = {root}dataset {{
    add_header Vary Accept always;
    if ($hlsgraph_document = html) {{ return 303 {root}; }}
    return 303 {root}dataset.$hlsgraph_document;
}}

location {root} {{
    add_header Vary Accept always;
    # A resource's IRI (no extension) answers 303 to the document the client asked for.
    if (-f $request_filename.$hlsgraph_document) {{ return 303 $uri.$hlsgraph_document; }}
    try_files $uri $uri/ =404;
}}
"""


def _w3id(base: str) -> str:
    return f"""# A w3id.org redirect, so the permanent IRIs https://w3id.org/hls/id/... and
# https://w3id.org/hls/concept/... resolve to this site. It goes in the .htaccess of the
# namespace's folder in the w3id.org repository (a pull request to its maintainers); the 303
# keeps the client's Accept header, and this site's own rules then pick the document.
Options +FollowSymLinks
RewriteEngine on
Header set Vary Accept
RewriteRule ^id/(.+)$ {base}id/$1 [R=303,L]
RewriteRule ^concept/(.+)$ {base}concept/$1 [R=303,L]
"""


def server_rules(base: str) -> dict[str, str]:
    """The rules files by name, for a site published at ``base``.

    >>> sorted(server_rules("https://d.example/data/"))
    ['.htaccess', 'nginx-hlsgraph.conf', 'w3id-redirect.htaccess']
    >>> "RewriteRule ^dataset$ /data/ [R=303,L]" in server_rules("https://d.example/data/")[".htaccess"]
    True
    """
    root = urlsplit(base).path or "/"
    root = root if root.endswith("/") else root + "/"
    return {
        ".htaccess": _apache(root),
        "nginx-hlsgraph.conf": _nginx(root),
        "w3id-redirect.htaccess": _w3id(base),
    }


__all__ = ["NEGOTIATED", "server_rules", "sitemap"]
