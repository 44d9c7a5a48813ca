"""musicnn embeddings of the MER 4Q clips for the ``*-musicnn*`` systems, cached.

:class:`sklearn_ser.models.MusicnnFeatures` of each clip for the four
pre-trained taggers: musicnn and its VGG baseline, each trained on the Million
Song Dataset's tags (``MSD_musicnn``, ``MSD_vgg``) and on MagnaTagATune's
(``MTT_musicnn``, ``MTT_vgg``). Every output (50 tag probabilities, the
penultimate layer, the max- and mean-pooled channels) is pooled over the
clip's 3-s patches by mean and standard deviation: 2 x 2 x 1756 = 7024
musicnn columns, then 2 x 2 x 562 = 2248 VGG columns. Cached with
:class:`joblib.Memory` in chunks of clips under the benchmark's cache folder,
keyed by a hash of the library code behind them (``MusicnnFeatures``, the
decoder and every library module they import; a change to the network or its
input invalidates it).
"""

import numpy as np

SR = 16000
MODELS = ("MSD_musicnn", "MTT_musicnn", "MSD_vgg", "MTT_vgg")
_OUTPUTS = ("taggram", "penultimate", "max_pool", "mean_pool")
_CHUNK = 50


def width(model):
    """Columns of ``model`` in a chunk: mean and std of every output (3512 for
    musicnn, 1124 for VGG), as :class:`MusicnnFeatures` names them."""
    from sklearn_ser.models import MusicnnFeatures

    return len(MusicnnFeatures(model=model, outputs=_OUTPUTS).get_feature_names_out())


def code_version():
    """SHA-1 of the library code behind the embeddings (part of the cache key)."""
    from _cache_key import source_version

    from sklearn_ser.io import load_audio, resample
    from sklearn_ser.models import MusicnnFeatures

    return source_version(MusicnnFeatures, load_audio, resample, packages=("librosa",))


def _decode(path):
    """48 kHz without clipping, polyphase resampling to 16 kHz, then clipping
    to [-1, 1], as ``_mer_features`` decodes (its summary reports the lossy
    decoder's overshoot once)."""
    from sklearn_ser.io import load_audio, resample

    y48 = load_audio(path, sr=None, clip=False)
    return np.clip(resample(y48, 48000, SR), -1.0, 1.0).astype(np.float32)


def chunk_musicnn(paths, version=None, n_jobs=1):
    """(len(paths), 9272) float32 for a chunk of clips, the models in
    :data:`MODELS`' order; ``version`` keys the cache."""
    from joblib import Parallel, delayed

    from sklearn_ser.models import MusicnnFeatures

    waves = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_decode)(p) for p in paths
    )
    blocks = [
        MusicnnFeatures(model=m, outputs=_OUTPUTS, n_jobs=n_jobs).fit_transform(waves)
        for m in MODELS
    ]
    return np.hstack(blocks).astype(np.float32)


def musicnn_features(paths, cache_dir, *, models=MODELS, n_jobs=1, verbose=0):
    """(n, columns of ``models``) float32: :func:`chunk_musicnn` over chunks of
    50 clips (cached), then the columns of the chosen models, in their order."""
    from joblib import Memory

    from sklearn_ser.utils._progress import progress

    cached = Memory(cache_dir, verbose=0).cache(chunk_musicnn, ignore=["n_jobs"])
    version = code_version()
    paths = [str(p) for p in paths]
    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    rows = [
        cached(c, version, n_jobs=n_jobs)
        for c in progress(chunks, verbose=verbose, desc="musicnn (chunks of 50 clips)")
    ]
    full = np.vstack(rows).astype(np.float32)
    bounds = np.cumsum([0] + [width(m) for m in MODELS])
    spans = {m: slice(a, b) for m, a, b in zip(MODELS, bounds[:-1], bounds[1:])}
    return np.hstack([full[:, spans[m]] for m in models])
