"""S0's image networks: AlexNet, SqueezeNet, MobileNet and ResNet50.

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
are trained from scratch (``weights=None``), as in the paper.
"""

import numbers

__all__ = [
    "build_alexnet",
    "build_squeezenet",
    "build_mobilenet",
    "build_resnet50",
]


def _keras():
    import keras

    return keras


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _image_input(input_shape, rescale, name):
    """Input, optional channel axis and ``Rescaling``; returns (input, tensor)."""
    keras = _keras()
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) not in (2, 3) or min(input_shape) < 1:
        raise ValueError(
            f"{name} expects images of shape (height, width) or (height, width, "
            f"channels). Received: input_shape={input_shape}"
        )
    inputs = keras.Input(shape=input_shape, name="image")
    x = inputs
    if len(input_shape) == 2:
        x = keras.layers.Reshape((*input_shape, 1), name="add_channel")(x)
    if rescale is not None:
        x = keras.layers.Rescaling(float(rescale), name="rescale")(x)
    return inputs, x


def _out_size(size, kernel, stride, padding):
    if padding == "same":
        return -(-size // stride)
    return (size - kernel) // stride + 1


def _check_size(input_shape, ops, name, hint):
    """Follow the spatial size through ``ops``; raise if it drops below 1."""
    input_shape = tuple(int(d) for d in input_shape)
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


def _check_positive(value, name, kind=numbers.Real):
    if not isinstance(value, kind) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{name} must be a positive number. Received: {name}={value!r}"
        )


def _check_dropout(dropout):
    if not isinstance(dropout, numbers.Real) or not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout!r}")


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
    keras = _keras()
    layers = keras.layers
    filters = tuple(filters)
    dense_units = tuple(dense_units)
    if len(filters) != 5:
        raise ValueError(f"filters must hold 5 integers. Received: filters={filters}")
    if len(dense_units) != 2:
        raise ValueError(
            f"dense_units must hold 2 integers. Received: dense_units={dense_units}"
        )
    _check_positive(width_multiplier, "width_multiplier")
    _check_dropout(dropout)
    inputs, x = _image_input(input_shape, rescale, "AlexNet")
    _check_size(
        input_shape,
        [
            ("conv1", conv1_kernel, conv1_strides, "valid"),
            ("pool1", 3, 2, "valid"),
            ("pool2", 3, 2, "valid"),
            ("pool5", 3, 2, "valid"),
        ],
        "AlexNet",
        "Use larger images or a smaller conv1_strides / conv1_kernel.",
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
# (squeeze, expand) per fire module, and after which fire modules to pool.
_SQUEEZENET = {
    "1.0": {
        "conv1": (96, 7),
        "fires": [
            (16, 64),
            (16, 64),
            (32, 128),
            (32, 128),
            (48, 192),
            (48, 192),
            (64, 256),
            (64, 256),
        ],
        "pool_after": (4, 8),  # maxpool after conv1, fire4, fire8
    },
    "1.1": {
        "conv1": (64, 3),
        "fires": [
            (16, 64),
            (16, 64),
            (32, 128),
            (32, 128),
            (48, 192),
            (48, 192),
            (64, 256),
            (64, 256),
        ],
        "pool_after": (3, 5),  # maxpool after conv1, fire3, fire5
    },
}


def _fire(x, squeeze, expand, name, batch_norm, bn_momentum, init):
    layers = _keras().layers
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
        With ``batch_norm=True`` the network memorised a few hundred images
        (training accuracy 1.0, held-out near chance on 210 TESS images;
        no learning at all on 630 at width 0.5), so the CPU profile keeps
        ``batch_norm=False``.
    kernel_initializer : str, default="he_uniform"
        Initialiser of every convolution. With Keras' default Glorot
        initialisation and [0, 1] inputs the signal shrinks through the 26
        ReLU convolutions, the final ReLU ``conv10`` outputs ~0 for every
        class and training never leaves ``loss = ln(n_classes)`` (measured on
        TESS); He initialisation keeps the variance through ReLUs.
    conv10_activation : str or None, default="relu"
        Activation of the class convolution ``conv10`` (original: ReLU, as
        in Keras' reference SqueezeNets: ReLU conv10 -> global average pool
        -> softmax). With ReLU the class scores can die (all zero, loss stuck
        at ``ln(n_classes)``) on small data: on 630 TESS 32x32 mel images the
        loss stayed at 1.95 = ln 7 for 15 epochs. ``None`` (linear class
        scores) trains on the same data (held-out accuracy 0.85); the CPU
        profile uses it.
    dropout : float, default=0.5
        Dropout before ``conv10``.
    rescale : float or None, default=1/255
        Factor of the input ``Rescaling`` layer; ``None`` skips it.

    Returns
    -------
    model : keras.Model
        Uncompiled functional model named ``"squeezenet"``.
    """
    keras = _keras()
    layers = keras.layers
    version = str(version)
    if version not in _SQUEEZENET:
        raise ValueError(
            f"version must be '1.0' or '1.1'. Received: version={version!r}"
        )
    _check_positive(width_multiplier, "width_multiplier")
    _check_dropout(dropout)
    spec = _SQUEEZENET[version]
    c1_filters, c1_kernel = spec["conv1"]
    inputs, x = _image_input(input_shape, rescale, "SqueezeNet")
    _check_size(
        input_shape,
        [("conv1", c1_kernel, 2, "valid")]
        + [(f"pool{i}", 3, 2, "valid") for i in (1, *spec["pool_after"])],
        "SqueezeNet",
        "Use larger images (SqueezeNet 1.1 needs >= 31x31, 1.0 needs >= 35x35).",
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
    for i, (squeeze, expand) in enumerate(spec["fires"], start=2):
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


# --------------------------------------------------------------------------- #
# keras.applications: MobileNet, ResNet50
# --------------------------------------------------------------------------- #
def _application(factory, input_shape, n_classes, rescale, name, bn_momentum, **kwargs):
    keras = _keras()
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
            if isinstance(layer, keras.layers.BatchNormalization):
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
    keras = _keras()
    _check_positive(alpha, "alpha")
    _check_dropout(dropout)
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
    keras = _keras()
    return _application(
        keras.applications.ResNet50,
        input_shape,
        n_classes,
        rescale,
        "ResNet50",
        bn_momentum,
    )


# --------------------------------------------------------------------------- #
# classifiers
# --------------------------------------------------------------------------- #
from ._base import BaseSERClassifier  # noqa: E402

__all__ += ["AlexNet", "SqueezeNet", "MobileNet", "ResNet50"]

_IMAGE_X_DOC = """
    ``X`` is a batch of spectrogram images ``(n_samples, height, width,
    channels)`` (or ``(n_samples, height, width)``) with values in
    ``[0, 255]``, e.g. the ``uint8`` output of
    :class:`sklearn_ser.features.SpectrogramImage`; the model rescales them to
    ``[0, 1]`` with its first layer (``rescale``). The input size is taken
    from the data at ``fit``. Training: Adam at ``learning_rate``, sparse
    categorical cross-entropy; S0 trains from scratch for 100 epochs on a
    shuffled random 80/20 split. All other parameters (``random_state``,
    ``callbacks``, ``validation_split``, ``early_stopping_patience``,
    ``init_from``, ``freeze``, ...) are those of
    :class:`~sklearn_ser.models.BaseSERClassifier`.
"""


class AlexNet(BaseSERClassifier):
    __doc__ = (
        """AlexNet on spectrogram images (S0), see :func:`build_alexnet`.
"""
        + _IMAGE_X_DOC
        + """
    Parameters
    ----------
    filters, dense_units, width_multiplier, conv1_kernel, conv1_strides, \
batch_norm, bn_momentum, dropout, rescale
        Architecture, see :func:`build_alexnet` (paper defaults). For small
        CPU images use e.g. ``conv1_strides=2, width_multiplier=0.125`` at
        64x64.
    learning_rate : float, default=1e-3
    epochs : int, default=100
    batch_size : int, default=32
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Examples
    --------
    >>> from sklearn_ser.models import AlexNet
    >>> AlexNet(width_multiplier=0.25).get_params()["width_multiplier"]
    0.25
    """
    )

    _builder = staticmethod(build_alexnet)
    _hyper_parameters = (
        "filters",
        "dense_units",
        "width_multiplier",
        "conv1_kernel",
        "conv1_strides",
        "batch_norm",
        "bn_momentum",
        "dropout",
        "rescale",
    )

    def __init__(
        self,
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
        learning_rate=1e-3,
        epochs=100,
        batch_size=32,
        **common,
    ):
        self.filters = filters
        self.dense_units = dense_units
        self.width_multiplier = width_multiplier
        self.conv1_kernel = conv1_kernel
        self.conv1_strides = conv1_strides
        self.batch_norm = batch_norm
        self.bn_momentum = bn_momentum
        self.dropout = dropout
        self.rescale = rescale
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )


class SqueezeNet(BaseSERClassifier):
    __doc__ = (
        """SqueezeNet on spectrogram images (S0), see :func:`build_squeezenet`.
"""
        + _IMAGE_X_DOC
        + """
    Parameters
    ----------
    version, width_multiplier, batch_norm, bn_momentum, kernel_initializer, \
conv10_activation, dropout, rescale
        Architecture, see :func:`build_squeezenet`.
    learning_rate : float, default=1e-3
    epochs : int, default=100
    batch_size : int, default=32
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Notes
    -----
    The defaults are the paper's set-up (SqueezeNet 1.1 at full width, ReLU
    ``conv10``, 224x224x3, 100 epochs). CPU profile, used by the tests:
    ``SqueezeNet(conv10_activation=None, epochs=20)`` (full width, no batch
    normalisation, Adam 1e-3, batch 32) on 32x32 **mel** images of 840 TESS
    clips (630 for training): held-out accuracy 0.92 / 0.76 / 0.80 with
    ``random_state`` 0 / 1 / 2 (chance 0.14), training loss 1.96 -> 0.10,
    about 20 s on 2 CPU cores. Why: the ReLU ``conv10`` dies (loss stuck at
    ``ln 7``); narrow nets (``width_multiplier=0.5``) and 210 training images
    learn slowly and noisily (0.41-0.71 held-out) after a ~12-epoch plateau
    at ``ln 7``, because a 32-image batch gives only 7 Adam steps per epoch;
    ``batch_norm=True`` memorises small sets.

    Examples
    --------
    >>> from sklearn_ser.models import SqueezeNet
    >>> SqueezeNet(conv10_activation=None).get_params()["conv10_activation"] is None
    True
    """
    )

    _builder = staticmethod(build_squeezenet)
    _hyper_parameters = (
        "version",
        "width_multiplier",
        "batch_norm",
        "bn_momentum",
        "kernel_initializer",
        "conv10_activation",
        "dropout",
        "rescale",
    )

    def __init__(
        self,
        *,
        version="1.1",
        width_multiplier=1.0,
        batch_norm=False,
        bn_momentum=0.99,
        kernel_initializer="he_uniform",
        conv10_activation="relu",
        dropout=0.5,
        rescale=1.0 / 255.0,
        learning_rate=1e-3,
        epochs=100,
        batch_size=32,
        **common,
    ):
        self.version = version
        self.width_multiplier = width_multiplier
        self.batch_norm = batch_norm
        self.bn_momentum = bn_momentum
        self.kernel_initializer = kernel_initializer
        self.conv10_activation = conv10_activation
        self.dropout = dropout
        self.rescale = rescale
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )


class MobileNet(BaseSERClassifier):
    __doc__ = (
        """MobileNet (keras.applications, from scratch) on spectrogram images (S0).
"""
        + _IMAGE_X_DOC
        + """
    Parameters
    ----------
    alpha, depth_multiplier, dropout, bn_momentum, rescale
        Architecture, see :func:`build_mobilenet`. Images must be >= 32x32.
    learning_rate : float, default=1e-3
    epochs : int, default=100
    batch_size : int, default=32
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Notes
    -----
    The defaults are Keras' MobileNet (``alpha=1.0``, dropout 1e-3, batch
    normalisation momentum 0.999) at the paper's 224x224x3 and 100 epochs.
    CPU profile, used by the tests: ``MobileNet(bn_momentum=0.9,
    dropout=0.5, batch_size=16, epochs=10)`` at full width on 32x32 mel
    images of 840 TESS clips (630 for training): held-out accuracy 0.81
    (0.84 with ``random_state=1``; chance 0.14), training loss 2.60 ->
    0.16, about 50 s on 2 busy cores.
    Why: with momentum 0.999 the moving statistics that ``predict`` uses
    are still the initial ones after a few hundred steps (predictions at
    chance while the training loss falls), 0.9 settles them in ~20 steps.
    Narrow nets memorise instead of generalising: ``alpha=0.25`` or ``0.5``
    reach training accuracy 1.0 with 0.19-0.23 held-out on 210 training
    images and 0.43-0.57 on 630; ``alpha=1.0`` reaches 0.56 on 210 and 0.81
    on 630.
    """
    )

    _builder = staticmethod(build_mobilenet)
    _hyper_parameters = (
        "alpha",
        "depth_multiplier",
        "dropout",
        "bn_momentum",
        "rescale",
    )

    def __init__(
        self,
        *,
        alpha=1.0,
        depth_multiplier=1,
        dropout=1e-3,
        bn_momentum=None,
        rescale=1.0 / 255.0,
        learning_rate=1e-3,
        epochs=100,
        batch_size=32,
        **common,
    ):
        self.alpha = alpha
        self.depth_multiplier = depth_multiplier
        self.dropout = dropout
        self.bn_momentum = bn_momentum
        self.rescale = rescale
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )


class ResNet50(BaseSERClassifier):
    __doc__ = (
        """ResNet50 (keras.applications, from scratch) on spectrogram images (S0).
"""
        + _IMAGE_X_DOC
        + """
    Parameters
    ----------
    bn_momentum, rescale
        See :func:`build_resnet50`. Images must be >= 32x32.
    learning_rate : float, default=1e-3
    epochs : int, default=100
    batch_size : int, default=32
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Notes
    -----
    The defaults are Keras' ResNet50 (batch normalisation momentum 0.99) at
    the paper's 224x224x3 and 100 epochs. CPU profile, used by the tests:
    ``ResNet50(bn_momentum=0.9, batch_size=16, epochs=5)`` (Adam 1e-3) on
    32x32 mel images of 840 TESS clips (630 for training): held-out accuracy
    0.85 (chance 0.14), training loss 3.91 -> 0.45, about 90 s on 2 busy
    cores; at 64x64, 0.99 after 6 epochs (~280 s). Why: 0.9 lets the moving
    statistics that ``predict`` uses follow the weights within an epoch;
    with 210 training images, or with learning rate 1e-4, held-out accuracy
    stayed at 0.21-0.46 after 6-10 epochs while the training loss fell.
    At 32x32 the last stage works on 1x1 maps, which is enough here.
    """
    )

    _builder = staticmethod(build_resnet50)
    _hyper_parameters = ("bn_momentum", "rescale")

    def __init__(
        self,
        *,
        bn_momentum=None,
        rescale=1.0 / 255.0,
        learning_rate=1e-3,
        epochs=100,
        batch_size=32,
        **common,
    ):
        self.bn_momentum = bn_momentum
        self.rescale = rescale
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )
