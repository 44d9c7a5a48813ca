"""Feature helpers for the network tests (numpy/scipy, independent of
``sklearn_ser.features``): a log-magnitude STFT and log-mel frames.
"""

from pathlib import Path

import numpy as np

SR = 16000


def tess_label(path):
    """Emotion of a TESS file from its folder name (``OAF_pleasant_surprise``)."""
    return Path(path).parent.name.split("_", 1)[1]


def ravdess_label(path):
    return Path(path).name.split("-")[2]


def log_stft(waveforms, *, n_samples=32000, n_fft=512, hop_length=256):
    """Log-magnitude STFT frames, shape (n, frames, n_fft // 2 + 1), float32.

    Waveforms are padded / trimmed to ``n_samples``; Hann window. Values are
    ``(log(|Z| + 1e-6) + 10) / 2`` (a fixed affine map to roughly zero mean,
    unit variance on TESS).
    """
    from scipy.signal import stft

    from sklearn_ser.io import fix_length

    W = np.stack(
        [fix_length(np.asarray(w, dtype=np.float32), n_samples) for w in waveforms]
    )
    _, _, Z = stft(W, fs=SR, window="hann", nperseg=n_fft, noverlap=n_fft - hop_length)
    S = np.log(np.abs(Z) + 1e-6).transpose(0, 2, 1)
    return ((S + 10.0) / 2.0).astype(np.float32)


def log_mel(waveforms, *, n_samples=48000, n_fft=512, hop_length=256, n_mels=40):
    """Log-mel frames (n, frames, n_mels), float32, from a triangular filterbank."""
    from scipy.signal import stft

    from sklearn_ser.io import fix_length

    W = np.stack(
        [fix_length(np.asarray(w, dtype=np.float32), n_samples) for w in waveforms]
    )
    _, _, Z = stft(W, fs=SR, window="hann", nperseg=n_fft, noverlap=n_fft - hop_length)
    P = np.abs(Z) ** 2  # (n, bins, frames)
    hz = np.linspace(0, SR / 2, P.shape[1])
    mel = 2595 * np.log10(1 + hz / 700)
    edges = np.linspace(mel[0], mel[-1], n_mels + 2)
    fb = np.maximum(
        0,
        np.minimum(
            (mel[None] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None]),
            (edges[2:, None] - mel[None]) / (edges[2:, None] - edges[1:-1, None]),
        ),
    )
    M = np.log(np.einsum("mb,nbt->ntm", fb, P) + 1e-10)
    M = (M - M.mean()) / M.std()
    return M.astype(np.float32)
