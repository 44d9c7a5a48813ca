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
    lines = ax.get_lines()
    assert len(lines) == 3
    edges = np.linspace(0, 7200, 501).astype(int)
    for j, line in enumerate(lines):
        x, y = line.get_data()
        assert len(x) == 500 and np.all(np.diff(x) > 0)
        # bins are NaN-aware means of the trace, in minutes
        np.testing.assert_allclose(y[0], np.nanmean(tl.proba[: edges[1], j]), rtol=1e-6)
        np.testing.assert_allclose(
            y[-1], np.nanmean(tl.proba[edges[-2] :, j]), rtol=1e-6
        )
        assert x[-1] <= 60.0
    assert bar.get_xlabel() == "time (min)"
    assert bar.get_xlim()[1] == 60.0
    assert len(bar.collections) == 3  # one bar collection per class
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
