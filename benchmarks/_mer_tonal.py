"""Extra clip statistics for MER 4Q: distribution shape, modulation, rhythm
and tonality (key / mode), computed from the cached frame features of
``_mer_features`` (no audio is decoded again).

Two blocks, added to ``mer_systems.all_features`` by the ``svm-select-tonal``
system:

- :func:`shape_rhythm_features` (616 columns): skewness and kurtosis of each
  of the 96 log-Mel bands and of the 39 music-frame columns; the modulation
  spectrum of 16 band groups in 10 bands of 0.1-10.7 Hz; the autocorrelation
  of the onset flux at lags 1-63 frames (up to 1.5 s: tempo and
  regularity) with its std / skewness / kurtosis; the correlations between
  the 16 band groups.
- :func:`tonal_features` (51 columns): how clearly a clip is in a major or a
  minor key (correlation of its mean chroma with the Krumhansl-Kessler key
  profiles in all 12 rotations, over the clip and over 3-s windows), the
  tonal centroid (tonnetz, Harte et al. 2006) and its rate of change
  (harmonic change), and the mean chroma rotated to the estimated key. Mode
  is a classic valence cue, and valence is what separates Q1 from Q2 and Q3
  from Q4.

Layouts (from ``_mer_features``): ``feats["logmel"]`` is (n, frames, 96),
``feats["music"]`` (n, frames, 40) with chroma in columns 7-18 and tempo
last; frames are 512 samples at 22.05 kHz for music, 1024 for log-Mel.
"""

import numpy as np
from scipy.stats import kurtosis, skew

SR = 22050
MEL_HOP = 1024
MUSIC_HOP = 512
CHROMA = slice(7, 19)
#: modulation-frequency band edges (Hz)
MOD_EDGES = (0.1, 0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 8, 10.7)
#: Krumhansl-Kessler probe-tone profiles, C major and C minor
MAJOR = np.array(
    [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
)
MINOR = np.array(
    [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
)


def shape_rhythm_features(feats):
    """(n, 616) float32: see the module docstring."""
    mel, music = feats["logmel"].astype(np.float32), feats["music"]
    n, t, b = mel.shape
    groups = mel.reshape(n, t, 16, b // 16).mean(axis=3)
    centred = groups - groups.mean(axis=1, keepdims=True)
    spec = np.abs(np.fft.rfft(centred * np.hanning(t)[None, :, None], axis=1))
    freqs = np.fft.rfftfreq(t, d=MEL_HOP / SR)
    modulation = np.stack(
        [
            np.log1p(spec[:, (freqs >= lo) & (freqs < hi)].mean(axis=1))
            for lo, hi in zip(MOD_EDGES[:-1], MOD_EDGES[1:])
        ],
        axis=1,
    ).reshape(n, -1)
    flux = np.maximum(np.diff(mel, axis=1), 0).mean(axis=2)
    flux = flux - flux.mean(axis=1, keepdims=True)
    auto = np.array(
        [np.correlate(f, f, "full")[len(f) - 1 : len(f) + 63] for f in flux]
    )
    auto = auto / auto[:, :1]
    corr = np.array([np.corrcoef(g.T)[np.triu_indices(16, 1)] for g in groups])
    out = np.hstack(
        [
            skew(mel, axis=1),
            kurtosis(mel, axis=1),
            modulation,
            auto[:, 1:],
            np.c_[flux.std(axis=1), skew(flux, axis=1), kurtosis(flux, axis=1)],
            corr,
            skew(music[:, :, :-1], axis=1),
            kurtosis(music[:, :, :-1], axis=1),
        ]
    )
    return np.nan_to_num(out).astype(np.float32)


def _key_correlations(chroma):
    """(major, minor): (n, 12) correlations of each chroma vector with the
    key profiles rotated to each of the 12 tonics."""

    def z(a):
        centred = a - a.mean(axis=1, keepdims=True)
        return centred / (a.std(axis=1, keepdims=True) + 1e-9)

    return [
        z(chroma) @ z(np.stack([np.roll(p, r) for r in range(12)])).T / 12
        for p in (MAJOR, MINOR)
    ]


def _mode_clarity(chroma):
    """(n, 8): best major / minor correlation, their difference, the best of
    both, major minus its relative minor, chroma entropy, second-best major /
    minor (how ambiguous the key is)."""
    major, minor = _key_correlations(chroma)
    relative = minor[np.arange(len(chroma)), (major.argmax(axis=1) + 9) % 12]
    return np.c_[
        major.max(axis=1),
        minor.max(axis=1),
        major.max(axis=1) - minor.max(axis=1),
        np.maximum(major.max(axis=1), minor.max(axis=1)),
        major.max(axis=1) - relative,
        -(chroma * np.log(chroma + 1e-9)).sum(axis=1),
        np.sort(major, axis=1)[:, -2],
        np.sort(minor, axis=1)[:, -2],
    ]


def tonal_features(feats):
    """(n, 51) float32: see the module docstring."""
    chroma = feats["music"][:, :, CHROMA].astype(np.float64)
    chroma = chroma / (chroma.sum(axis=2, keepdims=True) + 1e-9)
    n, t, _ = chroma.shape
    width = int(3 * SR / MUSIC_HOP)
    windows = np.stack(
        [
            _mode_clarity(chroma[:, s : s + width].mean(axis=1))
            for s in range(0, t - width + 1, width // 2)
        ],
        axis=1,
    )
    pitch = np.arange(12)[:, None]
    tonnetz_basis = np.hstack(
        [
            np.sin(pitch * 7 * np.pi / 6), np.cos(pitch * 7 * np.pi / 6),
            np.sin(pitch * 3 * np.pi / 2), np.cos(pitch * 3 * np.pi / 2),
            0.5 * np.sin(pitch * 2 * np.pi / 3), 0.5 * np.cos(pitch * 2 * np.pi / 3),
        ]
    )
    tonnetz = chroma @ tonnetz_basis
    change = np.linalg.norm(np.diff(tonnetz, axis=1), axis=2)
    mean_chroma = chroma.mean(axis=1)
    tonic = _key_correlations(mean_chroma)[0].argmax(axis=1)
    rotated = np.stack([np.roll(mean_chroma[i], -tonic[i]) for i in range(n)])
    out = np.hstack(
        [
            _mode_clarity(mean_chroma),
            windows.mean(axis=1),
            windows.std(axis=1),
            tonnetz.mean(axis=1),
            tonnetz.std(axis=1),
            np.c_[change.mean(axis=1), change.std(axis=1), skew(change, axis=1)],
            rotated,
        ]
    )
    return np.nan_to_num(out).astype(np.float32)
