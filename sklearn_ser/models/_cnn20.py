"""CNN20 (S4): a 20-layer convolutional network.

S4 only says that "CNN_20.ipynb" trains "a 20-layer CNN" on the music
features; kernel sizes, widths and the head are not given. This module fixes
one concrete, documented 20-layer design.
"""

import keras
from keras import layers

from ..utils._validation import (
    POSITIVE_INT,
    UNIT_INTERVAL_RIGHT_OPEN,
    check_each,
    check_params,
)
from ._base import BaseSERClassifier

__all__ = ["CNN20", "build_cnn20"]


def build_cnn20(
    input_shape,
    n_classes,
    *,
    filters=(32, 64, 128, 256),
    kernel_size=3,
    dense_units=128,
    dropout=0.5,
    bn_momentum=0.99,
):
    """Build the (uncompiled) 20-layer CNN of S4.

    The 20 layers (Keras layers after the input; an optional ``as_sequence``
    Reshape for vector input adds no weights and is not counted)::

        4 blocks x [Conv(f_b, k, relu, same) -> BatchNorm -> Conv(f_b, k, relu,
                    same) -> MaxPool(2, same)]                       16 layers
        GlobalAveragePooling -> Dense(dense_units, relu) -> Dropout
        -> Dense(n_classes, softmax)                                   4 layers

    i.e. 8 convolutional + 2 dense weight layers. Convolutions are 1-D for
    ``(steps, features)`` input (and for feature vectors ``(n_features,)``,
    read as ``n_features`` steps of one channel) and 2-D for
    ``(height, width, channels)`` input.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_features,)``, ``(steps, features)`` or ``(height, width, channels)``.
    n_classes : int
    filters : tuple of 4 int, default=(32, 64, 128, 256)
        Filters of the two convolutions of each block.
    kernel_size : int, default=3
    dense_units : int, default=128
    dropout : float, default=0.5
    bn_momentum : float, default=0.99
        Momentum of the BatchNormalization moving statistics (Keras' default).
        With few training steps (small data, few epochs) the moving
        statistics lag behind the batch statistics and inference suffers;
        0.9 adapts faster.

    Returns
    -------
    model : keras.Model
        Layers ``block{b}_conv1``, ``block{b}_bn``, ``block{b}_conv2``,
        ``block{b}_pool`` (b = 1..4), ``global_pool``, ``dense``,
        ``dropout``, ``output``.
    """
    input_shape = tuple(int(d) for d in input_shape)
    filters = tuple(filters)
    if len(filters) != 4:
        raise ValueError(
            "filters must be 4 positive ints (one per block). "
            f"Received: filters={filters!r}"
        )
    check_each("filters", filters, POSITIVE_INT)
    check_params({"dropout": dropout}, {"dropout": [UNIT_INTERVAL_RIGHT_OPEN]})
    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 1:
        x = layers.Reshape((input_shape[0], 1), name="as_sequence")(x)
    if len(input_shape) in (1, 2):
        conv, pool, gpool = (
            layers.Conv1D,
            layers.MaxPooling1D,
            layers.GlobalAveragePooling1D,
        )
    elif len(input_shape) == 3:
        conv, pool, gpool = (
            layers.Conv2D,
            layers.MaxPooling2D,
            layers.GlobalAveragePooling2D,
        )
    else:
        raise ValueError(
            "input_shape must be (n_features,), (steps, features) or "
            f"(height, width, channels). Received: input_shape={input_shape}"
        )
    for b, f in enumerate(filters, start=1):
        x = conv(
            f, kernel_size, padding="same", activation="relu", name=f"block{b}_conv1"
        )(x)
        x = layers.BatchNormalization(momentum=bn_momentum, name=f"block{b}_bn")(x)
        x = conv(
            f, kernel_size, padding="same", activation="relu", name=f"block{b}_conv2"
        )(x)
        x = pool(2, padding="same", name=f"block{b}_pool")(x)
    x = gpool(name="global_pool")(x)
    x = layers.Dense(int(dense_units), activation="relu", name="dense")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(int(n_classes), activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="cnn20")


class CNN20(BaseSERClassifier):
    """S4's 20-layer CNN as a scikit-learn classifier (see :func:`build_cnn20`).

    Parameters
    ----------
    filters : tuple of 4 int, default=(32, 64, 128, 256)
    kernel_size : int, default=3
    dense_units : int, default=128
    dropout : float, default=0.5
    bn_momentum : float, default=0.99
    learning_rate : float, default=1e-3
    epochs : int, default=50
    batch_size : int, default=32
    **common
        Any parameter of :class:`BaseSERClassifier`.
    """

    _builder = staticmethod(build_cnn20)

    def __init__(
        self,
        *,
        filters=(32, 64, 128, 256),
        kernel_size=3,
        dense_units=128,
        dropout=0.5,
        bn_momentum=0.99,
        learning_rate=1e-3,
        epochs=50,
        batch_size=32,
        **common,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.dense_units = dense_units
        self.dropout = dropout
        self.bn_momentum = bn_momentum
        super().__init__(
            learning_rate=learning_rate, epochs=epochs, batch_size=batch_size, **common
        )
