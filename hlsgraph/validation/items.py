"""What the fast shape checks read and give: a batch of new items built column by column
(:class:`ItemSet`, its literals as :class:`Lit`) and the results (:class:`Violation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Lit(NamedTuple):
    """A literal term: lexical form, datatype IRI and (for ``rdf:langString``) language."""

    lex: str
    datatype: str
    lang: str | None = None


Term = str | Lit
"""An IRI (a plain ``str``) or a :class:`Lit`."""


@dataclass
class ItemSet:
    """Items built from a batch, column by column.

    ``props[predicate][i]`` is the value(s) of item ``i``: ``None``, one term, or a tuple of
    terms. ``rows[i]`` says which rows of the source the item came from.
    """

    subjects: list[str]
    rows: list[tuple[int, ...]]
    props: dict[str, list[Any]] = field(default_factory=dict)

    def values(self, index: int, predicate: str) -> tuple[Term, ...]:
        column = self.props.get(predicate)
        if column is None:
            return ()
        value = column[index]
        if value is None:
            return ()
        if isinstance(value, tuple) and not isinstance(value, Lit):
            return value
        return (value,)

    def predicates(self, index: int) -> set[str]:
        return {p for p, column in self.props.items() if column[index] not in (None, ())}


class Violation(NamedTuple):
    """One result: which item (set and index within it), the property path (``None`` for the
    node itself), the offending value (or ``None``), the message and the shape."""

    set_index: int
    item_index: int
    focus: str
    path: str | None
    value: Term | None
    message: str
    shape: str
