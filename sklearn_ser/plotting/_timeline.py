"""Picture of an emotion timeline: class probabilities over time and segments."""

import numpy as np

from ._plots import _figure, _save

__all__ = ["plot_timeline"]


def _bins(times, proba, max_points):
    """Average the trace into at most ``max_points`` bins (NaN-aware)."""
    n = proba.shape[0]
    if n <= max_points:
        return times, proba
    edges = np.linspace(0, n, max_points + 1).astype(int)
    counts = np.diff(edges)
    valid = ~np.isnan(proba)
    sums = np.add.reduceat(np.where(valid, proba, 0.0), edges[:-1], axis=0)
    nval = np.add.reduceat(valid.astype(float), edges[:-1], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        binned = np.where(nval > 0, sums / np.maximum(nval, 1), np.nan)
    t = times[edges[:-1]] + 0.5 * counts * (times[1] - times[0] if n > 1 else 0)
    return t, binned


def _time_unit(duration):
    if duration >= 1200:
        return 60.0, "time (min)"
    return 1.0, "time (s)"


def plot_timeline(timeline, *, max_points=600, title=None, path=None,
                  figsize=(12, 4.5)):
    """Class probabilities over time (stacked), with the decided segments beneath.

    Parameters
    ----------
    timeline : sklearn_ser.timeline.Timeline
    max_points : int, default=600
        The probability trace is averaged into at most this many bins (6 s
        each for an hour) and segments shorter than a bin are drawn a bin
        wide, so an hour-long recording stays readable. Steps without speech
        are left blank.
    title : str, optional
    path : str, optional
        Save the figure as PNG.
    figsize : tuple, default=(12, 4.5)

    Returns
    -------
    matplotlib.figure.Figure
    """
    classes = [str(c) for c in timeline.classes]
    fig = _figure(figsize)
    ax, bar = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    scale, xlabel = _time_unit(timeline.duration)
    cmap = fig.colormaps["tab10"] if hasattr(fig, "colormaps") else None
    if cmap is None:
        import matplotlib

        cmap = matplotlib.colormaps["tab10"]
    colours = {c: cmap(i % 10) for i, c in enumerate(classes)}
    times = np.asarray(timeline.times, dtype=float)
    proba = np.asarray(timeline.proba, dtype=float)
    if proba.size:
        t, p = _bins(times, proba, int(max_points))
        # stacked shares; steps without speech (NaN) stay blank
        p = np.where(np.isnan(p), 0.0, p)
        ax.stackplot(t / scale, p.T, colors=[colours[c] for c in classes],
                     labels=classes, step=None, linewidth=0)
    ax.set_ylabel("class probability")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small",
              frameon=False)
    min_w = timeline.duration / max(int(max_points), 1)
    for j, c in enumerate(classes):
        spans = [
            (s.start / scale, max(s.duration, min_w) / scale)
            for s in timeline.segments
            if str(s.label) == c
        ]
        if spans:
            bar.broken_barh(spans, (0, 1), facecolors=colours[c])
    bar.set_yticks([])
    bar.set_ylabel("segments")
    bar.set_xlabel(xlabel)
    bar.set_xlim(0, max(timeline.duration, 1e-3) / scale)
    if title:
        ax.set_title(title)
    return _save(fig, path)
