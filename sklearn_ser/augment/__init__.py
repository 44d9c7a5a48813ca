"""Data augmentation that acts while a model is trained and never at prediction.

Waveform-level augmentation (speed perturbation, pitch shift, additive
Gaussian noise, babble from other training speakers) is a *resampler*: like
imbalanced-learn's samplers, :class:`WaveformAugmenter` has ``fit_resample``
and no ``transform``, so it can only change the data a model is fitted on.
:class:`AugmentedClassifier` calls it inside ``fit`` and hands prediction
data straight to the fitted estimator. Spectrogram-level augmentation
(SpecAugment masks, mixup) lives inside the networks
(:mod:`sklearn_ser.models`), where Keras applies it only when
``training=True``.

Importing this subpackage imports neither TensorFlow nor audiomentations
(the latter is loaded when a pitch shift or noise is first drawn).
"""

from ._waveform import (
    AugmentedClassifier,
    WaveformAugmenter,
    babble_noise,
    speed_perturb,
)

__all__ = [
    "AugmentedClassifier",
    "WaveformAugmenter",
    "babble_noise",
    "speed_perturb",
]
