"""Cached per-corpus feature matrices for benchmarks/speaker_independent.py.

Each feature set is computed once for every file of a corpus (sorted paths,
so the joblib.Memory key is stable) and cached under ``--cache-dir``, in a
folder that follows the library code behind the set (:func:`_location`), so
a change to a feature, the decoder or an augmentation recomputes it.

A name ``"<set>@speed<r>"`` (e.g. ``"compare@speed0.9"``) is feature set
``<set>`` of every file played ``r`` times faster
(:func:`sklearn_ser.augment.speed_perturb`, Kaldi-style speed perturbation).
These matrices are training-time augmentation: the benchmark's rows stack
the training files' copies under the training part and never show them at
prediction (``speaker_independent.TrainCopies``).
"""

import numpy as np

FEATURE_SETS = ("mfcc", "egemaps", "compare", "logmel")


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
    return _more_transformers(name, memory=memory, n_jobs=n_jobs)


def parse_name(name):
    """Split a feature-set name into (base set, speed factor or None).

    ``"compare@speed0.9"`` -> ``("compare", 0.9)``;
    ``"compare"`` -> ``("compare", None)``.
    """
    if "@speed" not in name:
        return name, None
    base, rate = name.split("@speed", 1)
    return base, float(rate)


def _mfcc_stats(paths, n_jobs):
    return feature_transformer("mfcc", n_jobs=n_jobs).fit_transform(paths)


def _speed_features(paths, base, rate, n_jobs):
    """Feature set ``base`` of every file of ``paths`` played ``rate`` times faster."""
    from sklearn_ser.augment import speed_perturb
    from sklearn_ser.io import load_audio_batch

    out = []
    step = 200  # bounded memory: decode, perturb and extract in chunks
    for i in range(0, len(paths), step):
        waves = load_audio_batch(paths[i : i + step], sr=16000, n_jobs=n_jobs)
        waves = [speed_perturb(y=w, rate=rate) for w in waves]
        tfm = feature_transformer(base, n_jobs=n_jobs)
        out.append(np.asarray(tfm.fit_transform(waves), dtype=np.float32))
    return np.vstack(out)


def corpus_features(paths, name, *, cache_dir, n_jobs=1):
    """float32 matrix of feature set ``name`` for ``paths`` (cached)."""
    from joblib import Memory

    memory = Memory(_location(cache_dir, name), verbose=0)
    paths = [str(p) for p in paths]
    base, rate = parse_name(name)
    if rate is not None:
        X = memory.cache(_speed_features, ignore=["n_jobs"])(paths, base, rate, n_jobs)
    elif name.endswith(TRIM) or name.endswith(SPEECH):
        X = memory.cache(_trimmed_features, ignore=["n_jobs"])(paths, name, n_jobs)
    elif name == "mfcc":
        X = memory.cache(_mfcc_stats, ignore=["n_jobs"])(paths, n_jobs)
    else:
        X = feature_transformer(name, memory=memory, n_jobs=n_jobs).fit_transform(paths)
    return np.asarray(X, dtype=np.float32)


# Added below the cached functions, so their line numbers (part of joblib's
# cache key) stay the same and the cached matrices stay valid.
def _more_transformers(name, *, memory, n_jobs):
    """Feature sets added later (see :func:`feature_transformer`)."""
    from sklearn_ser import features as F

    if name.endswith(TRIM) and name[: -len(TRIM)] in FEATURE_SETS:
        # the set computed after TrimSilence (leading / trailing silence cut);
        # with "@speed<r>" the copy is perturbed first, then trimmed
        from sklearn.pipeline import make_pipeline

        from sklearn_ser.preprocessing import TrimSilence

        base = feature_transformer(name[: -len(TRIM)], n_jobs=n_jobs)
        return make_pipeline(TrimSilence(n_jobs=n_jobs), base)
    if name.endswith(SPEECH) and name[: -len(SPEECH)] in FEATURE_SETS:
        # the set computed on the speech only (leading / trailing silence and
        # pauses cut), scaled to -25 dBFS RMS
        from sklearn.pipeline import make_pipeline

        from sklearn_ser.preprocessing import LoudnessNormalizer, TrimSilence

        base = feature_transformer(name[: -len(SPEECH)], n_jobs=n_jobs)
        trim = TrimSilence(pauses=True, n_jobs=n_jobs)
        return make_pipeline(trim, LoudnessNormalizer(), base)
    if name == "logmel":
        # 64 log-Mel bands + deltas over the active frames, 7 statistics each,
        # per-utterance mean removed (896 columns)
        return F.LogMelFunctionals(n_jobs=n_jobs, memory=memory)
    raise ValueError(
        f"unknown feature set {name!r}; choose from {FEATURE_SETS}, each "
        f"optionally suffixed {TRIM!r} or {SPEECH!r}"
    )


#: suffix of a feature set computed on the silence-trimmed recording
TRIM = "_trim"
#: suffix of a feature set computed on the speech only, at a fixed loudness
SPEECH = "_speech"


def _trimmed_features(paths, name, n_jobs):
    """Feature set ``name`` ("<set>_trim", "<set>_speech") of every file of
    ``paths``, in chunks."""
    from sklearn_ser.io import load_audio_batch

    out = []
    for i in range(0, len(paths), 200):
        waves = load_audio_batch(paths[i : i + 200], sr=16000, n_jobs=n_jobs)
        tfm = feature_transformer(name, n_jobs=n_jobs)
        out.append(np.asarray(tfm.fit_transform(waves), dtype=np.float32))
    return np.vstack(out)


# ---- pitch-shifted copies (added last: the cached functions above keep their
# line numbers, so their cached matrices stay valid)
#: marks a pitch-shifted copy: "<set>@pitch<semitones>", e.g. "compare_speech@pitch+2"
PITCH = "@pitch"


def pitch_corpus_features(paths, name, *, cache_dir, n_jobs=1):
    """float32 matrix of ``"<set>@pitch<s>"`` (cached): every file of ``paths``
    pitch-shifted by ``s`` semitones (duration kept), then feature set
    ``<set>`` (for ``"<set>_speech"`` the copy is shifted first, then cut to
    its speech and normalised, as in the registered pipeline)."""
    from joblib import Memory

    base, shift = name.split(PITCH, 1)
    memory = Memory(_location(cache_dir, base), verbose=0)
    fn = memory.cache(_pitch_features, ignore=["n_jobs"])
    return np.asarray(fn([str(p) for p in paths], base, float(shift), n_jobs))


def _pitch_features(paths, base, semitones, n_jobs):
    from sklearn_ser.augment import pitch_shift
    from sklearn_ser.io import load_audio_batch

    out = []
    for i in range(0, len(paths), 200):
        waves = load_audio_batch(paths[i : i + 200], sr=16000, n_jobs=n_jobs)
        waves = [pitch_shift(y=w, semitones=semitones, sr=16000) for w in waves]
        tfm = feature_transformer(base, n_jobs=n_jobs)
        out.append(np.asarray(tfm.fit_transform(waves), dtype=np.float32))
    return np.vstack(out)


def _steps(estimator):
    """The estimators of a (nested) Pipeline, or the estimator itself."""
    if hasattr(estimator, "steps"):
        return [e for _, step in estimator.steps for e in _steps(step)]
    return [estimator]


def _location(cache_dir, name):
    """Cache folder of feature set ``name``: ``cache_dir/lib-<SHA-1>`` of the
    library code that computes it (its transformers, the decoder and the
    augmentations, with every library module they import), so cached
    matrices of another library version are never read."""
    from _cache_key import versioned

    from sklearn_ser.augment import pitch_shift, speed_perturb
    from sklearn_ser.io import load_audio_batch

    base, _ = parse_name(name.split(PITCH, 1)[0])
    classes = [type(e) for e in _steps(feature_transformer(base))]
    return versioned(
        cache_dir,
        *classes,
        load_audio_batch,
        speed_perturb,
        pitch_shift,
        packages=("opensmile",),
    )
