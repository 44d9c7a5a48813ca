"""S0's image networks AlexNet and SqueezeNet, and what every image builder shares.

Array layout: one spectrogram image per file, ``(n_samples, height, width,
channels)`` (channels-last), as produced by
:class:`sklearn_ser.features.SpectrogramImage`. Pixel values are expected in
``[0, 255]`` (``uint8`` or float); every builder starts with a
``Rescaling(rescale)`` layer (``rescale=1/255`` by default), so the network
sees ``[0, 1]`` inputs, which is the paper's "images normalised" step done
inside the model (set ``rescale=None`` for inputs that are already scaled).
A 3-D batch ``(n_samples, height, width)`` (a single-channel spectrogram) is
accepted too: the builders add the channel axis.

The builders are plain functions, usable without scikit-learn, that return an
*uncompiled* :class:`keras.Model` with named layers; the classifier classes
(:class:`AlexNet`, :class:`SqueezeNet`, :class:`MobileNet`, :class:`ResNet50`)
only declare their hyper-parameters and which builder they use. All networks
are trained from scratch (``weights=None``), as in the paper. MobileNet and
ResNet50 come from ``keras.applications`` (:mod:`._applications`).
"""

import keras
from keras import layers

from ..utils._moved import moved_names
from ..utils._validation import POSITIVE_REAL, UNIT_INTERVAL_RIGHT_OPEN, check_params

__all__ = ["build_alexnet", "build_squeezenet"]

# Classes that lived here in sklearn-ser 0.1: model files saved then name
# this module (see sklearn_ser/utils/_moved.py).
__getattr__ = moved_names(
    __name__,
    {
        "AlexNet": "sklearn_ser.models._image_classifiers",
        "MobileNet": "sklearn_ser.models._image_classifiers",
        "ResNet50": "sklearn_ser.models._image_classifiers",
        "SqueezeNet": "sklearn_ser.models._image_classifiers",
    },
)


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _image_input(input_shape, rescale, name, ops=(), hint=""):
    """Input, optional channel axis and ``Rescaling``; returns (input, tensor).

    ``ops`` (``(layer, kernel, stride, padding)`` per size-reducing layer)
    are followed to check that the image is large enough for them; ``hint``
    says what to do when it is not.
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) not in (2, 3) or min(input_shape) < 1:
        raise ValueError(
            f"{name} expects images of shape (height, width) or (height, width, "
            f"channels). Received: input_shape={input_shape}"
        )
    _check_size(input_shape, ops, name, hint)
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    if len(input_shape) == 2:
        x = layers.Reshape((*input_shape, 1), name="add_channel")(x)
    if rescale is not None:
        x = layers.Rescaling(float(rescale), name="rescale")(x)
    return inputs, x


def _out_size(size, kernel, stride, padding):
    if padding == "same":
        return -(-size // stride)
    return (size - kernel) // stride + 1


def _check_size(input_shape, ops, name, hint):
    """Follow the spatial size through ``ops``; raise if it drops below 1."""
    for dim, size in zip(("height", "width"), input_shape[:2]):
        current = size
        for layer, kernel, stride, padding in ops:
            current = _out_size(current, kernel, stride, padding)
            if current < 1:
                raise ValueError(
                    f"{name}: input {dim} {size} is too small; the feature map "
                    f"vanishes at layer {layer!r}. {hint} "
                    f"Received: input_shape={input_shape}"
                )


def _scaled(n, width_multiplier):
    return max(1, int(round(n * width_multiplier)))


_CONSTRAINTS = {
    "width_multiplier": [POSITIVE_REAL],
    "dropout": [UNIT_INTERVAL_RIGHT_OPEN],
}


# --------------------------------------------------------------------------- #
# AlexNet
# --------------------------------------------------------------------------- #
def build_alexnet(
    input_shape=(227, 227, 3),
    n_classes=8,
    *,
    filters=(96, 256, 384, 384, 256),
    dense_units=(4096, 4096),
    width_multiplier=1.0,
    conv1_kernel=11,
    conv1_strides=4,
    batch_norm=True,
    bn_momentum=0.99,
    dropout=0.5,
    rescale=1.0 / 255.0,
):
    """AlexNet: 5 convolutions + 3 dense layers, ReLU, dropout (S0).

    Layout (Krizhevsky et al. 2012, single-GPU form; this is the Sequential
    Keras AlexNet the paper describes at 227x227x3)::

        conv1 filters[0] k=conv1_kernel s=conv1_strides valid -> [BN] -> maxpool 3/2
        conv2 filters[1] k=5 same                             -> [BN] -> maxpool 3/2
        conv3 filters[2] k=3 same -> [BN]
        conv4 filters[3] k=3 same -> [BN]
        conv5 filters[4] k=3 same -> [BN] -> maxpool 3/2
        flatten -> dense dense_units[0] -> dropout -> dense dense_units[1]
        -> dropout -> dense n_classes softmax

    At 227x227 the feature maps are 55 -> 27 -> 13 -> 6, i.e. 6x6x256 = 9216
    features before the first dense layer (~58M parameters with 8 classes).
    Local response normalisation of the original is replaced by batch
    normalisation (``batch_norm=True``), as in the common Keras versions.

    Parameters
    ----------
    input_shape : tuple of int, default=(227, 227, 3)
        ``(height, width[, channels])``. With the default stride-4 first
        layer the images must be at least 67x67; for small CPU images
        (e.g. 64x64) use ``conv1_strides=2`` or 1.
    n_classes : int, default=8
        Size of the softmax output.
    filters : tuple of 5 int, default=(96, 256, 384, 384, 256)
        Filters of the five convolutions (before ``width_multiplier``).
    dense_units : tuple of 2 int, default=(4096, 4096)
        Units of the two hidden dense layers (before ``width_multiplier``).
    width_multiplier : float, default=1.0
        Scales every filter and unit count (rounded, at least 1); e.g.
        ``0.125`` gives a narrow net for quick CPU runs.
    conv1_kernel, conv1_strides : int, default=11, 4
        Kernel size and stride of the first convolution.
    batch_norm : bool, default=True
        Batch normalisation after every convolution.
    bn_momentum : float, default=0.99
        Momentum of the batch-normalisation moving statistics (Keras'
        default). The moving statistics are what ``predict`` uses; at 0.99
        they need several hundred training steps to settle, so short CPU runs
        (a few epochs on a few hundred images) should use ~0.9, or
        ``batch_norm=False``.
    dropout : float, default=0.5
        Dropout rate after each hidden dense layer.
    rescale : float or None, default=1/255
        Factor of the input ``Rescaling`` layer; ``None`` skips it.

    Returns
    -------
    model : keras.Model
        Uncompiled functional model named ``"alexnet"``.
    """
    filters = tuple(filters)
    dense_units = tuple(dense_units)
    if len(filters) != 5:
        raise ValueError(f"filters must hold 5 integers. Received: filters={filters}")
    if len(dense_units) != 2:
        raise ValueError(
            f"dense_units must hold 2 integers. Received: dense_units={dense_units}"
        )
    check_params(
        {"width_multiplier": width_multiplier, "dropout": dropout}, _CONSTRAINTS
    )
    inputs, x = _image_input(
        input_shape,
        rescale,
        "AlexNet",
        ops=[
            ("conv1", conv1_kernel, conv1_strides, "valid"),
            ("pool1", 3, 2, "valid"),
            ("pool2", 3, 2, "valid"),
            ("pool5", 3, 2, "valid"),
        ],
        hint="Use larger images or a smaller conv1_strides / conv1_kernel.",
    )
    f = [_scaled(n, width_multiplier) for n in filters]
    kernels = [conv1_kernel, 5, 3, 3, 3]
    for i in range(5):
        x = layers.Conv2D(
            f[i],
            kernels[i],
            strides=conv1_strides if i == 0 else 1,
            padding="valid" if i == 0 else "same",
            activation="relu",
            name=f"conv{i + 1}",
        )(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn{i + 1}")(x)
        if i in (0, 1, 4):
            x = layers.MaxPooling2D(3, strides=2, name=f"pool{i + 1}")(x)
    x = layers.Flatten(name="flatten")(x)
    for i, units in enumerate(dense_units):
        x = layers.Dense(
            _scaled(units, width_multiplier), activation="relu", name=f"fc{i + 6}"
        )(x)
        x = layers.Dropout(dropout, name=f"drop{i + 6}")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="alexnet")


# --------------------------------------------------------------------------- #
# SqueezeNet
# --------------------------------------------------------------------------- #
# (squeeze, expand) of fire modules 2..9, the same in both versions.
_FIRES = ((16, 64),) * 2 + ((32, 128),) * 2 + ((48, 192),) * 2 + ((64, 256),) * 2
# conv1 (filters, kernel) and after which fire modules to pool, per version.
_SQUEEZENET = {
    "1.0": {"conv1": (96, 7), "pool_after": (4, 8)},  # after conv1, fire4, fire8
    "1.1": {"conv1": (64, 3), "pool_after": (3, 5)},  # after conv1, fire3, fire5
}


def _fire(x, squeeze, expand, name, batch_norm, bn_momentum, init):
    s = layers.Conv2D(
        squeeze,
        1,
        activation="relu",
        kernel_initializer=init,
        name=f"{name}_squeeze1x1",
    )(x)
    if batch_norm:
        s = layers.BatchNormalization(momentum=bn_momentum, name=f"{name}_bn")(s)
    e1 = layers.Conv2D(
        expand,
        1,
        activation="relu",
        kernel_initializer=init,
        name=f"{name}_expand1x1",
    )(s)
    e3 = layers.Conv2D(
        expand,
        3,
        padding="same",
        activation="relu",
        kernel_initializer=init,
        name=f"{name}_expand3x3",
    )(s)
    return layers.Concatenate(axis=-1, name=f"{name}_concat")([e1, e3])


def build_squeezenet(
    input_shape=(224, 224, 3),
    n_classes=8,
    *,
    version="1.1",
    width_multiplier=1.0,
    batch_norm=False,
    bn_momentum=0.99,
    kernel_initializer="he_uniform",
    conv10_activation="relu",
    dropout=0.5,
    rescale=1.0 / 255.0,
):
    """SqueezeNet with fire modules (Iandola et al. 2016), written for Keras.

    A fire module is a 1x1 "squeeze" convolution followed by parallel 1x1 and
    3x3 "expand" convolutions whose outputs are concatenated. Layout::

        1.0: conv1 96 k7 s2 -> pool -> fire2-4 -> pool -> fire5-8 -> pool -> fire9
        1.1: conv1 64 k3 s2 -> pool -> fire2-3 -> pool -> fire4-5 -> pool -> fire6-9
        -> dropout -> conv10 (1x1, n_classes, ReLU) -> global average pool -> softmax

    with fire (squeeze, expand) = (16, 64) x2, (32, 128) x2, (48, 192) x2,
    (64, 256) x2 and 3x3/2 max pools ("valid"). With 1000 classes this has
    1.25M (1.0) / 1.24M (1.1) parameters, as in the paper; SqueezeNet 1.1 has
    the same accuracy at ~2.4x less computation, hence the default. The paper
    does not say which version it used.

    Parameters
    ----------
    input_shape : tuple of int, default=(224, 224, 3)
        ``(height, width[, channels])``. Minimum size: 1.1 needs >= 31x31
        (e.g. 32x32 works), 1.0 needs >= 35x35.
    n_classes : int, default=8
        Number of classes (filters of ``conv10``).
    version : {"1.0", "1.1"}, default="1.1"
        SqueezeNet layout.
    width_multiplier : float, default=1.0
        Scales conv1 and every squeeze/expand width (rounded, at least 1).
    batch_norm : bool, default=False
        Batch normalisation after conv1 and every squeeze layer (not in the
        original; helps training from scratch on small data).
    bn_momentum : float, default=0.99
        Momentum of the moving statistics (see :func:`build_alexnet`).
        With ``batch_norm=True`` the network memorises a few hundred images,
        so the CPU profile keeps ``batch_norm=False``.
    kernel_initializer : str, default="he_uniform"
        Initialiser of every convolution. With Keras' default Glorot
        initialisation and [0, 1] inputs the signal shrinks through the 26
        ReLU convolutions, the final ReLU ``conv10`` outputs ~0 for every
        class and training never leaves ``loss = ln(n_classes)``; He
        initialisation keeps the variance through ReLUs.
    conv10_activation : str or None, default="relu"
        Activation of the class convolution ``conv10`` (original: ReLU, as
        in Keras' reference SqueezeNets: ReLU conv10 -> global average pool
        -> softmax). With ReLU the class scores can die (all zero, loss stuck
        at ``ln(n_classes)``) on small data; ``None`` (linear class scores)
        trains on the same data, and the CPU profile uses it.
    dropout : float, default=0.5
        Dropout before ``conv10``.
    rescale : float or None, default=1/255
        Factor of the input ``Rescaling`` layer; ``None`` skips it.

    Returns
    -------
    model : keras.Model
        Uncompiled functional model named ``"squeezenet"``.
    """
    version = str(version)
    if version not in _SQUEEZENET:
        raise ValueError(
            f"version must be '1.0' or '1.1'. Received: version={version!r}"
        )
    check_params(
        {"width_multiplier": width_multiplier, "dropout": dropout}, _CONSTRAINTS
    )
    spec = _SQUEEZENET[version]
    c1_filters, c1_kernel = spec["conv1"]
    inputs, x = _image_input(
        input_shape,
        rescale,
        "SqueezeNet",
        ops=[("conv1", c1_kernel, 2, "valid")]
        + [(f"pool{i}", 3, 2, "valid") for i in (1, *spec["pool_after"])],
        hint="Use larger images (SqueezeNet 1.1 needs >= 31x31, 1.0 needs >= 35x35).",
    )
    x = layers.Conv2D(
        _scaled(c1_filters, width_multiplier),
        c1_kernel,
        strides=2,
        activation="relu",
        kernel_initializer=kernel_initializer,
        name="conv1",
    )(x)
    if batch_norm:
        x = layers.BatchNormalization(momentum=bn_momentum, name="conv1_bn")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i, (squeeze, expand) in enumerate(_FIRES, start=2):
        x = _fire(
            x,
            _scaled(squeeze, width_multiplier),
            _scaled(expand, width_multiplier),
            f"fire{i}",
            batch_norm,
            bn_momentum,
            kernel_initializer,
        )
        if i in spec["pool_after"]:
            x = layers.MaxPooling2D(3, strides=2, name=f"pool{i}")(x)
    x = layers.Dropout(dropout, name="drop9")(x)
    x = layers.Conv2D(
        n_classes,
        1,
        activation=conv10_activation,
        kernel_initializer=kernel_initializer,
        name="conv10",
    )(x)
    x = layers.GlobalAveragePooling2D(name="avgpool10")(x)
    outputs = layers.Activation("softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="squeezenet")
