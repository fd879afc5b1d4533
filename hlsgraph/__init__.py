"""hlsgraph: a Jupyter-first knowledge graph and inquiry notebook library for Human Learning
Systems. ``hlsgraph.open()`` gives a knowledge base of the HLS ontology and the bundled evidence
base; its inquiries answer as pandas DataFrames.

Importing this package creates nothing, patches no other library and attaches no logging
handler: the heavier modules load on first use.
"""

import importlib

from ._version import __version__

# Public name -> module that defines it; loaded on first attribute access so that
# `import hlsgraph` stays cheap and free of side effects.
_EXPORTS = {
    "open": "hlsgraph.kb",
    "KnowledgeBase": "hlsgraph.kb",
    "ImportReport": "hlsgraph.importing",
    "ValidationReport": "hlsgraph.validation",
    "PublishReport": "hlsgraph.publishing",
    "HLSGraphError": "hlsgraph.errors",
    "QuerySyntaxError": "hlsgraph.errors",
    "RDFSyntaxError": "hlsgraph.errors",
    "UnknownInquiryError": "hlsgraph.errors",
    "InquiryFormatError": "hlsgraph.errors",
    "InquiryParameterError": "hlsgraph.errors",
    "UnknownParameterError": "hlsgraph.errors",
    "UnknownLabelError": "hlsgraph.errors",
    "AmbiguousLabelError": "hlsgraph.errors",
    "StoreLockedError": "hlsgraph.errors",
    "QueryTimeoutError": "hlsgraph.errors",
    "EndpointError": "hlsgraph.errors",
    "InterruptedWriteWarning": "hlsgraph.errors",
    "ValidationError": "hlsgraph.errors",
    "ImportProblemsError": "hlsgraph.errors",
}

__all__ = ["__version__", "load_ipython_extension", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hlsgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)


def load_ipython_extension(ipython):
    """``%load_ext hlsgraph``: registers the ``%%sparql`` and ``%inquire`` magics."""
    from .notebook.magics import load_ipython_extension as load

    load(ipython)
