"""Training-only augmentation inside the networks: SpecAugment masks and mixup.

:class:`SpecAugment` is a Keras layer: like Keras' preprocessing layers
(``RandomFlip``, ``RandomZoom``) it changes its input only when called with
``training=True`` (inside ``Model.fit``) and is the identity in ``predict``
and ``evaluate``, so validation and test data are never masked.

Mixup (Zhang et al., 2018) needs the labels, so it lives in the training
loop: :class:`MixupBatches` is the ``keras.utils.PyDataset`` that
``Model.fit`` draws its training batches from; validation data and
prediction never go through it.
"""

import keras
import numpy as np
from keras import layers, ops

from ..utils._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    POSITIVE_REAL,
    check_params,
)

__all__ = ["AttentionPooling", "MixupBatches", "SpecAugment"]

_MASK_CONSTRAINTS = {
    name: [NON_NEGATIVE_INT]
    for name in ("freq_mask_width", "time_mask_width", "n_freq_masks", "n_time_masks")
}


@keras.saving.register_keras_serializable(package="sklearn_ser")
class SpecAugment(layers.Layer):
    """SpecAugment time and frequency masks (Park et al., Interspeech 2019).

    Input ``(batch, time, freq)`` or ``(batch, time, freq, channels)``. In
    training, each sample gets ``n_freq_masks`` bands of ``f`` consecutive
    frequency bins and ``n_time_masks`` spans of ``t`` consecutive frames set
    to ``mask_value``, with ``f`` drawn uniformly from ``[0,
    freq_mask_width]`` and ``t`` from ``[0, time_mask_width]`` (time warping
    is not implemented). Outside training the layer returns its input.

    Parameters
    ----------
    freq_mask_width : int, default=8
    time_mask_width : int, default=20
    n_freq_masks : int, default=2
    n_time_masks : int, default=2
    mask_value : float, default=0.0
        Value written into masked cells (0 is the mean of an
        utterance-normalised spectrogram).
    seed : int or None, default=None
        Seed of the layer's generator (None: from Keras' global seed).
    """

    def __init__(
        self,
        freq_mask_width=8,
        time_mask_width=20,
        n_freq_masks=2,
        n_time_masks=2,
        mask_value=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_params(
            {
                "freq_mask_width": freq_mask_width,
                "time_mask_width": time_mask_width,
                "n_freq_masks": n_freq_masks,
                "n_time_masks": n_time_masks,
            },
            _MASK_CONSTRAINTS,
        )
        self.freq_mask_width = freq_mask_width
        self.time_mask_width = time_mask_width
        self.n_freq_masks = n_freq_masks
        self.n_time_masks = n_time_masks
        self.mask_value = float(mask_value)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def _band_mask(self, batch, size, n_masks, max_width):
        """``(batch, size)`` bool: True inside any of ``n_masks`` random bands."""
        width = ops.floor(
            keras.random.uniform(
                (batch, n_masks), 0.0, max_width + 1.0, seed=self.seed_generator
            )
        )
        width = ops.minimum(width, float(size))
        start = ops.floor(
            keras.random.uniform((batch, n_masks), 0.0, 1.0, seed=self.seed_generator)
            * (float(size) - width + 1.0)
        )
        pos = ops.reshape(ops.arange(size, dtype="float32"), (1, 1, size))
        inside = ops.logical_and(
            pos >= ops.expand_dims(start, -1),
            pos < ops.expand_dims(start + width, -1),
        )
        return ops.any(inside, axis=1)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        shape = ops.shape(inputs)
        batch, n_time, n_freq = shape[0], shape[1], shape[2]
        masked = ops.zeros((batch, n_time, n_freq), dtype="bool")
        if self.n_freq_masks and self.freq_mask_width:
            f = self._band_mask(batch, n_freq, self.n_freq_masks, self.freq_mask_width)
            masked = ops.logical_or(masked, ops.expand_dims(f, 1))
        if self.n_time_masks and self.time_mask_width:
            t = self._band_mask(batch, n_time, self.n_time_masks, self.time_mask_width)
            masked = ops.logical_or(masked, ops.expand_dims(t, 2))
        if len(inputs.shape) == 4:
            masked = ops.expand_dims(masked, -1)
        fill = ops.cast(self.mask_value, inputs.dtype)
        return ops.where(masked, fill, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            freq_mask_width=self.freq_mask_width,
            time_mask_width=self.time_mask_width,
            n_freq_masks=self.n_freq_masks,
            n_time_masks=self.n_time_masks,
            mask_value=self.mask_value,
            seed=self.seed,
        )
        return config


@keras.saving.register_keras_serializable(package="sklearn_ser")
class AttentionPooling(layers.Layer):
    """Attention pooling over time: ``sum_t softmax_t(v . tanh(W h_t)) h_t``.

    Input ``(batch, time, features)``, output ``(batch, features)``.

    Parameters
    ----------
    units : int, default=64
        Width of the attention's hidden projection ``W``.
    """

    def __init__(self, units=64, **kwargs):
        super().__init__(**kwargs)
        check_params({"units": units}, {"units": [POSITIVE_INT]})
        self.units = units

    def build(self, input_shape):
        d = int(input_shape[-1])
        self.w = self.add_weight(
            name="w", shape=(d, self.units), initializer="glorot_uniform"
        )
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros")
        self.v = self.add_weight(
            name="v", shape=(self.units, 1), initializer="glorot_uniform"
        )

    def call(self, inputs):
        scores = ops.matmul(ops.tanh(ops.matmul(inputs, self.w) + self.b), self.v)
        weights = ops.softmax(scores, axis=1)
        return ops.sum(weights * inputs, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units)
        return config


class MixupBatches(keras.utils.PyDataset):
    """Training batches with mixup, for ``keras.Model.fit``.

    Every epoch the samples are shuffled and cut into batches; within a
    batch each sample ``i`` is mixed with sample ``perm[i]`` of the same
    batch: ``x = lam x_i + (1 - lam) x_perm[i]``, likewise the one-hot
    targets and the sample weights, with ``lam ~ Beta(alpha, alpha)`` drawn
    per sample. Draws depend only on ``(seed, epoch, batch index)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, ...)
    y : ndarray of shape (n_samples, n_classes)
        One-hot (or soft) targets.
    sample_weight : ndarray of shape (n_samples,) or None
    batch_size : int
    alpha : float
        Beta distribution parameter (> 0).
    seed : int
    """

    def __init__(self, X, y, sample_weight, *, batch_size, alpha, seed):
        super().__init__()
        check_params({"alpha": alpha}, {"alpha": [POSITIVE_REAL]})
        self.X = np.asarray(X, dtype=np.float32)
        self.y = np.asarray(y, dtype=np.float32)
        self.sample_weight = (
            None if sample_weight is None else np.asarray(sample_weight, np.float32)
        )
        self.batch_size = int(batch_size)
        self.alpha = float(alpha)
        self.seed = int(seed)
        self.epoch = 0
        self._order = self._shuffle()

    def _shuffle(self):
        rng = np.random.default_rng([self.seed, self.epoch, 2**31 - 1])
        return rng.permutation(len(self.X))

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def mix(self, idx, batch_index):
        """Mixed ``(x, y[, w])`` for the samples ``idx`` (a batch)."""
        rng = np.random.default_rng([self.seed, self.epoch, batch_index])
        perm = rng.permutation(len(idx))
        lam = rng.beta(self.alpha, self.alpha, size=len(idx)).astype(np.float32)
        x, y = self.X[idx], self.y[idx]
        lx = lam.reshape((-1,) + (1,) * (x.ndim - 1))
        x = lx * x + (1.0 - lx) * x[perm]
        y = lam[:, None] * y + (1.0 - lam[:, None]) * y[perm]
        if self.sample_weight is None:
            return x, y
        w = self.sample_weight[idx]
        return x, y, lam * w + (1.0 - lam) * w[perm]

    def __getitem__(self, index):
        idx = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        return self.mix(idx, index)

    def on_epoch_end(self):
        self.epoch += 1
        self._order = self._shuffle()
