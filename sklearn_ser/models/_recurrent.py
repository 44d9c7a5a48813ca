"""LSTM stacks (S3, S4) and a densely connected network (S3)."""

import numbers

import keras
from keras import layers
from sklearn.utils._param_validation import StrOptions

from ..utils._validation import (
    POSITIVE_INT,
    UNIT_INTERVAL_RIGHT_OPEN,
    check_each,
    check_params,
)
from ._base import BaseSERClassifier

__all__ = [
    "LSTM_PRESETS",
    "DenseClassifier",
    "LSTMClassifier",
    "build_dense",
    "build_lstm",
]

LSTM_PRESETS = {
    # S4 "LSTM.ipynb" / "LSTM(cross_validation)": the paper gives no size for
    # its baseline; one 128-unit layer is our choice.
    "baseline": {"units": (128,), "dropout": (0.0,)},
    # S4 "LSTM(ner1280_epo500_cross_validation)": one 1280-unit layer
    # (trained up to 500 epochs with early stopping).
    "1280": {"units": (1280,), "dropout": (0.0,)},
    # S4 "LSTM(1024_0_5_1024_0_5_cross_validation)".
    "2x1024": {"units": (1024, 1024), "dropout": (0.5, 0.5)},
    # S4 "LSTM(128_0_5_64_0,8_64_0,8_128_0_5_cross_validation)".
    "128-64-64-128": {"units": (128, 64, 64, 128), "dropout": (0.5, 0.8, 0.8, 0.5)},
}
"""S4's LSTM variants: layer widths and the dropout after each layer."""

_PRESET = {"preset": [StrOptions(set(LSTM_PRESETS)), None]}
_VECTOR_AS = {"vector_as": [StrOptions({"step", "sequence"})]}


def _as_tuple(name, value, n=None, constraint=POSITIVE_INT):
    """One value per layer (a scalar is repeated), each checked."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        value = (value,) * (n or 1)
    value = tuple(value)
    if n is not None and len(value) != n:
        raise ValueError(
            f"{name} must have one value per layer ({n}). Received: {name}={value!r}"
        )
    check_each(name, value, constraint)
    return value


def _as_sequence_input(inputs, input_shape, vector_as):
    """Bring one sample to (steps, features) for an RNN."""
    if len(input_shape) == 1:
        if vector_as == "step":
            return layers.Reshape((1, input_shape[0]), name="as_sequence")(inputs)
        return layers.Reshape((input_shape[0], 1), name="as_sequence")(inputs)
    if len(input_shape) == 2:
        return inputs
    if len(input_shape) == 3:
        return layers.Reshape(
            (input_shape[0], input_shape[1] * input_shape[2]), name="as_sequence"
        )(inputs)
    raise ValueError(
        "input_shape must be (n_features,), (steps, features) or "
        f"(steps, a, b). Received: input_shape={input_shape}"
    )


def build_lstm(
    input_shape, n_classes, *, units=(128,), dropout=(0.0,), vector_as="step"
):
    """Build an (uncompiled) stack of LSTM layers with a softmax output.

    ``LSTM(units[0]) -> Dropout(dropout[0]) -> ... -> LSTM(units[-1]) ->
    Dropout(dropout[-1]) -> Dense(n_classes, softmax)``. Every LSTM but the
    last returns its full sequence; the last returns its final state.
    Dropout layers with rate 0 are omitted.

    Parameters
    ----------
    input_shape : tuple of int
        ``(steps, features)`` (e.g. MFCC frames × coefficients). A feature
        vector ``(n_features,)`` becomes one step of ``n_features`` values
        (``vector_as="step"``, as for S4's per-track descriptors) or
        ``n_features`` steps of one value (``vector_as="sequence"``);
        ``(steps, a, b)`` is reshaped to ``(steps, a * b)``.
    n_classes : int
        Number of classes.
    units : int or tuple of int, default=(128,)
        Width of each LSTM layer.
    dropout : float or tuple of float, default=(0.0,)
        Dropout rate after each LSTM layer (one value is broadcast).
    vector_as : {"step", "sequence"}, default="step"

    Returns
    -------
    model : keras.Model
        Layers ``lstm_1``.., ``dropout_1``.., ``output``.
    """
    units = _as_tuple("units", units)
    if not units:
        raise ValueError(
            f"units must hold one int per layer. Received: units={units!r}"
        )
    dropout = _as_tuple("dropout", dropout, len(units), UNIT_INTERVAL_RIGHT_OPEN)
    check_params({"vector_as": vector_as}, _VECTOR_AS)
    input_shape = tuple(int(d) for d in input_shape)
    inputs = keras.Input(shape=input_shape, name="input")
    x = _as_sequence_input(inputs, input_shape, vector_as)
    for i, (u, d) in enumerate(zip(units, dropout), start=1):
        x = layers.LSTM(u, return_sequences=i < len(units), name=f"lstm_{i}")(x)
        if d > 0:
            x = layers.Dropout(d, name=f"dropout_{i}")(x)
    outputs = layers.Dense(int(n_classes), activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="lstm")


def build_dense(
    input_shape,
    n_classes,
    *,
    hidden_layer_sizes=(256, 128),
    dropout=0.3,
    activation="relu",
):
    """Build an (uncompiled) densely connected network (S3's audio model).

    ``Flatten -> [Dense(h, activation) -> Dropout]* -> Dense(n_classes,
    softmax)``; any input rank is flattened.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one sample.
    n_classes : int
    hidden_layer_sizes : tuple of int, default=(256, 128)
        S3 does not give its sizes; these are our choice.
    dropout : float or tuple of float, default=0.3
        Dropout after each hidden layer (0 omits it).
    activation : str, default="relu"

    Returns
    -------
    model : keras.Model
        Layers ``flatten``, ``dense_1``.., ``dropout_1``.., ``output``.
    """
    sizes = _as_tuple("hidden_layer_sizes", hidden_layer_sizes)
    dropout = (
        _as_tuple("dropout", dropout, len(sizes), UNIT_INTERVAL_RIGHT_OPEN)
        if sizes
        else ()
    )
    inputs = keras.Input(shape=tuple(int(d) for d in input_shape), name="input")
    x = layers.Flatten(name="flatten")(inputs)
    for i, (h, d) in enumerate(zip(sizes, dropout), start=1):
        x = layers.Dense(h, activation=activation, name=f"dense_{i}")(x)
        if d > 0:
            x = layers.Dropout(d, name=f"dropout_{i}")(x)
    outputs = layers.Dense(int(n_classes), activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="dense")


class LSTMClassifier(BaseSERClassifier):
    """Stacked LSTM classifier (S4's music models, S3's LSTM on MFCC / LMFB).

    Parameters
    ----------
    preset : {"baseline", "1280", "2x1024", "128-64-64-128"} or None, default="baseline"
        One of S4's variants (:data:`LSTM_PRESETS`): ``"baseline"`` one
        128-unit layer (size not given by the paper, our choice); ``"1280"``
        one 1280-unit layer; ``"2x1024"`` two 1024-unit layers with dropout
        0.5 after each; ``"128-64-64-128"`` four layers with dropout
        0.5, 0.8, 0.8, 0.5. ``units`` / ``dropout`` override it.
    units : int, tuple of int or None, default=None
        Explicit layer widths (takes precedence over ``preset``).
    dropout : float, tuple of float or None, default=None
        Dropout after each layer; ``None``: the preset's values (0 without
        a preset).
    vector_as : {"step", "sequence"}, default="step"
        How a 2-D X (n_samples, n_features) is fed (see :func:`build_lstm`).
    learning_rate : float, default=1e-3
    epochs : int, default=50
    batch_size : int, default=32
    **common
        Any parameter of :class:`BaseSERClassifier`.
    """

    _builder = staticmethod(build_lstm)

    def __init__(
        self,
        *,
        preset="baseline",
        units=None,
        dropout=None,
        vector_as="step",
        learning_rate=1e-3,
        epochs=50,
        batch_size=32,
        **common,
    ):
        self.preset = preset
        self.units = units
        self.dropout = dropout
        self.vector_as = vector_as
        super().__init__(
            learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, **common
        )

    def _builder_kwargs(self):
        # checked here, not in fit: initialize() builds the model too
        check_params({"preset": self.preset}, _PRESET)
        base = LSTM_PRESETS.get(self.preset, {"units": (128,), "dropout": (0.0,)})
        if self.preset is None and self.units is None:
            raise ValueError("units is required when preset=None. Received: units=None")
        units = base["units"] if self.units is None else self.units
        n = len(_as_tuple("units", units))
        if self.dropout is not None:
            dropout = self.dropout
        elif self.units is None:
            dropout = base["dropout"]
        else:
            dropout = 0.0
        if isinstance(dropout, numbers.Real):
            dropout = (dropout,) * n
        return {"units": units, "dropout": dropout, "vector_as": self.vector_as}


class DenseClassifier(BaseSERClassifier):
    """Densely connected network (S3's audio model); flattens its input.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(256, 128)
    dropout : float or tuple of float, default=0.3
    activation : str, default="relu"
    learning_rate : float, default=1e-3
    epochs : int, default=50
    batch_size : int, default=32
    **common
        Any parameter of :class:`BaseSERClassifier`.
    """

    _builder = staticmethod(build_dense)

    def __init__(
        self,
        *,
        hidden_layer_sizes=(256, 128),
        dropout=0.3,
        activation="relu",
        learning_rate=1e-3,
        epochs=50,
        batch_size=32,
        **common,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.dropout = dropout
        self.activation = activation
        super().__init__(
            learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, **common
        )
