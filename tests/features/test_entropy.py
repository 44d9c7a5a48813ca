"""EnergyEntropy, the worked example of a new extractor (README, Architecture)."""

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_ser import Pipeline
from sklearn_ser.features import EnergyEntropy, FrameStats, energy_entropy
from sklearn_ser.io import load_audio, load_audio_batch


def _reference(y, frame_length=400, hop=160, n_blocks=10):
    """A straightforward per-frame loop (librosa's centred zero-padded framing)."""
    y = np.pad(np.asarray(y, np.float64), frame_length // 2)
    out = []
    for start in range(0, len(y) - frame_length + 1, hop):
        frame = y[start : start + frame_length]
        width = frame_length // n_blocks
        e = np.array(
            [np.sum(frame[j * width : (j + 1) * width] ** 2) for j in range(n_blocks)]
        )
        p = e / (e.sum() + 1e-12)
        out.append(-np.sum(p * np.log2(p + 1e-12)))
    return np.array(out)


@pytest.mark.data
def test_matches_a_per_frame_loop_on_real_speech(ravdess_files):
    y = load_audio(ravdess_files[0], sr=16000)
    ref = _reference(y)
    got = energy_entropy(y=y)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
    # the transformer gives the same frames, in the package's layout
    H = EnergyEntropy().fit_transform([ravdess_files[0]])
    assert H.shape == (1, len(ref), 1) and H.lengths.tolist() == [len(ref)]
    np.testing.assert_array_equal(H[0, :, 0], got)
    # silence has no energy to spread: entropy 0; a steady tone: log2(10) bits
    assert np.all(energy_entropy(y=np.zeros(4000, np.float32)) == 0)


@pytest.mark.data
def test_base_class_gives_threads_lengths_and_pipelines(ravdess_files):
    paths = ravdess_files[:20]
    waves = load_audio_batch(paths, 16000)
    ref = EnergyEntropy(n_jobs=1).fit_transform(waves)
    for n_jobs in (1, 2):
        np.testing.assert_array_equal(
            EnergyEntropy(n_jobs=n_jobs).fit_transform(paths), ref
        )
    pipe = Pipeline([EnergyEntropy(), FrameStats(prefix=["energy_entropy"])])
    F = pipe.fit_transform(paths)
    assert F.shape == (20, 2)
    n = ref.lengths[3]
    np.testing.assert_allclose(F[3, 0], ref[3, :n, 0].mean(), rtol=1e-6)
    assert list(pipe[-1].get_feature_names_out()) == [
        "energy_entropy_mean",
        "energy_entropy_std",
    ]


def test_parameters_are_validated():
    X = [np.zeros(1000, np.float32)]
    with pytest.raises(ValueError, match="Received: n_blocks=0"):
        EnergyEntropy(n_blocks=0).fit(X)
    with pytest.raises(ValueError, match="n_blocks=500, frame_length=400"):
        EnergyEntropy(n_blocks=500).fit(X)
    est = clone(EnergyEntropy(duration=0.5)).fit(X)
    assert est.transform(X).shape == (1, 1 + 8000 // 160, 1)
