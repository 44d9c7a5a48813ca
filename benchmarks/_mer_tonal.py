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
- :func:`tonal_features` (51 columns): the library's
  :func:`sklearn_ser.features.tonal_stats` (:class:`~sklearn_ser.features.TonalStats`)
  of the chroma columns, with 3-s key windows every 1.5 s: how clearly a
  clip is in a major or a minor key (correlation of its mean chroma with the
  Krumhansl-Kessler key profiles in all 12 rotations, over the clip and over
  the windows), the tonal centroid (tonnetz, Harte et al. 2006) and its rate
  of change (harmonic change), and the mean chroma rotated to the estimated
  key. Mode is a classic valence cue, and valence is what separates Q1 from
  Q2 and Q3 from Q4.

Layouts (from ``_mer_features``): ``feats["logmel"]`` is (n, frames, 96),
``feats["music"]`` (n, frames, 40) with chroma in columns 7-18 and tempo
last; frames are 512 samples at 22.05 kHz for music, 1024 for log-Mel.
"""

import numpy as np
from scipy.stats import kurtosis, skew

from sklearn_ser.features import tonal_stats

SR = 22050
MEL_HOP = 1024
MUSIC_HOP = 512
CHROMA = slice(7, 19)
#: modulation-frequency band edges (Hz)
MOD_EDGES = (0.1, 0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 8, 10.7)
#: key windows of 3 s of music frames (129), every half window
KEY_WINDOW = int(3 * SR / MUSIC_HOP)


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


def tonal_features(feats):
    """(n, 51) float32: :func:`sklearn_ser.features.tonal_stats` of the
    chroma columns of the music frames (see the module docstring)."""
    return tonal_stats(
        chroma=feats["music"][:, :, CHROMA], window=KEY_WINDOW, hop=KEY_WINDOW // 2
    )
