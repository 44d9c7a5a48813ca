"""Progress bars for long loops (extraction, loading), drawn by tqdm."""

__all__ = ["progress"]


def progress(iterable, *, total=None, desc="", verbose=True, file=None, every=0.2):
    """Yield from ``iterable``, with a :mod:`tqdm` progress bar when ``verbose``.

    Parameters
    ----------
    iterable : iterable
    total : int or None
        Number of items; taken from ``len(iterable)`` when possible.
    desc : str
        Label printed before the bar.
    verbose : bool or int
        When false, ``iterable`` is returned as it is (no output at all).
    file : file-like or None
        Where to draw; ``sys.stderr`` by default.
    every : float
        Minimum seconds between redraws (tqdm's ``mininterval``).
    """
    if not verbose:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, file=file, mininterval=every)
