"""Melody statistics of the MER 4Q clips for ``svm-select-melody``, cached.

:class:`sklearn_ser.features.MelodyStats` (41 columns: predominant-melody
contours, intervals, vibrato, glissando; Panda et al. 2018's melodic and
expressive feature families) of each clip decoded at 22.05 kHz, cached per
clip with :class:`joblib.Memory` under the benchmark's cache folder, apart
from ``_mer_features``'s cache (so adding this block re-decodes nothing
that is cached there, and costs one more decode per clip, once).
"""

import numpy as np

SR = 22050


def code_version():
    """SHA-1 of the library code behind the melody columns (``MelodyStats``,
    the decoder and everything they import): part of the cache key, so a
    change to the features (not only to this file) invalidates the cache."""
    from _cache_key import source_version

    from sklearn_ser.features import MelodyStats
    from sklearn_ser.io import load_audio, resample

    return source_version(MelodyStats, load_audio, resample, packages=("librosa",))


def clip_melody(path, version=None):
    """(41,) float32 :class:`~sklearn_ser.features.MelodyStats` of one clip.

    ``version`` only keys the cache (:func:`code_version`).

    Decoded and resampled as ``_mer_features.clip_features`` does (48 kHz
    without clipping, polyphase resampling, then clipping to [-1, 1]), so
    the lossy decoder's overshoot, reported there, raises no warning here.
    """
    from sklearn_ser.features import MelodyStats
    from sklearn_ser.io import load_audio, resample

    y48 = load_audio(path, sr=None, clip=False)
    y = np.clip(resample(y48, 48000, SR), -1.0, 1.0)
    return MelodyStats(sr=SR).fit_transform([y])[0]


def melody_features(paths, cache_dir, *, n_jobs=1, verbose=0):
    """(n, 41) float32: :func:`clip_melody` of every path (cached)."""
    from joblib import Memory, Parallel, delayed

    from sklearn_ser.utils._progress import progress

    cached = Memory(cache_dir, verbose=0).cache(clip_melody)
    version = code_version()
    rows = Parallel(n_jobs=n_jobs)(
        delayed(cached)(str(p), version)
        for p in progress(paths, verbose=verbose, desc="melody")
    )
    return np.vstack(rows).astype(np.float32)
