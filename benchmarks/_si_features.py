"""Cached per-corpus feature matrices for benchmarks/speaker_independent.py.

Each feature set is computed once for every file of a corpus (sorted paths,
so the joblib.Memory key is stable) and cached under ``--cache-dir``.
"""

import numpy as np

FEATURE_SETS = ("mfcc", "egemaps", "compare")


def feature_transformer(name, *, memory=None, n_jobs=1):
    """The (stateless) transformer computing feature set ``name`` from paths."""
    from sklearn_ser import features as F

    if name == "mfcc":
        # the mfcc-svm baseline's features (40 MFCCs averaged over time),
        # plus their standard deviation
        from sklearn.pipeline import make_pipeline

        return make_pipeline(
            F.MFCC(sr=16000, n_mfcc=40, n_jobs=n_jobs),
            F.FrameStats(stats=("mean", "std")),
            memory=memory,
        )
    if name == "egemaps":
        return F.OpenSmileFunctionals(
            feature_set="eGeMAPSv02", n_jobs=n_jobs, memory=memory
        )
    if name == "compare":
        return F.OpenSmileFunctionals(
            feature_set="ComParE_2016", n_jobs=n_jobs, memory=memory
        )
    raise ValueError(f"unknown feature set {name!r}; choose from {FEATURE_SETS}")


def _mfcc_stats(paths, n_jobs):
    return feature_transformer("mfcc", n_jobs=n_jobs).fit_transform(paths)


def corpus_features(paths, name, *, cache_dir, n_jobs=1):
    """float32 matrix of feature set ``name`` for ``paths`` (cached)."""
    from joblib import Memory

    memory = Memory(str(cache_dir), verbose=0)
    paths = [str(p) for p in paths]
    if name == "mfcc":
        X = memory.cache(_mfcc_stats, ignore=["n_jobs"])(paths, n_jobs)
    else:
        X = feature_transformer(name, memory=memory, n_jobs=n_jobs).fit_transform(
            paths
        )
    return np.asarray(X, dtype=np.float32)
