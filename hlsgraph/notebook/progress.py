"""Progress bars for slow work (loading a large file, building an on-disk store): an ipywidgets
bar in a notebook, a line of text on a terminal, nothing when output goes nowhere a person reads.

:class:`Progress` is the bar; its :meth:`Progress.callback` is a plain ``callback(done, total)``
that the engine, or any loop, can call. :func:`read_with_progress` wraps a binary file so reading
it moves the bar, and :func:`load_with_progress` loads a file into a knowledge base that way.
"""

from __future__ import annotations

import io
import os
import sys
import time
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

    def __init__(self, total: int, description: str = "", *, unit: str = "bytes", mode: str = "auto",
                 stream: IO[str] | None = None, delay: float = 2.0):
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
        return (f"{self.description}: {self.fraction:.0%} "
                f"({_size(self.done, self.unit)} of {_size(self.total, self.unit)})")

    def _show(self) -> None:
        self._shown = True
        if self.mode == "widget":
            import ipywidgets as widgets
            from IPython.display import display

            # Fractions of a large total overflow nothing: the bar counts in thousandths.
            self.bar = widgets.IntProgress(value=0, min=0, max=1000, description="",
                                           layout=widgets.Layout(width="40%"))
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
    def update(self, done: int) -> "Progress":
        """Record that ``done`` units of the total are finished (not an increment)."""
        self.done = max(0, int(done))
        self._render()
        return self

    def advance(self, amount: int) -> "Progress":
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

    def __enter__(self) -> "Progress":
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


def load_with_progress(kb, path: str | os.PathLike, *, mode: str = "auto", delay: float = 2.0, **load_options):
    """Load an RDF file into a knowledge base, showing a progress bar as it is read.

    The file is handed to ``kb.load(data=<stream>, format=...)`` as a stream that moves the bar,
    so the load stays all-or-nothing exactly as ``kb.load(path=...)`` is; ``load_options`` (for
    instance ``graph=``) pass through. The format comes from the file's extension unless
    ``format=`` is given.

    Returns
    -------
    Whatever ``kb.load`` returns.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"cannot load {str(path)!r}: no such file")
    load_options.setdefault("format", path.suffix.lstrip(".").lower())
    progress = Progress(path.stat().st_size, f"Loading {path.name}", mode=mode, delay=delay)
    with progress, read_with_progress(path, progress) as stream:
        return kb.load(data=stream, **load_options)
