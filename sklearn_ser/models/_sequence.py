"""S1's CNN + sequence-head network (one view).

Array layout: a clip is a sequence of ``T`` time steps; each step is an
image-like window ``(height, width)`` or ``(height, width, channels)`` (S1's
audio: 9 overlapping windows of 40 MFCC frames x 40 coefficients, i.e. one
clip = ``(9, 40, 40)`` from :class:`sklearn_ser.features.SlidingWindows`;
S1's video: 50 face crops of 64x64), or a feature vector ``(n_features,)``.
A batch is ``(n_samples, T, ...)``.

Per time step (shared weights, ``TimeDistributed``): ``n_conv`` x [Conv2D
``conv_filters`` -> BatchNorm -> ReLU -> MaxPool 2x2] -> flatten -> linear
layer (``linear_units``, no activation). The sequence of step vectors then
goes through a head:

- ``"gru"``: GRU(``gru_units``), last time step;
- ``"lstm"``: LSTM(``lstm_units``), last time step;
- ``"transformer"``: one Transformer encoder block (token embedding
  ``embed_dim``, feed-forward ``ff_dim``, ``num_heads`` heads), then global
  max pooling over time;
- ``"maxpool"``: max pooling over time (no sequence model).

and the classifier: dense 128 -> dense 64 -> softmax (``dense_units``).
S1's training: Adam, lr 1e-4, batch 16, 15 epochs with early stopping.

The two-view network built from the same branches is in
:mod:`sklearn_ser.models._fusion`; the multi-view ``X`` plumbing in
:mod:`sklearn_ser.models._views`.
"""

import keras
from keras import layers

from sklearn.utils._param_validation import StrOptions

from ..utils._moved import moved_names
from ..utils._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    UNIT_INTERVAL_RIGHT_OPEN,
    check_each,
    check_params,
)
from ._base import BaseSERClassifier

__all__ = ["SequenceCNN", "build_sequence_cnn"]

# Classes that lived here in sklearn-ser 0.1: model files saved then name
# this module (see sklearn_ser/utils/_moved.py).
__getattr__ = moved_names(
    __name__,
    {
        "FusionClassifier": "sklearn_ser.models._fusion",
        "ViewArray": "sklearn_ser.models._views",
        "ViewStack": "sklearn_ser.models._views",
    },
)


_HEADS = ("gru", "lstm", "transformer", "maxpool")


# --------------------------------------------------------------------------- #
# building blocks (shared with the fusion network)
# --------------------------------------------------------------------------- #
# Hyper-parameters of one branch, checked by both builders.
_BRANCH_CONSTRAINTS = {
    "head": [StrOptions(set(_HEADS))],
    "conv_filters": [POSITIVE_INT],
    "n_conv": [NON_NEGATIVE_INT],
    "kernel_size": [POSITIVE_INT],
    "linear_units": [POSITIVE_INT],
    "gru_units": [POSITIVE_INT],
    "lstm_units": [POSITIVE_INT],
    "embed_dim": [POSITIVE_INT],
    "ff_dim": [POSITIVE_INT],
    "num_heads": [POSITIVE_INT],
    "dropout": [UNIT_INTERVAL_RIGHT_OPEN],
}


def _branch_params(arguments):
    """The branch hyper-parameters among a builder's ``arguments``, checked.

    ``arguments`` is the builder's ``locals()`` on entry, i.e. its arguments;
    the branch takes those named in ``_BRANCH_CONSTRAINTS``.
    """
    params = {name: arguments[name] for name in _BRANCH_CONSTRAINTS}
    check_params(params, _BRANCH_CONSTRAINTS)
    embed_dim, num_heads = params["embed_dim"], params["num_heads"]
    if params["head"] == "transformer" and embed_dim % num_heads:
        raise ValueError(
            "embed_dim must be divisible by num_heads. "
            f"Received: embed_dim={embed_dim}, num_heads={num_heads}"
        )
    return params


def _transformer_block(x, prefix, embed_dim, ff_dim, num_heads, dropout):
    attn = layers.MultiHeadAttention(
        num_heads=num_heads,
        key_dim=embed_dim // num_heads,
        dropout=dropout,
        name=f"{prefix}mha",
    )(x, x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{prefix}ln1")(
        layers.Add(name=f"{prefix}res1")([x, attn])
    )
    ff = layers.Dense(ff_dim, activation="relu", name=f"{prefix}ff1")(x)
    ff = layers.Dense(embed_dim, name=f"{prefix}ff2")(ff)
    if dropout:
        ff = layers.Dropout(dropout, name=f"{prefix}ff_drop")(ff)
    return layers.LayerNormalization(epsilon=1e-6, name=f"{prefix}ln2")(
        layers.Add(name=f"{prefix}res2")([x, ff])
    )


def _branch(
    x,
    step_shape,
    prefix,
    *,
    head,
    conv_filters,
    n_conv,
    kernel_size,
    linear_units,
    gru_units,
    lstm_units,
    embed_dim,
    ff_dim,
    num_heads,
    dropout,
):
    """One modality: per-step CNN + linear, then the sequence head -> vector."""
    td = layers.TimeDistributed
    step_shape = tuple(int(d) for d in step_shape)
    if len(step_shape) == 2:
        x = layers.Reshape((-1, *step_shape, 1), name=f"{prefix}add_channel")(x)
        step_shape = (*step_shape, 1)
    if len(step_shape) == 3:
        size = list(step_shape[:2])
        for i in range(1, n_conv + 1):
            if min(size) < 2:
                raise ValueError(
                    f"Time-step windows of shape {step_shape[:2]} are too small "
                    f"for {n_conv} conv/max-pool layers (each halves the size). "
                    f"Received: n_conv={n_conv}"
                )
            x = td(
                layers.Conv2D(conv_filters, kernel_size, padding="same"),
                name=f"{prefix}conv{i}",
            )(x)
            x = td(layers.BatchNormalization(), name=f"{prefix}bn{i}")(x)
            x = td(layers.ReLU(), name=f"{prefix}relu{i}")(x)
            x = td(layers.MaxPooling2D(2), name=f"{prefix}pool{i}")(x)
            size = [s // 2 for s in size]
        x = td(layers.Flatten(), name=f"{prefix}flatten")(x)
    elif len(step_shape) != 1:
        raise ValueError(
            "Each time step must be a vector (n_features,), a window (height, "
            "width) or (height, width, channels). "
            f"Received: time-step shape {step_shape}"
        )
    x = td(layers.Dense(linear_units), name=f"{prefix}linear")(x)
    if head == "gru":
        return layers.GRU(gru_units, name=f"{prefix}gru")(x)
    if head == "lstm":
        return layers.LSTM(lstm_units, name=f"{prefix}lstm")(x)
    if head == "transformer":
        if linear_units != embed_dim:
            x = layers.Dense(embed_dim, name=f"{prefix}embed")(x)
        x = _transformer_block(
            x, f"{prefix}transformer_", embed_dim, ff_dim, num_heads, dropout
        )
        return layers.GlobalMaxPooling1D(name=f"{prefix}global_maxpool")(x)
    return layers.GlobalMaxPooling1D(name=f"{prefix}time_maxpool")(x)


def _classifier_head(x, dense_units, n_classes, dropout):
    check_each("dense_units", dense_units, POSITIVE_INT)
    for i, units in enumerate(dense_units, start=1):
        x = layers.Dense(int(units), activation="relu", name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dense{i}_drop")(x)
    return layers.Dense(n_classes, activation="softmax", name="predictions")(x)


def build_sequence_cnn(
    input_shape=(9, 40, 40),
    n_classes=6,
    *,
    head="gru",
    conv_filters=32,
    n_conv=3,
    kernel_size=3,
    linear_units=64,
    gru_units=128,
    lstm_units=128,
    embed_dim=64,
    ff_dim=64,
    num_heads=4,
    dense_units=(128, 64),
    dropout=0.0,
):
    """S1's per-time-step CNN followed by a sequence head.

    Parameters
    ----------
    input_shape : tuple of int, default=(9, 40, 40)
        ``(T, height, width)``, ``(T, height, width, channels)`` or
        ``(T, n_features)`` (the last skips the CNN). S1's audio clip is
        ``(9, 40, 40)``.
    n_classes : int, default=6
    head : {"gru", "lstm", "transformer", "maxpool"}, default="gru"
        Sequence model over the time steps (see the module docstring).
    conv_filters : int, default=32
        Filters of every convolution (S1: 32).
    n_conv : int, default=3
        Number of Conv -> BatchNorm -> ReLU -> MaxPool(2x2) layers (S1: 3).
    kernel_size : int, default=3
        Convolution kernel size (not given by S1; 3x3, "same" padding).
    linear_units : int, default=64
        Width of the per-step linear layer (not given by S1; 64 = the
        Transformer's token embedding, the only size S1 states for it). With
        the ``"transformer"`` head a ``Dense(embed_dim)`` projection is added
        when ``linear_units != embed_dim``.
    gru_units, lstm_units : int, default=128
        Hidden size of the GRU / LSTM head (S1: 128).
    embed_dim, ff_dim, num_heads : int, default=64, 64, 4
        Transformer block (S1: 64, 64, 4). Multi-head attention with
        ``key_dim = embed_dim // num_heads``, residual connections and layer
        normalisation (post-norm); no positional encoding (S1 mentions none).
    dense_units : tuple of int, default=(128, 64)
        Hidden dense layers of the classifier (S1: 128, 64).
    dropout : float, default=0.0
        Dropout in the Transformer block and after each dense layer (S1 does
        not mention any).

    Returns
    -------
    model : keras.Model
        Uncompiled model named ``"sequence_cnn_<head>"``.
    """
    branch = _branch_params(locals())
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) < 2:
        raise ValueError(
            "SequenceCNN expects samples of shape (T, ...) with a time axis. "
            f"Received: input_shape={input_shape}"
        )
    inputs = keras.Input(shape=input_shape, name="sequence")
    x = _branch(inputs, input_shape[1:], "", **branch)
    outputs = _classifier_head(x, tuple(dense_units), n_classes, dropout)
    return keras.Model(inputs, outputs, name=f"sequence_cnn_{head}")


# --------------------------------------------------------------------------- #
# classifier
# --------------------------------------------------------------------------- #
class SequenceCNN(BaseSERClassifier):
    """S1's CNN + sequence head on one modality, see :func:`build_sequence_cnn`.

    ``X`` is ``(n_samples, T, height, width)`` (e.g. S1's ``(n, 9, 40, 40)``
    MFCC windows from :class:`sklearn_ser.features.SlidingWindows`),
    ``(n_samples, T, height, width, channels)`` or ``(n_samples, T,
    n_features)``. S1 trains with Adam at 1e-4, batch 16, 15 epochs with
    early stopping (give ``early_stopping_patience`` and a
    ``validation_split`` to enable it; S1 does not state the patience).

    Parameters
    ----------
    head, conv_filters, n_conv, kernel_size, linear_units, gru_units, \
lstm_units, embed_dim, ff_dim, num_heads, dense_units, dropout
        Architecture, see :func:`build_sequence_cnn` (S1 defaults).
    learning_rate : float, default=1e-4
    epochs : int, default=15
    batch_size : int, default=16
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Examples
    --------
    >>> from sklearn_ser.models import SequenceCNN
    >>> SequenceCNN(head="transformer").get_params()["num_heads"]
    4
    """

    _builder = staticmethod(build_sequence_cnn)

    def __init__(
        self,
        *,
        head="gru",
        conv_filters=32,
        n_conv=3,
        kernel_size=3,
        linear_units=64,
        gru_units=128,
        lstm_units=128,
        embed_dim=64,
        ff_dim=64,
        num_heads=4,
        dense_units=(128, 64),
        dropout=0.0,
        learning_rate=1e-4,
        epochs=15,
        batch_size=16,
        **common,
    ):
        self.head = head
        self.conv_filters = conv_filters
        self.n_conv = n_conv
        self.kernel_size = kernel_size
        self.linear_units = linear_units
        self.gru_units = gru_units
        self.lstm_units = lstm_units
        self.embed_dim = embed_dim
        self.ff_dim = ff_dim
        self.num_heads = num_heads
        self.dense_units = dense_units
        self.dropout = dropout
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )
