"""A CNN / CRNN with attention pooling on log-Mel spectrograms.

Array layout: one sample is ``(n_frames, n_mels)`` (time-major, as every
frame-level transformer of :mod:`sklearn_ser.features` outputs) or
``(n_frames, n_mels, 1)``.

Network (:func:`build_crnn`): utterance-level normalisation (each Mel band
standardised over the frames of its own utterance, i.e. cepstral mean and
variance normalisation, computed inside the network so it is the same at
training and prediction), optional SpecAugment masks (training only), then
``len(conv_filters)`` blocks of Conv2D -> BatchNorm -> ReLU -> MaxPool ->
Dropout, the remaining frequency axis folded into the channels, an optional
(bidirectional) GRU over time, attention pooling over time, one dense layer
and the softmax output.
"""

from numbers import Real

import keras
import numpy as np
from keras import layers
from sklearn.utils._param_validation import Interval

from ..utils._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    UNIT_INTERVAL_RIGHT_OPEN,
    check_each,
    check_params,
)
from ._augment import AttentionPooling, MixupBatches, SpecAugment
from ._base import BaseSERClassifier

__all__ = ["CRNN", "build_crnn"]

# The SpecAugment widths and counts are checked by the layer itself.
_CONSTRAINTS = {
    "kernel_size": [POSITIVE_INT],
    "rnn_units": [NON_NEGATIVE_INT],
    "attention_units": [POSITIVE_INT],
    "dense_units": [NON_NEGATIVE_INT],
    "conv_dropout": [UNIT_INTERVAL_RIGHT_OPEN],
    "dropout": [UNIT_INTERVAL_RIGHT_OPEN],
    "bn_momentum": [UNIT_INTERVAL_RIGHT_OPEN],
}


def build_crnn(
    input_shape,
    n_classes,
    *,
    conv_filters=(16, 32, 64),
    kernel_size=3,
    pool_size=(2, 2),
    conv_dropout=0.1,
    bn_momentum=0.9,
    rnn_units=64,
    bidirectional=True,
    attention_units=64,
    dense_units=64,
    dropout=0.3,
    utterance_norm=True,
    spec_augment=False,
    freq_mask_width=8,
    time_mask_width=20,
    n_freq_masks=2,
    n_time_masks=2,
):
    """Build an (uncompiled) CRNN with attention pooling for log-Mel input.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_frames, n_mels)`` or ``(n_frames, n_mels, 1)``.
    n_classes : int
    conv_filters : tuple of int, default=(16, 32, 64)
        Filters of each convolution block (one block per entry).
    kernel_size : int, default=3
    pool_size : tuple (time, freq), default=(2, 2)
        Max-pooling after each block.
    conv_dropout : float, default=0.1
        Dropout after each block (0 omits it).
    bn_momentum : float, default=0.9
        Momentum of the batch-normalisation moving statistics (Keras'
        default 0.99 leaves them far from the data after the few hundred
        steps a small corpus gives).
    rnn_units : int, default=64
        Units of the GRU over time; 0 gives a CNN with attention pooling.
    bidirectional : bool, default=True
    attention_units : int, default=64
    dense_units : int, default=64
        Width of the dense layer before the output; 0 omits it.
    dropout : float, default=0.3
        Dropout before the dense layer and the output.
    utterance_norm : bool, default=True
        Standardise each Mel band over the utterance's frames.
    spec_augment : bool, default=False
        Insert a :class:`SpecAugment` layer (active in training only).
    freq_mask_width, time_mask_width, n_freq_masks, n_time_masks : int
        SpecAugment parameters (see :class:`SpecAugment`).

    Returns
    -------
    model : keras.Model
        Layers ``utterance_norm``, ``spec_augment``, ``conv1``.., ``bn1``..,
        ``pool1``.., ``to_sequence``, ``rnn``, ``attention_pool``, ``dense``,
        ``output`` (those enabled).
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) == 3 and input_shape[2] == 1:
        pass
    elif len(input_shape) != 2:
        raise ValueError(
            "input_shape must be (n_frames, n_mels) or (n_frames, n_mels, 1). "
            f"Received: input_shape={input_shape}"
        )
    filters = tuple(conv_filters)
    if not filters:
        raise ValueError(
            "conv_filters must name at least one block. "
            f"Received: conv_filters={conv_filters!r}"
        )
    check_each("conv_filters", filters, POSITIVE_INT)
    check_params(
        {
            "kernel_size": kernel_size,
            "rnn_units": rnn_units,
            "attention_units": attention_units,
            "dense_units": dense_units,
            "conv_dropout": conv_dropout,
            "dropout": dropout,
            "bn_momentum": bn_momentum,
        },
        _CONSTRAINTS,
    )
    pool = tuple(pool_size)
    if len(pool) != 2:
        raise ValueError(
            f"pool_size must be a pair of ints >= 1. Received: pool_size={pool_size!r}"
        )
    check_each("pool_size", pool, POSITIVE_INT)
    n_time, n_freq = input_shape[0], input_shape[1]
    n_blocks = len(filters)
    if n_time // pool[0] ** n_blocks < 1 or n_freq // pool[1] ** n_blocks < 1:
        raise ValueError(
            f"{n_blocks} blocks pooling by {pool} leave nothing of an input of "
            f"{n_time} frames x {n_freq} bands. Received: input_shape={input_shape}"
        )

    inputs = keras.Input(shape=input_shape, name="input")
    x = inputs
    if len(input_shape) == 3:
        x = layers.Reshape((n_time, n_freq), name="drop_channel")(x)
    if utterance_norm:
        # standardise every band over the time axis of its own utterance
        x = layers.LayerNormalization(
            axis=1, center=False, scale=False, epsilon=1e-3, name="utterance_norm"
        )(x)
    if spec_augment:
        x = SpecAugment(
            freq_mask_width=int(freq_mask_width),
            time_mask_width=int(time_mask_width),
            n_freq_masks=int(n_freq_masks),
            n_time_masks=int(n_time_masks),
            name="spec_augment",
        )(x)
    x = layers.Reshape((n_time, n_freq, 1), name="add_channel")(x)
    for i, f in enumerate(filters, start=1):
        x = layers.Conv2D(
            int(f), int(kernel_size), padding="same", use_bias=False, name=f"conv{i}"
        )(x)
        x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn{i}")(x)
        x = layers.ReLU(name=f"relu{i}")(x)
        x = layers.MaxPooling2D(pool, name=f"pool{i}")(x)
        if conv_dropout:
            x = layers.Dropout(conv_dropout, name=f"conv_drop{i}")(x)
    t_out = n_time // pool[0] ** n_blocks
    f_out = n_freq // pool[1] ** n_blocks
    x = layers.Reshape((t_out, f_out * int(filters[-1])), name="to_sequence")(x)
    if rnn_units:
        if bidirectional:
            rnn = layers.GRU(int(rnn_units), return_sequences=True)
            x = layers.Bidirectional(rnn, name="rnn")(x)
        else:
            x = layers.GRU(int(rnn_units), return_sequences=True, name="rnn")(x)
    x = AttentionPooling(int(attention_units), name="attention_pool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout_1")(x)
    if dense_units:
        x = layers.Dense(int(dense_units), activation="relu", name="dense")(x)
        if dropout:
            x = layers.Dropout(dropout, name="dropout_2")(x)
    outputs = layers.Dense(int(n_classes), activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="crnn")


class CRNN(BaseSERClassifier):
    """CRNN with attention pooling on log-Mel spectrograms (see :func:`build_crnn`).

    Training-only augmentation is built in: ``spec_augment=True`` masks
    time and frequency bands of the training batches (a Keras layer active
    only when ``training=True``); ``mixup_alpha > 0`` trains on mixup
    batches (:class:`MixupBatches`, with one-hot targets and categorical
    cross-entropy). Neither touches ``validation_data`` nor ``predict``.
    For waveform augmentation wrap the pipeline in
    :class:`sklearn_ser.augment.AugmentedClassifier`.

    Parameters
    ----------
    conv_filters : tuple of int, default=(16, 32, 64)
    kernel_size : int, default=3
    pool_size : tuple of int, default=(2, 2)
    conv_dropout : float, default=0.1
    bn_momentum : float, default=0.9
    rnn_units : int, default=64
        0: CNN with attention pooling (no GRU).
    bidirectional : bool, default=True
    attention_units : int, default=64
    dense_units : int, default=64
    dropout : float, default=0.3
    utterance_norm : bool, default=True
    spec_augment : bool, default=False
    freq_mask_width : int, default=8
    time_mask_width : int, default=20
    n_freq_masks : int, default=2
    n_time_masks : int, default=2
    mixup_alpha : float, default=0.0
        Beta(alpha, alpha) parameter of mixup; 0 disables it. Needs
        ``validation_split=0`` (give ``validation_data`` instead).
    learning_rate : float, default=1e-3
    epochs : int, default=30
    batch_size : int, default=32
    class_weight : dict, "balanced" or None, default="balanced"
        Class-balanced sample weights by default.
    **common
        Any parameter of :class:`BaseSERClassifier` (``random_state``,
        ``validation_data``, ``early_stopping_patience``, ``init_from``...).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(8, 32, 16)).astype("float32")
    >>> clf = CRNN(conv_filters=(4,), rnn_units=0, epochs=1, random_state=0)
    >>> clf.fit(X, ["a", "b"] * 4).predict(X).shape
    (8,)
    """

    _builder = staticmethod(build_crnn)
    _parameter_constraints = {
        **BaseSERClassifier._parameter_constraints,
        "mixup_alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        conv_filters=(16, 32, 64),
        kernel_size=3,
        pool_size=(2, 2),
        conv_dropout=0.1,
        bn_momentum=0.9,
        rnn_units=64,
        bidirectional=True,
        attention_units=64,
        dense_units=64,
        dropout=0.3,
        utterance_norm=True,
        spec_augment=False,
        freq_mask_width=8,
        time_mask_width=20,
        n_freq_masks=2,
        n_time_masks=2,
        mixup_alpha=0.0,
        learning_rate=1e-3,
        epochs=30,
        batch_size=32,
        class_weight="balanced",
        **common,
    ):
        self.conv_filters = conv_filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.conv_dropout = conv_dropout
        self.bn_momentum = bn_momentum
        self.rnn_units = rnn_units
        self.bidirectional = bidirectional
        self.attention_units = attention_units
        self.dense_units = dense_units
        self.dropout = dropout
        self.utterance_norm = utterance_norm
        self.spec_augment = spec_augment
        self.freq_mask_width = freq_mask_width
        self.time_mask_width = time_mask_width
        self.n_freq_masks = n_freq_masks
        self.n_time_masks = n_time_masks
        self.mixup_alpha = mixup_alpha
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            class_weight=class_weight,
            **common,
        )

    # mixup trains on soft targets: one-hot labels, categorical cross-entropy
    def _mixup(self):
        return self.mixup_alpha > 0

    def _effective_loss(self):
        if self._mixup() and self.loss is None:
            return "categorical_crossentropy"
        return self.loss

    @property
    def target_encoder(self):
        encoder = super().target_encoder
        encoder.loss = self._effective_loss()
        return encoder

    def _get_compile_kwargs(self):
        kw = super()._get_compile_kwargs()
        if self._mixup() and self.loss is None:
            kw["loss"] = "categorical_crossentropy"
        return kw

    def _validate_params(self):
        super()._validate_params()
        if self._mixup():
            if self.validation_split:
                raise ValueError(
                    "mixup_alpha > 0 trains from mixed batches, which cannot be "
                    "split; give validation_data instead. "
                    f"Received: validation_split={self.validation_split!r}"
                )
            if self.loss not in (None, "categorical_crossentropy"):
                raise ValueError(
                    "mixup_alpha > 0 needs soft targets (categorical "
                    f"cross-entropy). Received: loss={self.loss!r}"
                )

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        if not self._mixup():
            return super()._fit_keras_model(
                X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
            )
        seed = self._random_state
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        batches = MixupBatches(
            X,
            y,
            sample_weight,
            batch_size=self.batch_size or 32,
            alpha=float(self.mixup_alpha),
            seed=int(seed),
        )
        kwargs.update(batch_size=None, shuffle=False)
        return super()._fit_keras_model(
            batches, None, None, warm_start, epochs, initial_epoch, **kwargs
        )
