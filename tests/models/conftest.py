"""Fixtures for the network tests: real-corpus features and tiny synthetic data.

Features for the real-data tests are computed here with numpy/scipy (a
log-magnitude STFT and log-mel frames), independent of
``sklearn_ser.features``, so that the network tests do not depend on the
feature transformers being finished; the Pipeline tests use the library's
transformers when they exist.
"""

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from _netdata import SR, log_mel, log_stft, ravdess_label, tess_label  # noqa: E402


def _subset(files, label_fn, per_class, seed):
    rng = np.random.default_rng(seed)
    labels = np.array([label_fn(f) for f in files])
    keep = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        keep.extend(rng.choice(idx, size=min(per_class, idx.size), replace=False))
    keep = np.sort(np.array(keep))
    return [files[i] for i in keep], labels[keep]


@pytest.fixture(scope="session")
def tess_subset(tess_files):
    """40 TESS files per emotion (280), their waveforms and labels."""
    from sklearn_ser.io import load_audio_batch

    files, y = _subset(tess_files, tess_label, 40, seed=0)
    return files, load_audio_batch(files, sr=SR), y


@pytest.fixture(scope="session")
def tess_stft_small(tess_subset):
    """(X, y): log-STFT (280, 126, 257) of the TESS subset."""
    _, waves, y = tess_subset
    return log_stft(waves), y


@pytest.fixture(scope="session")
def ravdess_mel_small(ravdess_files):
    """(X, y, groups): log-mel frames of 4 RAVDESS emotions (384 files)."""
    from sklearn_ser.io import load_audio_batch

    keep = [f for f in ravdess_files if ravdess_label(f) in ("01", "04", "05", "06")]
    waves = load_audio_batch(keep, sr=SR)
    y = np.array([ravdess_label(f) for f in keep])
    groups = np.array([int(Path(f).stem.split("-")[-1]) for f in keep])
    return log_mel(waves), y, groups


@pytest.fixture
def blobs():
    """Small separable 3-D data: (90, 6, 4) float32 and 3 string classes."""
    rng = np.random.default_rng(0)
    y = np.repeat(np.array(["angry", "happy", "sad"]), 30)
    X = rng.normal(size=(90, 6, 4)).astype(np.float32)
    for k, c in enumerate(["angry", "happy", "sad"]):
        X[y == c, :, k] += 2.0
    order = rng.permutation(90)
    return X[order], y[order]
