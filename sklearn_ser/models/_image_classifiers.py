"""S0's image networks as classifiers: :class:`AlexNet`, :class:`SqueezeNet`,
:class:`MobileNet` and :class:`ResNet50`.

Each class only declares its hyper-parameters and which builder of
:mod:`sklearn_ser.models._imagenets` it uses.
"""

from ._base import BaseSERClassifier
from ._applications import build_mobilenet, build_resnet50
from ._imagenets import build_alexnet, build_squeezenet

__all__ = ["AlexNet", "SqueezeNet", "MobileNet", "ResNet50"]

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
    ``conv10``, 224x224x3, 100 epochs). The CPU profile of the tests is
    ``SqueezeNet(conv10_activation=None, epochs=20)`` (full width, no batch
    normalisation, Adam 1e-3, batch 32) on 32x32 mel images: a ReLU
    ``conv10`` can die on small data (loss stuck at ``ln(n_classes)``),
    narrow nets learn slowly after a plateau, and ``batch_norm=True``
    memorises small sets. Measurements: ``benchmarks/results/network_notes.md``.

    Examples
    --------
    >>> from sklearn_ser.models import SqueezeNet
    >>> SqueezeNet(conv10_activation=None).get_params()["conv10_activation"] is None
    True
    """
    )

    _builder = staticmethod(build_squeezenet)

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
    The CPU profile of the tests is ``MobileNet(bn_momentum=0.9,
    dropout=0.5, batch_size=16, epochs=10)`` at full width on 32x32 mel
    images: with momentum 0.999 the moving statistics that ``predict`` uses
    are still the initial ones after a few hundred steps, 0.9 settles them
    within tens of steps; narrow nets (``alpha`` < 1) memorise small sets
    instead of generalising. Measurements:
    ``benchmarks/results/network_notes.md``.
    """
    )

    _builder = staticmethod(build_mobilenet)

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
    the paper's 224x224x3 and 100 epochs. The CPU profile of the tests is
    ``ResNet50(bn_momentum=0.9, batch_size=16, epochs=5)`` (Adam 1e-3) on
    32x32 mel images: momentum 0.9 lets the moving statistics that
    ``predict`` uses follow the weights within an epoch. At 32x32 the last
    stage works on 1x1 maps. Measurements:
    ``benchmarks/results/network_notes.md``.
    """
    )

    _builder = staticmethod(build_resnet50)

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
