"""Per-clip feature extraction for the MER 4Q benchmark, cached on disk.

Each clip is decoded ONCE (Ogg Opus at 48 kHz), resampled with the
toolkit's exact polyphase resampler to 22.05 kHz (music features, log-Mel)
and 16 kHz (openSMILE), and turned into every representation the benchmark
uses. Results are cached per clip with :class:`joblib.Memory`, so a rerun
(or another model on the same features) costs no decoding; the cache folder
follows the library code behind them (``_cache_key.versioned``), so a change
to a feature or to the decoder recomputes them.

Clipping follows :func:`sklearn_ser.io.load_audio`'s default: resample,
then clip to [-1, 1]; the peak before clipping is returned so the benchmark
reports how far the lossy decoder overshot.
"""

import numpy as np

MUSIC_SR = 22050
SMILE_SR = 16000
DURATION = 30.0
MEL_HOP = 1024
N_MELS = 96


def _music_frames_transformer():
    from sklearn_ser.features import MusicFeatures

    kw = {"duration": DURATION}
    if "pooling" in MusicFeatures().get_params():
        kw["pooling"] = None  # frame-level output (the API before FrameStats pooling)
    return MusicFeatures(**kw)


def clip_features(path):
    """Every representation of one clip.

    Returns a dict: ``music`` (n_frames, 40) float32 frame-level
    MusicFeatures at 22.05 kHz, ``logmel`` (n_frames, 96) float16 log-Mel
    (dB, hop 1024 at 22.05 kHz), ``compare`` (6373,) float32 openSMILE
    ComParE 2016 functionals at 16 kHz, ``peak`` the largest absolute
    sample of the decoded 48 kHz signal (before any clipping).
    """
    import opensmile

    from sklearn_ser.features import MelSpectrogram
    from sklearn_ser.io import load_audio, resample

    y48 = load_audio(path, sr=None, clip=False)
    peak = float(np.abs(y48).max())
    y22 = np.clip(resample(y48, 48000, MUSIC_SR), -1.0, 1.0)
    y16 = np.clip(resample(y48, 48000, SMILE_SR), -1.0, 1.0)
    music = _music_frames_transformer().fit_transform([y22])[0]
    logmel = MelSpectrogram(
        sr=MUSIC_SR,
        n_fft=2048,
        hop_length=MEL_HOP,
        n_mels=N_MELS,
        scale="db",
        duration=DURATION,
    ).fit_transform([y22])[0]
    smile = opensmile.Smile(
        feature_set=opensmile.FeatureSet.ComParE_2016,
        feature_level=opensmile.FeatureLevel.Functionals,
    )
    compare = smile.process_signal(y16, SMILE_SR).to_numpy()[0]
    return {
        "music": music.astype(np.float32),
        "logmel": logmel.astype(np.float16),
        "compare": compare.astype(np.float32),
        "peak": peak,
    }


def extract(paths, cache_dir, *, n_jobs=1, verbose=0):
    """``clip_features`` of every path (cached), as stacked arrays."""
    from _cache_key import versioned
    from joblib import Memory, Parallel, delayed

    from sklearn_ser.features import MelSpectrogram, MusicFeatures
    from sklearn_ser.io import load_audio, resample
    from sklearn_ser.utils._progress import progress

    location = versioned(
        cache_dir,
        MusicFeatures,
        MelSpectrogram,
        load_audio,
        resample,
        packages=("opensmile",),
    )
    cached = Memory(location, verbose=0).cache(clip_features)
    items = Parallel(n_jobs=n_jobs)(
        delayed(cached)(str(p))
        for p in progress(list(paths), desc="MER features", verbose=verbose)
    )
    return {
        "music": np.stack([it["music"] for it in items]),
        "logmel": np.stack([it["logmel"] for it in items]),
        "compare": np.stack([it["compare"] for it in items]),
        "peak": np.array([it["peak"] for it in items]),
    }


if __name__ == "__main__":
    # Warm the cache: python benchmarks/_mer_features.py CACHE_DIR N_JOBS.
    # The function is imported by module name so that the cache is the one
    # mer_systems.py reads (joblib keys it by the function's module).
    import glob
    import os
    import sys
    import time

    import _mer_features

    root = os.path.join(os.environ["SER_DATA"], "mer_4q")
    files = sorted(glob.glob(os.path.join(root, "Q*", "*.ogg")))
    t0 = time.perf_counter()
    out = _mer_features.extract(files, sys.argv[1], n_jobs=int(sys.argv[2]), verbose=1)
    print(len(files), "clips", time.perf_counter() - t0, "s", out["music"].shape)
