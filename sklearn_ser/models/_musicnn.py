"""Pre-trained music-tagging embeddings: musicnn (Pons & Serra, 2019).

musicnn is a music-tagging CNN trained on the Million Song Dataset's 50
most frequent last.fm tags (``MSD_musicnn``: rock, Mellow, chill, sad,
happy, party, ...) or on MagnaTagATune's 50 tags (``MTT_musicnn``: quiet,
soft, loud, fast, slow, ...). The package also ships the authors' VGG
baseline trained on the same tags (``MSD_vgg``, ``MTT_vgg``). Its weights are
the one pre-trained music model that installs from PyPI with the weights
inside the package, so it works offline. The package's own code is
TensorFlow-1 (``tf.compat.v1.layers``) and does not run under Keras 3;
:func:`build_musicnn` and :func:`build_musicnn_vgg` are the same networks
written in Keras 3 and :func:`load_musicnn` reads the package's TensorFlow
checkpoints into them. On a real clip their taggrams and penultimate layers equal
the original's (run with ``tf_keras``) to float precision.

Install the weights with ``pip install --no-deps musicnn==0.1.0``:
``--no-deps`` because the package's metadata pins ``numpy<1.17``, which no
current Python can install; none of its code is imported here.

The network, per 3-s patch of a 96-band log-Mel spectrogram (16 kHz, 512-point
FFT, hop 256, ``log10(1 + 10000 * power)``): batch-normalised input; a
*front end* of timbral filters (7 frames by 38 or 67 Mel bands, 204 each) and
temporal filters (128, 64 or 32 frames by 1 band, 51 each), each max-pooled
over frequency; a *mid end* of three 7-frame 1-D convolutions (64 filters,
the last two residual); a *back end* that max- and mean-pools the 753
concatenated channels over time (interleaved per channel), then a 200-unit dense layer
(``penultimate``) and the 50 tag logits.

The VGG baseline (:func:`build_musicnn_vgg`), per 3-s patch of the same
log-Mel: batch-normalised input, five blocks of a 3 x 3 convolution (128
filters, ReLU), batch normalisation and max-pooling (4 x 1 with stride 2, then
2 x 2 three times, then 4 x 4), the flattened last block (256 values,
``penultimate``) and the 50 tag logits. It takes exactly 187 frames.
"""

import importlib.util
import os
from numbers import Integral, Real
from pathlib import Path

import keras
import numpy as np
from keras import layers, ops
from sklearn.utils._param_validation import Interval, StrOptions

from ..features._base import BaseAudioTransformer

__all__ = [
    "MSD_TAGS",
    "MTT_TAGS",
    "MusicnnFeatures",
    "build_musicnn",
    "build_musicnn_vgg",
    "load_musicnn",
]

MSD_TAGS = (
    "rock", "pop", "alternative", "indie", "electronic", "female vocalists",
    "dance", "00s", "alternative rock", "jazz", "beautiful", "metal",
    "chillout", "male vocalists", "classic rock", "soul", "indie rock",
    "Mellow", "electronica", "80s", "folk", "90s", "chill", "instrumental",
    "punk", "oldies", "blues", "hard rock", "ambient", "acoustic",
    "experimental", "female vocalist", "guitar", "Hip-Hop", "70s", "party",
    "country", "easy listening", "sexy", "catchy", "funk", "electro",
    "heavy metal", "Progressive rock", "60s", "rnb", "indie pop", "sad",
    "House", "happy",
)  # fmt: skip
MTT_TAGS = (
    "guitar", "classical", "slow", "techno", "strings", "drums", "electronic",
    "rock", "fast", "piano", "ambient", "beat", "violin", "vocal", "synth",
    "female", "indian", "opera", "male", "singing", "vocals", "no vocals",
    "harpsichord", "loud", "quiet", "flute", "woman", "male vocal",
    "no vocal", "pop", "soft", "sitar", "solo", "man", "classic", "choir",
    "voice", "new age", "dance", "male voice", "female vocal", "beats", "harp",
    "cello", "no voice", "weird", "country", "metal", "female voice", "choral",
)  # fmt: skip
_TAGS = {
    "MSD_musicnn": MSD_TAGS,
    "MTT_musicnn": MTT_TAGS,
    "MSD_vgg": MSD_TAGS,
    "MTT_vgg": MTT_TAGS,
}

SR = 16000
N_FFT = 512
HOP = 256
N_MELS = 96
PATCH_FRAMES = 187  # 3 s: the length the networks were trained on
_BN_EPS = 1e-3  # tf.compat.v1.layers.batch_normalization's default
_OUTPUTS = ("taggram", "penultimate", "max_pool", "mean_pool")
_WIDTHS = {
    "musicnn": {"taggram": 50, "penultimate": 200, "max_pool": 753, "mean_pool": 753},
    "vgg": {"taggram": 50, "penultimate": 256, "max_pool": 128, "mean_pool": 128},
}


def _architecture(model):
    return model.rsplit("_", 1)[1]


def _bn(name):
    return layers.BatchNormalization(epsilon=_BN_EPS, name=name)


def _freq_max(name):
    return layers.Lambda(lambda t: ops.max(t, axis=2), name=name)


def build_musicnn(n_frames=PATCH_FRAMES, n_tags=50):
    """musicnn's network in Keras 3, untrained.

    Layer names are those of the TensorFlow-1 checkpoint (``conv2d_3``,
    ``batch_normalization_7``, ...), so :func:`load_musicnn` can fill them.

    Parameters
    ----------
    n_frames : int, default=187
        Frames per patch (187 = 3 s, as trained); the network also accepts
        other lengths.
    n_tags : int, default=50

    Returns
    -------
    model : keras.Model
        ``(batch, n_frames, 96)`` log-Mel patches -> ``[taggram (sigmoid),
        penultimate (200), max_pool (753), mean_pool (753)]``.
    """
    x = keras.Input((n_frames, N_MELS), name="logmel")
    h = layers.Reshape((n_frames, N_MELS, 1))(x)
    h = _bn("batch_normalization")(h)
    padded = layers.ZeroPadding2D(((3, 3), (0, 0)))(h)
    front = []
    # timbral filters: 7 frames by 40 % / 70 % of the Mel bands, valid in frequency
    for i, height in enumerate((int(0.4 * N_MELS), int(0.7 * N_MELS))):
        c = layers.Conv2D(
            204, (7, height), activation="relu", name="conv2d" + (f"_{i}" if i else "")
        )(padded)
        c = _bn(f"batch_normalization_{i + 1}")(c)
        front.append(_freq_max(f"timbral_{i}")(c))
    # temporal filters: 128 / 64 / 32 frames by one band, 'same' in time
    for i, length in zip((2, 3, 4), (128, 64, 32)):
        c = layers.Conv2D(
            51, (length, 1), padding="same", activation="relu", name=f"conv2d_{i}"
        )(h)
        c = _bn(f"batch_normalization_{i + 1}")(c)
        front.append(_freq_max(f"temporal_{i - 2}")(c))
    frontend = layers.Concatenate(name="frontend")(front)  # (n_frames, 561)
    mid = [frontend]
    cur = frontend
    for j, i in enumerate((5, 6, 7)):
        c = layers.ZeroPadding1D(3)(cur)
        c = layers.Conv1D(64, 7, activation="relu", name=f"conv2d_{i}")(c)
        c = _bn(f"batch_normalization_{i + 1}")(c)
        cur = c if j == 0 else layers.Add()([c, cur])
        mid.append(cur)
    features = layers.Concatenate(name="midend")(mid)  # (n_frames, 753)
    max_pool = layers.GlobalMaxPooling1D(name="max_pool")(features)
    mean_pool = layers.GlobalAveragePooling1D(name="mean_pool")(features)
    # the checkpoint's dense layer reads the two pools interleaved per
    # channel (max_0, mean_0, max_1, mean_1, ...)
    pooled = layers.Flatten()(
        layers.Concatenate(axis=-1)(
            [layers.Reshape((-1, 1))(max_pool), layers.Reshape((-1, 1))(mean_pool)]
        )
    )
    pooled = _bn("batch_normalization_9")(pooled)
    dense = layers.Dense(200, activation="relu", name="dense")(pooled)
    penultimate = _bn("batch_normalization_10")(dense)
    logits = layers.Dense(n_tags, name="dense_1")(penultimate)
    taggram = layers.Activation("sigmoid", name="taggram")(logits)
    return keras.Model(x, [taggram, penultimate, max_pool, mean_pool], name="musicnn")


def build_musicnn_vgg(n_tags=50):
    """musicnn's VGG baseline in Keras 3, untrained.

    Layer names are those of the TensorFlow-1 checkpoint (``1CNN`` ..
    ``5CNN``, ``batch_normalization_1``, ``dense``), so :func:`load_musicnn`
    can fill them.

    Parameters
    ----------
    n_tags : int, default=50

    Returns
    -------
    model : keras.Model
        ``(batch, 187, 96)`` log-Mel patches -> ``[taggram (sigmoid),
        penultimate (256: the flattened last block), max_pool (128), mean_pool
        (128)]``; the two pools are the fourth block's channels, maximum and
        mean over time and frequency.
    """
    x = keras.Input((PATCH_FRAMES, N_MELS), name="logmel")
    h = layers.Reshape((PATCH_FRAMES, N_MELS, 1))(x)
    h = _bn("batch_normalization")(h)
    pools = (((4, 1), (2, 2)), ((2, 2), (2, 2)), ((2, 2), (2, 2)), ((2, 2), (2, 2)))
    pools += (((4, 4), (4, 4)),)
    blocks = []
    for i, (size, strides) in enumerate(pools, 1):
        h = layers.Conv2D(128, 3, padding="same", activation="relu", name=f"{i}CNN")(h)
        h = _bn(f"batch_normalization_{i}")(h)
        h = layers.MaxPooling2D(size, strides, name=f"pool{i}")(h)
        blocks.append(h)
    penultimate = layers.Flatten(name="penultimate")(h)  # (2, 1, 128) -> 256
    taggram = layers.Activation("sigmoid", name="taggram")(
        layers.Dense(n_tags, name="dense")(penultimate)
    )
    max_pool = layers.GlobalMaxPooling2D(name="max_pool")(blocks[3])
    mean_pool = layers.GlobalAveragePooling2D(name="mean_pool")(blocks[3])
    return keras.Model(
        x, [taggram, penultimate, max_pool, mean_pool], name="musicnn_vgg"
    )


def _default_weights(model):
    spec = importlib.util.find_spec("musicnn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"the {model} weights come from the 'musicnn' package, which is not "
            "installed: pip install --no-deps musicnn==0.1.0 (--no-deps: its "
            "metadata pins numpy<1.17), or pass weights_path= a folder holding "
            "its TensorFlow checkpoint."
        )
    return Path(next(iter(spec.submodule_search_locations))) / model


def _read_checkpoint(folder):
    import tensorflow as tf

    folder = Path(folder).expanduser()
    # the package's checkpoints are stored with an empty file prefix
    prefix = str(folder) + os.sep
    if not Path(prefix + ".index").exists():
        raise FileNotFoundError(
            f"no musicnn checkpoint in {str(folder)!r}: expected the files "
            "'.index' and '.data-00000-of-00001' of the musicnn package's "
            f"model folders. Received: weights_path={str(folder)!r}"
        )
    reader = tf.compat.v1.train.NewCheckpointReader(prefix)
    return {
        k: reader.get_tensor(k)
        for k in reader.get_variable_to_shape_map()
        if "Adam" not in k and not k.endswith("_power")
    }


def load_musicnn(model="MSD_musicnn", weights_path=None, n_frames=PATCH_FRAMES):
    """:func:`build_musicnn` with musicnn's pre-trained weights.

    Parameters
    ----------
    model : {"MSD_musicnn", "MTT_musicnn", "MSD_vgg", "MTT_vgg"}, \
            default="MSD_musicnn"
    weights_path : str, path-like or None, default=None
        Folder of the TensorFlow checkpoint; None takes the installed
        ``musicnn`` package's folder for ``model``.
    n_frames : int, default=187
        Frames per patch; the VGG models take only 187.

    Returns
    -------
    model : keras.Model
    """
    if model not in _TAGS:
        raise ValueError(
            f"model must be one of {sorted(_TAGS)}. Received: model={model!r}"
        )
    vgg = _architecture(model) == "vgg"
    if vgg and n_frames != PATCH_FRAMES:
        raise ValueError(
            f"the VGG models flatten their last block, so they take exactly "
            f"{PATCH_FRAMES} frames. Received: n_frames={n_frames}"
        )
    folder = _default_weights(model) if weights_path is None else weights_path
    weights = _read_checkpoint(folder)
    n_tags = len(_TAGS[model])
    net = (
        build_musicnn_vgg(n_tags)
        if vgg
        else build_musicnn(n_frames=n_frames, n_tags=n_tags)
    )
    for layer in net.layers:
        name = layer.name
        if isinstance(layer, layers.BatchNormalization):
            keys = ("gamma", "beta", "moving_mean", "moving_variance")
        elif isinstance(layer, (layers.Conv2D, layers.Conv1D, layers.Dense)):
            keys = ("kernel", "bias")
        else:
            continue
        try:
            values = [weights[f"{name}/{k}"] for k in keys]
        except KeyError as exc:
            raise ValueError(
                f"the checkpoint in {str(folder)!r} has no variable {exc.args[0]!r}: "
                f"it is not a {model} checkpoint"
            ) from None
        if isinstance(layer, layers.Conv1D):  # stored as (7, channels, 1, filters)
            values[0] = values[0][:, :, 0, :]
        layer.set_weights(values)
    return net


_CACHE = {}
_CLIPS_PER_PASS = 32


def _cached_model(model, weights_path):
    key = (model, None if weights_path is None else os.fspath(weights_path))
    if key not in _CACHE:
        _CACHE[key] = load_musicnn(model, weights_path)
    return _CACHE[key]


def musicnn_logmel(y):
    """(n_frames, 96) float32 log-Mel of a 16-kHz waveform, as musicnn was trained on.

    librosa's Mel power spectrogram, then ``log10(1 + 10000 * power)`` in
    float32 (the package computes it in float16, which overflows to inf on
    loud music).
    """
    import librosa

    S = librosa.feature.melspectrogram(
        y=np.asarray(y, np.float32), sr=SR, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS
    )
    return np.log10(1.0 + 10000.0 * S.T.astype(np.float32))


def _patches(S, hop_frames):
    """Cut (n_frames, 96) into (n_patches, 187, 96).

    Patches start every ``hop_frames``; when the last one stops short of the
    clip's end, one more patch is aligned to the end, so every frame is seen.
    A clip shorter than one patch is zero-padded to one.
    """
    if S.shape[0] < PATCH_FRAMES:
        S = np.pad(S, ((0, PATCH_FRAMES - S.shape[0]), (0, 0)))
    last = S.shape[0] - PATCH_FRAMES
    starts = np.arange(0, last + 1, hop_frames)
    if starts[-1] != last:
        starts = np.append(starts, last)
    idx = starts[:, None] + np.arange(PATCH_FRAMES)
    return S[idx]


class MusicnnFeatures(BaseAudioTransformer):
    """Pooled embeddings of the pre-trained musicnn music-tagging network.

    Each clip is cut into 3-s patches of musicnn's log-Mel spectrogram; the
    chosen ``outputs`` of every patch are computed and pooled over the clip
    (mean and standard deviation by default). No training: the network is
    frozen, a classifier follows in a Pipeline. Needs librosa and musicnn's
    weights (``pip install --no-deps musicnn==0.1.0``; see
    :mod:`sklearn_ser.models._musicnn`).

    On the MER four-quadrant corpus, see ``benchmarks/mer_systems.py``:
    systems ``lr-musicnn`` (both musicnn taggers, four outputs each) and
    ``lr-musicnn-vgg`` (plus both VGG taggers), against the hand-crafted
    ``svm-select-tonal``; the README's MER table has their figures.

    Parameters
    ----------
    model : {"MSD_musicnn", "MTT_musicnn", "MSD_vgg", "MTT_vgg"}, \
            default="MSD_musicnn"
        Million Song Dataset tags (genres and moods: sad, happy, Mellow,
        chill, party, ...) or MagnaTagATune tags (instruments, quiet / loud,
        slow / fast, ...), each learnt by musicnn or by the authors' VGG
        baseline (:func:`build_musicnn_vgg`).
    outputs : tuple of str, default=("taggram", "penultimate")
        Layers to pool, among "taggram" (the 50 tag probabilities),
        "penultimate" (the layer under the tags: 200 units for musicnn, the
        256 flattened values of VGG's last block), "max_pool" and
        "mean_pool" (musicnn: the 753 back-end channels' maximum or mean over
        time; VGG: the fourth block's 128 channels' maximum or mean over time
        and frequency).
    pooling : {"mean", "mean_std"}, default="mean_std"
        Statistics over a clip's patches.
    hop_seconds : float or None, default=None
        Step between patch starts; None = one patch length (187 frames,
        2.99 s: non-overlapping patches). When the last patch stops short
        of the clip's end, one more patch is aligned to the end, so no audio
        is left out (on a 30-s clip, ten patches and an eleventh covering the
        last 0.14 s).
    weights_path : str, path-like or None, default=None
        Folder of a musicnn TensorFlow checkpoint; None takes the installed
        package's.
    batch_size : int, default=16
        Patches per forward pass. The front end's activations take tens of MB
        per patch: 50 MER clips (500 patches) peaked at 1.8 GB of memory with
        16 and at 3.8 GB with 64, and 16 was faster too (17 s against 21 s).
        Clips are embedded 32 at a time, so the spectrograms in memory do
        not grow with the number of clips.
    sr : int, default=16000
        Must be 16000, the rate the network was trained at; paths are
        resampled to it.
    n_jobs, memory, verbose
        As in :class:`sklearn_ser.features.MFCC` (``n_jobs``: threads that
        decode files and compute spectrograms).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.models import MusicnnFeatures
    >>> noise = np.random.default_rng(0).normal(0, 0.1, 16000 * 6).astype(np.float32)
    >>> feats = MusicnnFeatures(outputs=("taggram",))  # doctest: +SKIP
    >>> feats.fit_transform([noise]).shape  # doctest: +SKIP
    (1, 100)
    """

    _parameter_constraints = {
        "model": [StrOptions(set(_TAGS))],
        "outputs": [tuple, list],
        "pooling": [StrOptions({"mean", "mean_std"})],
        "hop_seconds": [None, Interval(Real, 0, None, closed="neither")],
        "weights_path": [None, str, os.PathLike],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        **BaseAudioTransformer._parameter_constraints,
    }

    def __init__(
        self,
        *,
        model="MSD_musicnn",
        outputs=("taggram", "penultimate"),
        pooling="mean_std",
        hop_seconds=None,
        weights_path=None,
        batch_size=16,
        sr=SR,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.model = model
        self.outputs = outputs
        self.pooling = pooling
        self.hop_seconds = hop_seconds
        self.weights_path = weights_path
        self.batch_size = batch_size
        self.sr = sr
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _check_params(self):
        if self.sr != SR:
            raise ValueError(
                f"musicnn was trained on {SR}-Hz audio; sr must be {SR} "
                f"(paths are resampled to it). Received: sr={self.sr}"
            )
        bad = [o for o in self.outputs if o not in _OUTPUTS]
        if bad or not len(self.outputs) or len(set(self.outputs)) != len(self.outputs):
            raise ValueError(
                f"outputs must be distinct names among {list(_OUTPUTS)}. "
                f"Received: outputs={self.outputs!r}"
            )

    def _transform_waveforms(self, waves):
        hop_frames = (
            PATCH_FRAMES
            if self.hop_seconds is None
            else max(1, int(round(self.hop_seconds * SR / HOP)))
        )
        if not len(waves):
            return np.zeros((0, len(self.get_feature_names_out())), np.float32)
        net = _cached_model(self.model, self.weights_path)
        rows = [
            self._embed(net, waves[i : i + _CLIPS_PER_PASS], hop_frames)
            for i in range(0, len(waves), _CLIPS_PER_PASS)
        ]
        return np.vstack(rows).astype(np.float32)

    def _embed(self, net, waves, hop_frames):
        from joblib import Parallel, delayed

        specs = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(musicnn_logmel)(w) for w in waves
        )
        patches = [_patches(S, hop_frames) for S in specs]
        out = net.predict(
            np.concatenate(patches), batch_size=self.batch_size, verbose=0
        )
        out = dict(zip(_OUTPUTS, (np.asarray(o, np.float32) for o in out)))
        bounds = np.cumsum([0] + [len(p) for p in patches])
        rows = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            cols = []
            for name in self.outputs:
                block = out[name][a:b]
                cols.append(block.mean(axis=0))
                if self.pooling == "mean_std":
                    cols.append(block.std(axis=0))
            rows.append(np.concatenate(cols))
        return np.vstack(rows)

    def get_feature_names_out(self, input_features=None):
        """``musicnn_<tag>_mean`` / ``musicnn_penultimate17_std`` and so on
        (``musicnn_vgg_...`` for the VGG models)."""
        stats = ("mean", "std") if self.pooling == "mean_std" else ("mean",)
        arch = _architecture(self.model)
        prefix = "musicnn_" if arch == "musicnn" else "musicnn_vgg_"
        names = []
        for name in self.outputs:
            units = (
                [t.replace(" ", "_") for t in _TAGS[self.model]]
                if name == "taggram"
                else [f"{name}{i}" for i in range(_WIDTHS[arch][name])]
            )
            for s in stats:
                names += [f"{prefix}{u}_{s}" for u in units]
        return np.asarray(names, dtype=object)
