"""S0's MobileNet and ResNet50, from ``keras.applications``, trained from scratch.

Same input convention as :mod:`sklearn_ser.models._imagenets` (spectrogram
images in ``[0, 255]``, a ``Rescaling`` first layer).
"""

import keras
from keras import layers

from ..utils._validation import POSITIVE_REAL, UNIT_INTERVAL_RIGHT_OPEN, check_params
from ._imagenets import _image_input

__all__ = ["build_mobilenet", "build_resnet50"]

_CONSTRAINTS = {"alpha": [POSITIVE_REAL], "dropout": [UNIT_INTERVAL_RIGHT_OPEN]}


def _application(factory, input_shape, n_classes, rescale, name, bn_momentum, **kwargs):
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) >= 2 and min(input_shape[:2]) < 32:
        raise ValueError(
            f"{name} (keras.applications) needs images of at least 32x32. "
            f"Received: input_shape={input_shape}"
        )
    inputs, x = _image_input(input_shape, rescale, name)
    model = factory(
        include_top=True,
        weights=None,
        input_tensor=x,
        classes=n_classes,
        classifier_activation="softmax",
        **kwargs,
    )
    if bn_momentum is not None:
        for layer in model.layers:
            if isinstance(layer, layers.BatchNormalization):
                layer.momentum = float(bn_momentum)
    # keras.applications takes the source Input of ``input_tensor`` as the
    # model input, so the Rescaling layer is part of one flat model.
    return keras.Model(model.inputs, model.outputs, name=name.lower())


def build_mobilenet(
    input_shape=(224, 224, 3),
    n_classes=8,
    *,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    bn_momentum=None,
    rescale=1.0 / 255.0,
):
    """MobileNet (v1) from ``keras.applications``, trained from scratch.

    Depthwise-separable convolutions, batch normalisation and ReLU after every
    layer but the classifier (28 layers counting depthwise and pointwise
    separately), global average pooling, dropout, softmax. Built with
    ``weights=None`` on top of this module's ``Rescaling`` input.

    Parameters
    ----------
    input_shape : tuple of int, default=(224, 224, 3)
        ``(height, width[, channels])``; Keras requires at least 32x32.
    n_classes : int, default=8
    alpha : float, default=1.0
        Width multiplier of MobileNet (``0.25``, ``0.5``, ... for narrow nets).
    depth_multiplier : int, default=1
        Depth multiplier of the depthwise convolutions.
    dropout : float, default=1e-3
        Dropout before the classifier (Keras' default).
    bn_momentum : float or None, default=None
        Overrides the momentum of every batch normalisation (Keras uses
        0.999 in MobileNet, i.e. thousands of steps before the moving
        statistics that ``predict`` uses settle); ``None`` keeps Keras'.
        Short CPU runs need ~0.9.
    rescale : float or None, default=1/255

    Returns
    -------
    model : keras.Model
        Uncompiled functional model named ``"mobilenet"``.
    """
    check_params({"alpha": alpha, "dropout": dropout}, _CONSTRAINTS)
    return _application(
        keras.applications.MobileNet,
        input_shape,
        n_classes,
        rescale,
        "MobileNet",
        bn_momentum,
        alpha=alpha,
        depth_multiplier=depth_multiplier,
        dropout=dropout,
    )


def build_resnet50(
    input_shape=(224, 224, 3),
    n_classes=8,
    *,
    bn_momentum=None,
    rescale=1.0 / 255.0,
):
    """ResNet50 from ``keras.applications``, trained from scratch.

    50-layer residual network with bottleneck blocks (~23.5M trainable
    parameters at 224x224x3 with 8 classes), global average pooling and a
    softmax classifier; built with ``weights=None`` on top of this module's
    ``Rescaling`` input.

    Parameters
    ----------
    input_shape : tuple of int, default=(224, 224, 3)
        ``(height, width[, channels])``; Keras requires at least 32x32.
    n_classes : int, default=8
    bn_momentum : float or None, default=None
        Overrides the momentum of every batch normalisation (Keras: 0.99);
        ``None`` keeps Keras'. Short CPU runs need ~0.9.
    rescale : float or None, default=1/255

    Returns
    -------
    model : keras.Model
        Uncompiled functional model named ``"resnet50"``.
    """
    return _application(
        keras.applications.ResNet50,
        input_shape,
        n_classes,
        rescale,
        "ResNet50",
        bn_momentum,
    )
