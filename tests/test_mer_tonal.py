"""The MER benchmark's tonal features (benchmarks/_mer_tonal.py) on toy chroma."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
tonal = pytest.importorskip("_mer_tonal")


def _feats(chroma_frames):
    """A feats dict whose music frames hold ``chroma_frames`` (n, t, 12)."""
    n, t, _ = chroma_frames.shape
    music = np.zeros((n, t, 40), np.float32)
    music[:, :, tonal.CHROMA] = chroma_frames
    logmel = np.random.default_rng(0).normal(size=(n, t // 2, 96)).astype(np.float32)
    return {"music": music, "logmel": logmel}


def _triad(root, minor, t=300):
    c = np.full(12, 0.05)
    for step in (0, 3 if minor else 4, 7):
        c[(root + step) % 12] = 1.0
    return np.tile(c, (t, 1))


def test_major_and_minor_triads_get_opposite_mode_signs():
    feats = _feats(np.stack([_triad(0, False), _triad(0, True)]))
    out = tonal.tonal_features(feats)
    major_minus_minor = out[:, 2]
    assert major_minus_minor[0] > 0 > major_minus_minor[1]


def test_transposing_changes_no_key_relative_feature():
    """Mode clarity, tonnetz change and the key-rotated chroma do not depend on
    the tonic; the tonnetz centroid itself does."""
    out = tonal.tonal_features(_feats(np.stack([_triad(0, False), _triad(5, False)])))
    clarity, rotated = slice(0, 8), slice(39, 51)
    np.testing.assert_allclose(out[0, clarity], out[1, clarity], atol=1e-6)
    np.testing.assert_allclose(out[0, rotated], out[1, rotated], atol=1e-6)
    assert out[0, rotated].argmax() == 0  # the tonic comes first
    assert not np.allclose(out[0, 24:30], out[1, 24:30])  # tonnetz means


def test_shapes_and_finite():
    feats = _feats(np.abs(np.random.default_rng(1).normal(size=(3, 400, 12))))
    a, b = tonal.shape_rhythm_features(feats), tonal.tonal_features(feats)
    assert a.shape == (3, 616) and b.shape == (3, 51)
    assert np.isfinite(a).all() and np.isfinite(b).all()


def test_tonal_block_is_the_library_transformer():
    """svm-select-tonal's 51 tonal columns are TonalStats' defaults (3-s key
    windows every 1.5 s at 22.05 kHz, hop 512) on the chroma columns."""
    from sklearn_ser.features import TonalStats

    feats = _feats(np.abs(np.random.default_rng(2).normal(size=(3, 400, 12))))
    expect = TonalStats().fit_transform(feats["music"][:, :, tonal.CHROMA])
    np.testing.assert_array_equal(tonal.tonal_features(feats), expect)
    assert (tonal.KEY_WINDOW, tonal.KEY_WINDOW // 2) == (129, 64)
