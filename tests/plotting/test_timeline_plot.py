"""The timeline picture stays readable for an hour-long recording."""

import numpy as np

from sklearn_ser.plotting import plot_timeline
from sklearn_ser.timeline import Segment, Timeline


def _hour_timeline(rng):
    classes = np.array(["angry", "happy", "sad"])
    n = 7200  # one hour of 0.5 s steps
    proba = rng.dirichlet(np.ones(3), size=n).astype(np.float32)
    proba[::7] = np.nan  # steps without speech
    segs = [
        Segment(float(t), float(t) + 1.2, classes[i % 3], proba[i * 2 % n])
        for i, t in enumerate(np.arange(0, 3600, 1.5))
    ]
    return Timeline(segs, classes, 3600.0, np.arange(n) * 0.5, proba, "x.wav")


def test_hour_long_timeline_is_aggregated(tmp_path, rng):
    tl = _hour_timeline(rng)
    fig = plot_timeline(tl, max_points=500, path=tmp_path / "t.png")
    ax, bar = fig.axes[:2]
    areas = ax.collections
    assert len(areas) == 3  # one stacked band per class
    edges = np.linspace(0, 7200, 501).astype(int)
    first = np.nanmean(tl.proba[: edges[1]], axis=0)
    last = np.nanmean(tl.proba[edges[-2] :], axis=0)
    # band j spans the cumulative NaN-aware bin means of classes < j .. <= j
    for j, band in enumerate(areas):
        ys = band.get_paths()[0].vertices[:, 1]
        xs = band.get_paths()[0].vertices[:, 0]
        assert xs.max() <= 60.0
        top = ys[xs == xs.min()].max()
        assert np.isclose(top, first[: j + 1].sum(), rtol=1e-6)
        top = ys[xs == xs.max()].max()
        assert np.isclose(top, last[: j + 1].sum(), rtol=1e-6)
        # 500 bins: the upper edge and the lower edge of the band
        assert 1000 <= len(xs) <= 1010
    assert bar.get_xlabel() == "time (min)"
    assert bar.get_xlim()[1] == 60.0
    assert len(bar.collections) == 3  # one bar collection per class
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
