"""A small dilated temporal CNN over log-Mel frames: the worked example of a network.

This module is the template for adding a network (see the README's
"Architecture"): a pure builder function with every knob a keyword argument,
named layers and checked arguments, and a thin :class:`BaseSERClassifier`
subclass that declares the same knobs as explicit constructor parameters.

Layout, for ``T`` frames x ``F`` features (e.g. log-Mel bands)::

    x = Conv1D(filters, 1)(frames)                     # T x filters
    for d in dilations:                                # residual blocks
        x = x + Dropout(Conv1D(filters, k, dilation_rate=d, ReLU)(BN(x)))
    GlobalAveragePooling over time -> Dense(n_classes, softmax)

Dilations ``(1, 2, 4)`` with ``k = 3`` see 15 frames at the last block.
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

__all__ = ["DilatedCNN", "build_dilated_cnn"]

_CONSTRAINTS = {
    "n_classes": [POSITIVE_INT],
    "filters": [POSITIVE_INT],
    "kernel_size": [POSITIVE_INT],
    "dropout": [UNIT_INTERVAL_RIGHT_OPEN],
}


def build_dilated_cnn(
    input_shape,
    n_classes,
    *,
    filters=32,
    kernel_size=3,
    dilations=(1, 2, 4),
    dropout=0.1,
):
    """Build the (uncompiled) dilated temporal CNN.

    Parameters
    ----------
    input_shape : tuple of int
        ``(frames, features)``, or ``(frames, a, b)`` (flattened to
        ``a * b`` features per frame).
    n_classes : int
    filters : int, default=32
        Channels of every convolution.
    kernel_size : int, default=3
        Width of the dilated convolutions, in frames.
    dilations : tuple of int, default=(1, 2, 4)
        One residual block per entry, with that dilation rate.
    dropout : float, default=0.1
        Dropout after each block's convolution.

    Returns
    -------
    model : keras.Model
        Layers ``project``, ``block{i}_bn``, ``block{i}_conv``,
        ``block{i}_drop``, ``block{i}_add``, ``pool``, ``output``.
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) not in (2, 3) or min(input_shape) < 1:
        raise ValueError(
            "input_shape must be (frames, features) or (frames, a, b). "
            f"Received: input_shape={input_shape}"
        )
    dilations = tuple(dilations)
    check_params(
        {
            "n_classes": n_classes,
            "filters": filters,
            "kernel_size": kernel_size,
            "dropout": dropout,
        },
        _CONSTRAINTS,
    )
    check_each("dilations", dilations, POSITIVE_INT)
    inputs = keras.Input(shape=input_shape, name="frames")
    x = inputs
    if len(input_shape) == 3:
        x = layers.Reshape((input_shape[0], -1), name="as_frames")(x)
    x = layers.Conv1D(filters, 1, name="project")(x)
    for i, rate in enumerate(dilations, start=1):
        y = layers.BatchNormalization(name=f"block{i}_bn")(x)
        y = layers.Conv1D(
            filters,
            kernel_size,
            dilation_rate=rate,
            padding="same",
            activation="relu",
            name=f"block{i}_conv",
        )(y)
        y = layers.Dropout(dropout, name=f"block{i}_drop")(y)
        x = layers.Add(name=f"block{i}_add")([x, y])
    x = layers.GlobalAveragePooling1D(name="pool")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="dilated_cnn")


class DilatedCNN(BaseSERClassifier):
    """Dilated temporal CNN on frame features, see :func:`build_dilated_cnn`.

    ``X`` is ``(n_samples, frames, features)``, e.g. the output of
    :class:`sklearn_ser.features.LMFB` (log-Mel filter bank frames).

    Parameters
    ----------
    filters, kernel_size, dilations, dropout
        Architecture, see :func:`build_dilated_cnn`.
    learning_rate : float, default=1e-3
    epochs : int, default=30
    batch_size : int, default=32
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`
        (``random_state``, ``validation_split``, callbacks, ...).

    Examples
    --------
    >>> from sklearn_ser.models import DilatedCNN
    >>> DilatedCNN(filters=16).get_params()["dilations"]
    (1, 2, 4)
    """

    _builder = staticmethod(build_dilated_cnn)

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=3,
        dilations=(1, 2, 4),
        dropout=0.1,
        learning_rate=1e-3,
        epochs=30,
        batch_size=32,
        **common,
    ):
        self.filters = filters
        self.kernel_size = kernel_size
        self.dilations = dilations
        self.dropout = dropout
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )
