"""SlidingWindows: S1's 9 x 40 x 40 windows of MFCC frames."""

import numpy as np
import pytest

from sklearn_ser import Pipeline
from sklearn_ser.features import MFCC, SlidingWindows


def test_s1_shapes_and_content(rng):
    X = rng.normal(size=(2, 216, 40)).astype(np.float32)
    out = SlidingWindows().fit_transform(X)
    assert out.shape == (2, 9, 40, 40) and out.dtype == np.float32
    for w in range(9):
        np.testing.assert_array_equal(out[:, w], X[:, 20 * w : 20 * w + 40])


def test_s1_pipeline_from_audio(rng):
    """S1: 5 s at 22.05 kHz -> MFCC 216 x 40 -> 9 windows of 40 x 40."""
    waves = [rng.normal(size=n).astype(np.float32) * 0.1 for n in (70000, 120000)]
    pipe = Pipeline([MFCC(sr=22050, duration=5.0), SlidingWindows(window=40, hop=20)])
    out = pipe.fit_transform(waves)
    assert out.shape == (2, 9, 40, 40)
    mf = pipe.named_steps["mfcc"].transform(waves)
    np.testing.assert_array_equal(out[:, 8], mf[:, 160:200])


def test_short_inputs_are_padded_to_one_window(rng):
    X = rng.normal(size=(1, 25, 3))
    out = SlidingWindows(window=40, hop=20).fit_transform(X)
    assert out.shape == (1, 1, 40, 3)
    np.testing.assert_array_equal(out[0, 0, :25], X[0])
    assert np.all(out[0, 0, 25:] == 0)


def test_remainder_frames_are_dropped():
    sw = SlidingWindows(window=4, hop=3)
    assert sw.n_windows(10) == 3 and sw.n_windows(12) == 3 and sw.n_windows(13) == 4
    X = np.arange(13 * 2, dtype=float).reshape(1, 13, 2)
    assert sw.fit_transform(X).shape == (1, 4, 4, 2)


@pytest.mark.parametrize(
    "kw, match", [(dict(window=0), "window=0"), (dict(hop=2.5), "hop=2.5")]
)
def test_errors(kw, match):
    with pytest.raises(ValueError, match=match):
        SlidingWindows(**kw).fit(np.zeros((1, 50, 2)))


def test_transform_checks_shape():
    sw = SlidingWindows().fit(np.zeros((1, 216, 40)))
    with pytest.raises(ValueError, match="216 frames of 40"):
        sw.transform(np.zeros((1, 200, 40)))
    with pytest.raises(ValueError, match="shape \\(3, 4\\)"):
        sw.transform(np.zeros((3, 4)))


@pytest.mark.parametrize("est", [SlidingWindows(window=2, hop=1)])
def test_estimator_contract(est, rng):
    """The properties sklearn's checks protect, tested directly.

    ``parametrize_with_checks`` skips every check for estimators whose input
    is 3-D only (scikit-learn cannot generate such data), so they are here:
    clone/get_params, no attributes set in ``__init__``, pickling, fit
    idempotence, sample-order and subset invariance, n_features_in_.
    """
    import pickle

    from sklearn.base import clone

    X = rng.normal(size=(5, 6, 3))
    c = clone(est)
    assert c.get_params() == est.get_params() and not hasattr(c, "n_features_in_")
    out = c.fit_transform(X)
    assert c.n_features_in_ == 3
    np.testing.assert_array_equal(c.fit(X).transform(X), out)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(c)).transform(X), out)
    np.testing.assert_allclose(c.transform(X[::-1])[::-1], out)
    np.testing.assert_allclose(c.transform(X[2:]), out[2:])
    c.fit(rng.normal(size=(5, 6, 3)))  # refit on other data: same output
    np.testing.assert_allclose(c.transform(X), out)
