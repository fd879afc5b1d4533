"""Progress for long jobs (loading, importing, reasoning, publishing), shown by ``tqdm.auto``: a
widget in a notebook, a line of text on a terminal, nothing where no person reads the output.

Every long job takes ``progress=None | True | False``: ``None`` (the default) shows a bar only
when someone can see it (a notebook kernel or an interactive terminal) and only once the work has
run for :data:`DELAY` seconds, so quick jobs stay quiet; ``True`` always shows one; ``False``
never does.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

DELAY = 2.0
"""Seconds of work before an automatic bar appears."""


def shows(progress: bool | None) -> bool:
    """Whether a job asked for with ``progress`` shows a bar at all (see the module docstring)."""
    return progress is True or (progress is None and _someone_watches())


def _someone_watches() -> bool:
    """Whether output reaches a person: a Jupyter kernel or an interactive terminal."""
    shell = sys.modules.get("IPython")
    if shell is not None:
        ipython = shell.get_ipython()
        if ipython is not None and type(ipython).__name__ == "ZMQInteractiveShell":
            return True
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


class _Quiet:
    """Stands in for a bar nobody sees: the same methods, doing nothing."""

    n: float = 0
    total: float | None = None

    def update(self, n: float = 1) -> None:
        self.n += n

    def reset(self, total: float | None = None) -> None:
        self.n, self.total = 0, total

    def set_description_str(self, text: str, refresh: bool = True) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


@contextmanager
def bar(total: float | None, *, desc: str, unit: str = "it", progress: bool | None = None) -> Iterator[Any]:
    """A progress bar for one job, closed when the block ends.

    ``unit="B"`` counts bytes (shown as kB, MB). The bar has tqdm's ``update(n)``,
    ``reset(total)`` (for a job of several passes over the same items), ``set_description_str``
    and ``set_postfix_str``.

    >>> with bar(3, desc="Counting", progress=False) as b:
    ...     b.update(3)
    >>> b.n
    3
    """
    if not shows(progress):
        quiet = _Quiet()
        yield quiet
        return
    from tqdm.auto import tqdm

    scale = unit == "B"
    shown = tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=scale,
        unit_divisor=1024 if scale else 1000,
        delay=0 if progress else DELAY,
        leave=bool(progress),
        dynamic_ncols=True,
    )
    try:
        yield shown
    finally:
        shown.close()


class _Reader(io.RawIOBase):
    """A binary file whose reads move a bar."""

    def __init__(self, raw: io.BufferedIOBase, shown: Any):
        self.raw, self.shown = raw, shown

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        if count:
            self.shown.update(count)
        return count or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


@contextmanager
def reading(path: str | os.PathLike, *, desc: str, progress: bool | None = None) -> Iterator[IO[bytes]]:
    """Open ``path`` for binary reading; the bytes read move a bar (for a parser that reads a
    stream, such as ``pyoxigraph.Store.load(input=...)``).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     _ = f.write(b"<a> <b> <c> .")
    ...     f.flush()
    ...     with reading(f.name, desc="Reading", progress=False) as stream:
    ...         stream.read()
    b'<a> <b> <c> .'
    """
    size = os.path.getsize(path)
    with bar(size, desc=desc, unit="B", progress=progress) as shown, open(path, "rb") as raw:
        yield io.BufferedReader(_Reader(raw, shown), buffer_size=1 << 20)
