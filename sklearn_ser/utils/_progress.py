"""A dependency-free progress bar for long loops (extraction, loading)."""

import sys
import time

__all__ = ["progress"]


def progress(iterable, *, total=None, desc="", verbose=True, file=None, every=0.2):
    """Yield from ``iterable``, drawing a one-line progress bar on stderr.

    Parameters
    ----------
    iterable : iterable
    total : int or None
        Number of items; taken from ``len(iterable)`` when possible.
    desc : str
        Label printed before the bar.
    verbose : bool or int
        When false, items are yielded with no output at all.
    file : file-like or None
        Where to draw; ``sys.stderr`` by default.
    every : float
        Minimum seconds between redraws.
    """
    if not verbose:
        yield from iterable
        return
    file = sys.stderr if file is None else file
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    start = last = time.perf_counter()
    n = 0

    def draw(final=False):
        elapsed = time.perf_counter() - start
        if total:
            frac = n / total
            bar = "#" * int(30 * frac)
            rate = n / elapsed if elapsed > 0 else 0.0
            eta = (total - n) / rate if rate > 0 else 0.0
            line = (
                f"\r{desc} [{bar:<30}] {n}/{total} "
                f"{elapsed:6.1f}s elapsed, {eta:6.1f}s left"
            )
        else:
            line = f"\r{desc} {n} items, {elapsed:6.1f}s"
        file.write(line + ("\n" if final else ""))
        file.flush()

    for item in iterable:
        yield item
        n += 1
        now = time.perf_counter()
        if now - last >= every:
            draw()
            last = now
    draw(final=True)
