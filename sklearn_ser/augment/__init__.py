"""Data augmentation that acts while a model is trained and never at prediction.

Waveform-level augmentation (speed perturbation, pitch shift, additive
Gaussian noise, babble from other training speakers) is a *resampler*: like
imbalanced-learn's samplers, :class:`WaveformAugmenter` has ``fit_resample``
and no ``transform``, so it can only change the data a model is fitted on.
:class:`AugmentedClassifier` calls it inside ``fit`` and hands prediction
data straight to the fitted estimator. :class:`ExtraTrainingData` adds a
fixed labelled set (another corpus's speakers) to every fit. Spectrogram-level
augmentation (SpecAugment masks, mixup) lives inside the networks
(:mod:`sklearn_ser.models`), where Keras applies it only when
``training=True``.

Importing this subpackage imports neither TensorFlow nor audiomentations
(the latter is loaded when a pitch shift or noise is first drawn).
"""

from ._extra import ExtraTrainingData
from ._speed import SpeedPerturbation
from ._waveform import (
    AugmentedClassifier,
    WaveformAugmenter,
    babble_noise,
    pitch_shift,
    speed_perturb,
)

__all__ = [
    "AugmentedClassifier",
    "ExtraTrainingData",
    "SpeedPerturbation",
    "WaveformAugmenter",
    "babble_noise",
    "pitch_shift",
    "speed_perturb",
]
