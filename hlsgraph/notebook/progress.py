"""Progress bars for slow work (loading a large file, building an on-disk store): an ipywidgets
bar in a notebook, a line of text on a terminal, nothing when output goes nowhere a person reads.

:class:`Progress` is the bar; its :meth:`Progress.callback` is a plain ``callback(done, total)``
that the engine, or any loop, can call. :func:`read_with_progress` wraps a binary file so reading
it moves the bar, and :func:`load_with_progress` loads a file into a knowledge base that way.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO

MODES = ("auto", "widget", "text", "none")


def in_notebook() -> bool:
    """Whether code runs in a Jupyter kernel (where a widget can be shown).

    >>> in_notebook()
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is a dependency of ipywidgets, but be plain about it
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _size(n: float, unit: str) -> str:
    if unit != "bytes":
        return f"{int(n):,} {unit}"
    for suffix in ("B", "kB", "MB", "GB"):
        if n < 1000 or suffix == "GB":
            return f"{n:.0f} {suffix}" if suffix == "B" else f"{n:.1f} {suffix}"
        n /= 1000
    return f"{n:.1f} GB"


class Progress:
    """A progress bar for one piece of work of known size.

    Parameters
    ----------
    total : int
        How much work there is (bytes, rows, triples...).
    description : str
        What is being done, shown beside the bar ("Loading stories.ttl").
    unit : str, default ``"bytes"``
        What ``total`` counts; bytes are shown as kB / MB.
    mode : {"auto", "widget", "text", "none"}
        ``auto`` shows a widget in a notebook, text on an interactive terminal, and nothing
        otherwise.
    stream : file, optional
        Where text mode writes (standard error by default).
    delay : float, default 2.0
        Seconds of work before anything is shown, so quick jobs stay quiet.

    Examples
    --------
    >>> out = io.StringIO()
    >>> with Progress(200, "Counting", unit="rows", mode="text", stream=out, delay=0) as bar:
    ...     _ = bar.update(100)
    ...     _ = bar.update(200)
    >>> out.getvalue().splitlines()[-1]
    'Counting: 100% (200 rows of 200 rows) done'
    """

    def __init__(
        self,
        total: int,
        description: str = "",
        *,
        unit: str = "bytes",
        mode: str = "auto",
        stream: IO[str] | None = None,
        delay: float = 2.0,
    ):
        if mode not in MODES:
            raise ValueError(f"unknown progress mode {mode!r}; expected one of {', '.join(MODES)}")
        if total < 0:
            raise ValueError(f"progress total must be 0 or more, not {total}")
        self.total = int(total)
        self.description = description
        self.unit = unit
        self.delay = delay
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        if mode == "auto":
            if in_notebook():
                mode = "widget"
            elif getattr(self.stream, "isatty", lambda: False)():
                mode = "text"
            else:
                mode = "none"
        self.mode = mode
        self._started = time.monotonic()
        self._shown = False
        self._last_text = 0.0
        self.bar = None  # the ipywidgets.IntProgress, once shown
        self.label = None  # the ipywidgets.HTML beside it
        self.box = None

    # -- what is shown -----------------------------------------------------------------------
    @property
    def fraction(self) -> float:
        """How much is done, from 0 to 1 (1 for empty work)."""
        return 1.0 if self.total == 0 else min(self.done / self.total, 1.0)

    def text(self) -> str:
        """The progress in words.

        >>> Progress(2_000_000, "Loading big.ttl", mode="none").update(500_000).text()
        'Loading big.ttl: 25% (500.0 kB of 2.0 MB)'
        """
        return (
            f"{self.description}: {self.fraction:.0%} "
            f"({_size(self.done, self.unit)} of {_size(self.total, self.unit)})"
        )

    def _show(self) -> None:
        self._shown = True
        if self.mode == "widget":
            import ipywidgets as widgets
            from IPython.display import display

            # Fractions of a large total overflow nothing: the bar counts in thousandths.
            self.bar = widgets.IntProgress(
                value=0, min=0, max=1000, description="", layout=widgets.Layout(width="40%")
            )
            self.label = widgets.HTML(value="")
            self.box = widgets.HBox([self.bar, self.label])
            display(self.box)

    def _render(self, final: bool = False) -> None:
        if self.mode == "none":
            return
        if not self._shown:
            if not final and time.monotonic() - self._started < self.delay:
                return
            self._show()
        if self.mode == "widget":
            self.bar.value = int(self.fraction * 1000)
            self.label.value = self.text() + (" done" if final else "")
            if final:
                self.bar.bar_style = "success"
        else:
            now = time.monotonic()
            # A line at most every half second keeps logs short.
            if final or now - self._last_text >= 0.5:
                self._last_text = now
                self.stream.write(self.text() + (" done" if final else "") + "\n")
                self.stream.flush()

    # -- what the work calls -----------------------------------------------------------------
    def note(self, text: str) -> None:
        """Show a message in place of the numbers (for a step with no progress of its own)."""
        if self.mode == "none":
            return
        if not self._shown:
            if time.monotonic() - self._started < self.delay:
                return
            self._show()
        if self.mode == "widget":
            self.label.value = text
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def update(self, done: int) -> Progress:
        """Record that ``done`` units of the total are finished (not an increment)."""
        self.done = max(0, int(done))
        self._render()
        return self

    def advance(self, amount: int) -> Progress:
        """Record ``amount`` more units finished."""
        return self.update(self.done + amount)

    def callback(self, done: int, total: int | None = None) -> None:
        """A ``callback(done, total)`` for code that reports its own progress."""
        if total is not None and total != self.total:
            self.total = int(total)
        self.update(done)

    def finish(self, failed: bool = False) -> None:
        """Show the end state (full bar, or a failed one)."""
        if failed:
            if self._shown and self.mode == "widget":
                self.bar.bar_style = "danger"
                self.label.value = self.text() + " failed"
            elif self._shown and self.mode == "text":
                self.stream.write(self.text() + " failed\n")
            return
        self.done = self.total
        # Only work that was shown (took longer than the delay) needs an end state.
        if self._shown or self.delay == 0:
            self._render(final=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.finish(failed=exc_type is not None)


class _ProgressReader(io.RawIOBase):
    """A binary file whose reads move a progress bar."""

    def __init__(self, raw: IO[bytes], progress: Progress):
        self._raw = raw
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._progress.advance(n)
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def read_with_progress(path: str | os.PathLike, progress: Progress) -> IO[bytes]:
    """Open ``path`` for binary reading so that each read advances ``progress`` by its size.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".ttl", delete=False) as f:
    ...     _ = f.write(b"x" * 5000)
    >>> bar = Progress(5000, "Reading", mode="none")
    >>> with read_with_progress(f.name, bar) as stream:
    ...     len(stream.read())
    5000
    >>> bar.done
    5000
    """
    return io.BufferedReader(_ProgressReader(open(path, "rb"), progress), buffer_size=1 << 20)


@contextmanager
def working(description: str, *, mode: str = "auto", delay: float = 2.0, stream: IO[str] | None = None):
    """Show that a step with no progress of its own is running (opening or building an on-disk
    store, for instance), counting the seconds.

    >>> out = io.StringIO()
    >>> with working("Building the store", mode="text", stream=out, delay=0):
    ...     pass
    >>> out.getvalue().splitlines()[-1]
    'Building the store: done'
    """
    progress = Progress(1, description, unit="steps", mode=mode, delay=delay, stream=stream)
    done = threading.Event()
    started = time.monotonic()

    def tick():
        while not done.wait(1.0):
            progress.note(f"{description}: {time.monotonic() - started:.0f} s")

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    failed = False
    try:
        yield progress
    except BaseException:
        failed = True
        raise
    finally:
        done.set()
        ticker.join()
        if failed:
            progress.note(f"{description}: failed")
        elif progress._shown or delay == 0:
            progress.note(f"{description}: done")
            if progress.mode == "widget":
                progress.bar.value = progress.bar.max
                progress.bar.bar_style = "success"


def load_with_progress(
    kb,
    path: str | os.PathLike,
    *,
    mode: str = "auto",
    delay: float = 2.0,
    chunk_size: int = 1 << 22,
    stream: IO[str] | None = None,
    **load_options,
):
    """Load an RDF file into a knowledge base with a progress bar.

    The bar follows the file as it is read; then, while the store parses and adds the triples
    (one all-or-nothing step, exactly as ``kb.load(path=...)``), it says so and counts the
    seconds. The graph is the one ``kb.load(path=...)`` would choose (``hlsg:load/<file stem>``)
    unless ``graph=`` is given; ``format=`` defaults to the file's extension; other options pass
    to ``kb.load``. A file that does not parse raises ``RDFSyntaxError`` naming the file, and the
    store is unchanged.

    Returns
    -------
    str
        What ``kb.load`` returns: the graph's IRI.
    """
    from ..errors import RDFSyntaxError

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"cannot load {str(path)!r}: no such file")
    load_options.setdefault("format", path.suffix.lstrip(".").lower())
    load_options.setdefault(
        "graph", "https://w3id.org/hls/graph/load/" + re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem)
    )
    with Progress(
        path.stat().st_size, f"Reading {path.name}", mode=mode, delay=delay, stream=stream
    ) as progress:
        parts = []
        with read_with_progress(path, progress) as reader:
            while chunk := reader.read(chunk_size):
                parts.append(chunk)
    with working(f"Adding {path.name} to the store", mode=mode, delay=delay, stream=stream):
        try:
            return kb.load(data=b"".join(parts), **load_options)
        except RDFSyntaxError as err:
            raise RDFSyntaxError(str(err).replace("<data>", str(path))) from err
