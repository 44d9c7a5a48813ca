"""EmotionUnet (S2): a U-Net of Conv1D modules over STFT spectrogram frames.

Görmez, "EmotionUnet: Konuşma Duygu Tanıma için U-Net Tabanlı Özgün Derin
Öğrenme Modeli", AJIT-e 16(3), 2025.
"""

import keras
import numpy as np
from keras import layers

from sklearn.utils._param_validation import StrOptions

from ..utils._validation import POSITIVE_INT, check_params
from ._base import BaseSERClassifier

__all__ = [
    "EMOTIONUNET_PAPER_PARAMS",
    "EMOTIONUNET_SEARCH_SPACE",
    "EmotionUnet",
    "build_emotionunet",
    "emotionunet_search_space",
]

_FILTERS = tuple(f"filters_{i}" for i in range(1, 7))

# S2, table 2: best hyper-parameters found by gp_minimize per dataset.
_PAPER_COLUMNS = ("learning_rate", "epochs", "batch_size", *_FILTERS, "dense_units")
_PAPER_TABLE = {
    "TurEV-DB": (0.000232, 100, 16, 256, 106, 256, 196, 18, 256, 764),
    "ANAD": (0.0001208, 52, 4, 128, 39, 57, 93, 203, 169, 596),
    "BanglaSER": (0.0001, 85, 8, 68, 16, 256, 256, 256, 256, 794),
    "TESS": (0.0011830, 29, 16, 34, 242, 194, 124, 116, 186, 864),
}
EMOTIONUNET_PAPER_PARAMS = {
    corpus: dict(zip(_PAPER_COLUMNS, row)) for corpus, row in _PAPER_TABLE.items()
}
"""S2's best hyper-parameters per dataset (``EmotionUnet(**params)``)."""


def emotionunet_search_space(prefix=""):
    """S2's Bayesian-optimisation search space as a skopt dimension dict.

    Parameters
    ----------
    prefix : str, default=""
        Prepended to every key, e.g. ``"emotionunet__"`` to search the
        classifier inside a Pipeline.

    Returns
    -------
    space : dict of str to skopt.space.Dimension
        ``learning_rate`` Real(1e-4, 1e-1, log-uniform), ``epochs``
        Integer(5, 100), ``batch_size`` Categorical(1, 2, 4, ..., 128),
        ``filters_1`` .. ``filters_6`` Integer(16, 256), ``dense_units``
        Integer(100, 1500); ready for ``skopt.BayesSearchCV(search_spaces=...)``.
    """
    from skopt.space import Categorical, Integer, Real

    space = {
        "learning_rate": Real(1e-4, 1e-1, prior="log-uniform"),
        "epochs": Integer(5, 100),
        "batch_size": Categorical([1, 2, 4, 8, 16, 32, 64, 128]),
        **{name: Integer(16, 256) for name in _FILTERS},
        "dense_units": Integer(100, 1500),
    }
    return {prefix + k: v for k, v in space.items()}


def __getattr__(name):
    # EMOTIONUNET_SEARCH_SPACE, S2's search space for ``BayesSearchCV`` (keys
    # without a Pipeline prefix; use emotionunet_search_space(prefix=...)
    # inside a Pipeline), is built on first use: importing skopt would
    # otherwise add to the start-up of every command that loads a Keras model.
    if name == "EMOTIONUNET_SEARCH_SPACE":
        space = globals()[name] = emotionunet_search_space()
        return space
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _channel_stats(X):
    """Per-channel mean and variance of a batch, as :func:`build_emotionunet` sees it.

    Parameters
    ----------
    X : array-like of shape (n, n_features), (n, frames, bins) or (n, frames, bins, c)
        Read like ``build_emotionunet``'s input: ``(n, steps, channels)``
        with ``channels`` 1, ``bins`` or ``bins * c``.

    Returns
    -------
    mean, variance : ndarray of shape (channels,)
        Statistics over samples and frames (float64 accumulation); a
        channel that is constant in ``X`` gets variance 1.
    """
    X = np.asarray(X)
    if X.ndim < 2:
        raise ValueError(
            f"X must have at least 2 dimensions. Received: X.shape={X.shape}"
        )
    channels = 1 if X.ndim == 2 else int(np.prod(X.shape[2:]))
    flat = X.reshape(-1, channels)
    step = max(1, 2**22 // channels)  # two passes over ~32 MB float64 chunks
    chunks = range(0, flat.shape[0], step)
    total = sum(flat[i : i + step].sum(axis=0, dtype=np.float64) for i in chunks)
    mean = total / flat.shape[0]
    variance = (
        sum(
            np.square(flat[i : i + step].astype(np.float64) - mean).sum(axis=0)
            for i in chunks
        )
        / flat.shape[0]
    )
    variance[~(variance > 0)] = 1.0
    return mean.astype(np.float32), variance.astype(np.float32)


def _module(x, filters, kernel_size, name, bn_momentum):
    x = layers.Conv1D(
        filters, kernel_size, padding="same", activation="relu", name=f"{name}_conv"
    )(x)
    return layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn")(x)


_CONSTRAINTS = {
    **{name: [POSITIVE_INT] for name in ("n_classes", *_FILTERS, "dense_units")},
    "head": [StrOptions({"flatten", "global_average"})],
    "input_norm": [StrOptions({"standardize", "batch"}), None],
}


def build_emotionunet(
    input_shape,
    n_classes,
    *,
    filters_1=34,
    filters_2=242,
    filters_3=194,
    filters_4=124,
    filters_5=116,
    filters_6=186,
    dense_units=864,
    contracting_kernel_size=7,
    expansive_kernel_size=5,
    head="flatten",
    bn_momentum=0.9,
    input_norm="standardize",
    input_mean=None,
    input_variance=None,
):
    """Build the (uncompiled) EmotionUnet of S2.

    Layout, for an input of ``T`` frames × ``F`` frequency bins (the STFT
    spectrogram with time on the first axis; the bins are the Conv1D
    channels, the convolutions run along time)::

        x = InputNorm(input)                                  # T x F
        contract_1 = Module(filters_1, k=7)(x)                # T x f1
        contract_2 = Module(filters_2, k=7)(contract_1)       # T x f2
        contract_3 = Module(filters_3, k=7)(contract_2)       # T x f3
        skip_4 = Concatenate([Module(filters_4, k=5)(contract_3), contract_3])
        skip_5 = Concatenate([Module(filters_5, k=5)(skip_4),     contract_2])
        skip_6 = Concatenate([Module(filters_6, k=5)(skip_5),     contract_1])
        Flatten -> Dense(dense_units, relu) -> Dense(n_classes, softmax)

    where ``Module(f, k)`` is ``Conv1D(f, k, padding="same",
    activation="relu")`` followed by ``BatchNormalization()`` (the paper's
    "CNN module"; other arguments are Keras defaults). The expansive
    modules 4, 5, 6 mirror the contracting modules 3, 2, 1: the output of
    each expansive module is concatenated (U-Net style, along channels) with
    the output of its mirror and fed to the next module. The paper mentions
    no pooling or up-sampling, so none is used: every module keeps the time
    resolution and "contracting"/"expanding" refer to the filter counts
    chosen by the search. The fully connected layer reads the flattened
    feature map (``head="flatten"``, the paper's FLC after the CNN);
    ``head="global_average"`` averages over time instead (much smaller, not
    in the paper). The flattened map has ``T * (filters_6 + filters_1)``
    values, so the dense layer's size grows with the number of frames: with
    S2's TESS values, 63 frames (2 s at a 32 ms hop) give 12M weights,
    301 frames (3 s at 10 ms) 57M.

    ``InputNorm`` is not in the paper, which does not say how the
    spectrogram is scaled: ``input_norm="standardize"`` (default) maps each
    input channel (frequency bin) to zero mean and unit variance with fixed
    training-set statistics (``input_mean``, ``input_variance``; the
    classifier computes them at ``fit``), so dB spectrograms (about -80 to
    +40) and linear magnitudes both reach the first convolution at unit
    scale (raw dB input trains more slowly, see
    ``benchmarks/results/network_notes.md``). ``"batch"`` uses a
    BatchNormalization layer instead, ``None`` no scaling.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample: ``(frames, bins)``; ``(n_features,)`` is read as
        ``n_features`` steps of one channel and ``(frames, bins, channels)``
        is reshaped to ``(frames, bins * channels)``.
    n_classes : int
        Number of output classes (softmax units).
    filters_1, ..., filters_6 : int
        Filters of the six modules (paper defaults: S2's TESS values).
    dense_units : int, default=864
        Units of the fully connected ReLU layer.
    contracting_kernel_size : int, default=7
    expansive_kernel_size : int, default=5
    head : {"flatten", "global_average"}, default="flatten"
    bn_momentum : float, default=0.9
        Momentum of the BatchNormalization moving statistics (the paper
        does not give it; Keras' default is 0.99). 0.99 averages over about
        100 steps, roughly one TESS epoch at batch 16, so the statistics used
        for validation and inference lag behind the weights during the
        first epochs: the validation loss jumps around, and early stopping
        and ReduceLROnPlateau react to noise. 0.9 follows within ~10 steps.
    input_norm : {"standardize", "batch", None}, default="standardize"
        Scaling of the input channels, see above.
    input_mean, input_variance : array-like of shape (channels,) or None
        Statistics for ``input_norm="standardize"`` (``channels`` = ``bins``,
        ``bins * channels`` or 1, as the model reads the input). ``None``
        leaves the ``input_norm`` layer to ``model.get_layer("input_norm")
        .adapt(X)`` (until then it is the identity).

    Returns
    -------
    model : keras.Model
        Uncompiled model named ``"emotionunet"``; layers are named
        ``input_norm`` (unless ``input_norm=None``),
        ``contract_{1,2,3}_{conv,bn}``, ``expand_{4,5,6}_{conv,bn}``,
        ``skip_{4,5,6}``, ``flatten``, ``dense``, ``output``.
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) not in (1, 2, 3) or min(input_shape) < 1:
        raise ValueError(
            "input_shape must be (n_features,), (frames, bins) or "
            f"(frames, bins, channels). Received: input_shape={input_shape}"
        )
    filters = (filters_1, filters_2, filters_3, filters_4, filters_5, filters_6)
    check_params(
        {
            "n_classes": n_classes,
            **dict(zip(_FILTERS, filters)),
            "dense_units": dense_units,
            "head": head,
            "input_norm": input_norm,
        },
        _CONSTRAINTS,
    )

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 1:
        x = layers.Reshape((input_shape[0], 1), name="as_sequence")(x)
    elif len(input_shape) == 3:
        x = layers.Reshape(
            (input_shape[0], input_shape[1] * input_shape[2]), name="as_sequence"
        )(x)
    if input_norm == "standardize":
        x = layers.Normalization(
            axis=-1, mean=input_mean, variance=input_variance, name="input_norm"
        )(x)
    elif input_norm == "batch":
        x = layers.BatchNormalization(momentum=bn_momentum, name="input_norm")(x)

    contract = []
    for i in range(3):
        x = _module(
            x, filters[i], contracting_kernel_size, f"contract_{i + 1}", bn_momentum
        )
        contract.append(x)
    for i in range(3, 6):
        mirror = contract[5 - i]
        y = _module(
            x, filters[i], expansive_kernel_size, f"expand_{i + 1}", bn_momentum
        )
        x = layers.Concatenate(axis=-1, name=f"skip_{i + 1}")([y, mirror])

    if head == "flatten":
        x = layers.Flatten(name="flatten")(x)
    else:
        x = layers.GlobalAveragePooling1D(name="flatten")(x)
    x = layers.Dense(dense_units, activation="relu", name="dense")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="emotionunet")


class EmotionUnet(BaseSERClassifier):
    """EmotionUnet (S2) as a scikit-learn classifier.

    A U-Net of six Conv1D + BatchNorm modules over spectrogram frames, one
    dense ReLU layer and a softmax (see :func:`build_emotionunet` for the
    exact layout and the choices the paper leaves open). Defaults are S2's
    best values for TESS; :data:`EMOTIONUNET_PAPER_PARAMS` holds the four
    datasets' values and :func:`emotionunet_search_space` the paper's
    ``BayesSearchCV`` space. The paper trains with
    ``ReduceLROnPlateau(factor=0.5, patience=2)`` and
    ``EarlyStopping(patience=6)`` on a validation set: pass
    ``reduce_lr_patience=2, early_stopping_patience=6`` with
    ``validation_split`` or ``validation_data``.

    Configuration that reproduces S2 on TESS (the ``stft-emotionunet``
    registry pipeline, see :func:`sklearn_ser.pipelines.get_pipeline`):
    ``STFT(n_fft=512, win_length=None, hop_length=512, duration=2.0)`` (dB,
    63 frames x 257 bins) -> ``EmotionUnet(reduce_lr_patience=2,
    early_stopping_patience=6)`` with these defaults, trained on 65% of the
    files with 10% as validation data, tested on the random 25% rest
    (results: ``benchmarks/results/paper_s2-emotionunet-tess_paper.md``;
    ``benchmarks/paper_systems.py`` reproduces them). The paper leaves the STFT
    parameters, the input scaling and the BatchNorm momentum open; the
    defaults ``input_norm="standardize"`` and ``bn_momentum=0.9`` are our
    choices (see :func:`build_emotionunet`).

    Parameters
    ----------
    filters_1, ..., filters_6 : int, default=34, 242, 194, 124, 116, 186
        Filters of the contracting (1-3, kernel 7) and expansive (4-6,
        kernel 5) modules.
    dense_units : int, default=864
        Units of the fully connected layer.
    head : {"flatten", "global_average"}, default="flatten"
        How the last feature map reaches the dense layer.
    bn_momentum : float, default=0.9
        BatchNormalization momentum (see :func:`build_emotionunet`).
    input_norm : {"standardize", "batch", None}, default="standardize"
        ``"standardize"``: each input channel (frequency bin) is scaled to
        zero mean and unit variance with statistics of the training data,
        computed whenever ``fit`` builds a new network and stored in the
        model's ``input_norm`` layer (not re-estimated by ``warm_start``).
        ``"batch"``: a BatchNormalization layer; ``None``: raw input.
    learning_rate : float, default=0.001183
    epochs : int, default=29
    batch_size : int, default=16
    **common
        Any parameter of :class:`BaseSERClassifier` (``random_state``,
        ``verbose``, ``validation_split``, ``validation_data``,
        ``reduce_lr_patience``, ``early_stopping_patience``, ``callbacks``,
        ``class_weight``, ``init_from``, ``freeze``, ...).

    Attributes
    ----------
    model_, history_, classes_, n_classes_, n_epochs_ :
        See :class:`BaseSERClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.models import EmotionUnet
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 16, 8)).astype("float32")  # (n, frames, bins)
    >>> y = np.repeat(["angry", "sad"], 20)
    >>> X[y == "angry"] += 1.0
    >>> clf = EmotionUnet(filters_1=4, filters_2=4, filters_3=4, filters_4=4,
    ...                   filters_5=4, filters_6=4, dense_units=8, epochs=3,
    ...                   random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _builder = staticmethod(build_emotionunet)

    def __init__(
        self,
        *,
        filters_1=34,
        filters_2=242,
        filters_3=194,
        filters_4=124,
        filters_5=116,
        filters_6=186,
        dense_units=864,
        head="flatten",
        bn_momentum=0.9,
        input_norm="standardize",
        learning_rate=0.001183,
        epochs=29,
        batch_size=16,
        **common,
    ):
        self.filters_1 = filters_1
        self.filters_2 = filters_2
        self.filters_3 = filters_3
        self.filters_4 = filters_4
        self.filters_5 = filters_5
        self.filters_6 = filters_6
        self.dense_units = dense_units
        self.head = head
        self.bn_momentum = bn_momentum
        self.input_norm = input_norm
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )

    def _initialize(self, X, y=None):
        # Called by fit / partial_fit / initialize whenever a new model is
        # built: the input statistics come from the training data.
        self._input_stats = (
            _channel_stats(X) if self.input_norm == "standardize" else None
        )
        try:
            return super()._initialize(X, y)
        finally:
            del self._input_stats

    def _builder_kwargs(self):
        kwargs = super()._builder_kwargs()
        stats = getattr(self, "_input_stats", None)
        if stats is not None:
            kwargs["input_mean"], kwargs["input_variance"] = stats
        return kwargs
