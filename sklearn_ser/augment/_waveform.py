"""Waveform augmentation as a fit-time resampler, and the classifier that uses it.

Layout: ``X`` is a batch of audio as everywhere in the toolkit (paths and/or
1-D ``float32`` waveforms at ``sr``, or a 2-D array of equal-length
waveforms). :meth:`WaveformAugmenter.fit_resample` returns the originals
followed by ``n_copies`` augmented copies of each, in the same layout (a 2-D
array stays a 2-D array of the same width; otherwise a list of 1-D arrays).
"""

import contextlib
import numbers
import random
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _num_samples, check_is_fitted

from ..io import as_waveforms, fix_length
from ..utils._groups import check_groups_shape

__all__ = [
    "AugmentedClassifier",
    "WaveformAugmenter",
    "babble_noise",
    "pitch_shift",
    "speed_perturb",
]


def speed_perturb(*, y, rate, max_denominator=20):
    """Play a waveform ``rate`` times faster (tempo and pitch change together).

    Kaldi-style speed perturbation: the signal is resampled by the rational
    approximation of ``1 / rate`` (polyphase filter) and read at the original
    rate, so the output has about ``len(y) / rate`` samples.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    rate : float
        Speed factor (> 0); 1.1 is 10 % faster and higher.
    max_denominator : int, default=20
        Largest denominator of the rational approximation of ``rate``.

    Returns
    -------
    y_out : ndarray of shape (about n_times / rate,), float32
    """
    if not isinstance(rate, numbers.Real) or not rate > 0:
        raise ValueError(f"rate must be a positive number. Received: rate={rate!r}")
    frac = Fraction(float(rate)).limit_denominator(int(max_denominator))
    y = np.asarray(y, dtype=np.float32)
    if frac == 1:
        return y.copy()
    return resample_poly(y, frac.denominator, frac.numerator).astype(np.float32)


def pitch_shift(*, y, semitones, sr):
    """Shift a waveform's pitch by ``semitones``, keeping its duration.

    librosa's phase vocoder (time stretch, then resampling with soxr_hq),
    what ``audiomentations.PitchShift(method="librosa_phase_vocoder")``
    applies: pitch and formants move together, the tempo stays.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    semitones : float
        Shift in semitones (+2 is about 12 % higher).
    sr : int
        Rate of ``y``.

    Returns
    -------
    y_out : ndarray of shape (n_times,), float32
    """
    if not isinstance(semitones, numbers.Real) or not np.isfinite(semitones):
        raise ValueError(
            f"semitones must be a finite number. Received: semitones={semitones!r}"
        )
    y = np.asarray(y, dtype=np.float32)
    if semitones == 0:
        return y.copy()
    try:
        import librosa
    except ImportError as exc:  # pragma: no cover - depends on the env
        raise ImportError(
            "pitch-shifted copies need librosa (pip install 'sklearn-ser[augment]'). "
            f"Received: semitones={semitones!r}"
        ) from exc
    out = librosa.effects.pitch_shift(
        y, sr=sr, n_steps=float(semitones), res_type="soxr_hq"
    )
    return np.asarray(out, dtype=np.float32)


def resample_inputs(X, y, groups, sr):
    """``(waveforms, y, groups)`` of a resampler's input, lengths checked."""
    waves = as_waveforms(X, sr)
    y = np.asarray(y)
    n = len(waves)
    if y.shape[0] != n:
        raise ValueError(
            f"X and y have different lengths. Received: len(X)={n}, "
            f"len(y)={y.shape[0]}"
        )
    if groups is not None:
        groups = check_groups_shape(groups, n)
    return waves, y, groups


def in_layout_of(X, out):
    """``out`` (a list of waveforms) as a 2-D array of ``X``'s width when ``X``
    is a 2-D array, else as it is."""
    if isinstance(X, np.ndarray) and X.ndim == 2:
        return np.stack([fix_length(w, X.shape[1]) for w in out]).astype(np.float32)
    return out


def babble_noise(*, y, others, snr_db):
    """Add the sum of other utterances to ``y`` at a signal-to-babble ratio.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    others : list of ndarray
        Utterances to mix (each tiled or trimmed to ``len(y)``).
    snr_db : float
        Ratio of the power of ``y`` to the power of the babble, in dB.

    Returns
    -------
    y_out : ndarray of shape (n_times,), float32
    """
    y = np.asarray(y, dtype=np.float32)
    if not len(others):
        raise ValueError("others must hold at least one utterance. Received: others=[]")
    n = y.shape[0]
    babble = np.zeros(n, dtype=np.float64)
    for o in others:
        o = np.asarray(o, dtype=np.float64)
        if o.size == 0:
            continue
        babble += np.resize(o, n)
    p_y = float(np.mean(np.square(y, dtype=np.float64)))
    p_b = float(np.mean(np.square(babble)))
    if p_y == 0.0 or p_b == 0.0:
        return y.copy()
    gain = np.sqrt(p_y / (p_b * 10.0 ** (snr_db / 10.0)))
    return (y + gain * babble).astype(np.float32)


@contextlib.contextmanager
def _seeded_global_rngs(seed):
    """Seed Python's and NumPy's global generators (audiomentations draws from
    them) and restore their previous state afterwards."""
    py_state = random.getstate()
    np_state = np.random.get_state()
    random.seed(seed)
    np.random.seed(seed)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


def _range_constraint():
    return [tuple, list, None]


def _check_range(name, value, *, low=None):
    if value is None:
        return None
    if len(value) != 2 or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(
            f"{name} must be None or a pair (low, high) of numbers. "
            f"Received: {name}={value!r}"
        )
    lo, hi = float(value[0]), float(value[1])
    if lo > hi or (low is not None and lo <= low):
        bound = f" and low > {low}" if low is not None else ""
        raise ValueError(
            f"{name} must satisfy low <= high{bound}. Received: {name}={value!r}"
        )
    return lo, hi


class WaveformAugmenter(BaseEstimator):
    """Augment training waveforms; a resampler with ``fit_resample`` only.

    Each original is kept and ``n_copies`` augmented copies are appended.
    For every copy, each enabled transform is applied with probability
    ``p``, in this order: speed perturbation, pitch shift
    (``audiomentations.PitchShift``), babble from other training speakers,
    Gaussian noise (``audiomentations.AddGaussianSNR``). Following
    imbalanced-learn's samplers, there is no ``transform``: the augmenter can
    change training data only, and :class:`AugmentedClassifier` is how it is
    used in a model.

    Parameters
    ----------
    n_copies : int, default=1
        Augmented copies per original.
    speed : tuple (low, high) or None, default=(0.9, 1.1)
        Range of the speed factor (see :func:`speed_perturb`); None disables.
    pitch_semitones : tuple (low, high) or None, default=(-2.0, 2.0)
        Range of the pitch shift in semitones; None disables.
    noise_snr_db : tuple (low, high) or None, default=(15.0, 30.0)
        Range of the signal-to-noise ratio of white Gaussian noise; None
        disables.
    babble_snr_db : tuple (low, high) or None, default=(10.0, 20.0)
        Range of the signal-to-babble ratio; the babble is the sum of
        ``babble_speakers`` training utterances of other speakers (other
        ``groups``; any other utterance without groups). None disables.
    babble_speakers : int, default=3
    p : float, default=0.5
        Probability that each enabled transform is applied to a copy.
    sr : int, default=16000
        Rate of the waveforms (paths are loaded at it).
    random_state : int, RandomState or None, default=None
        Seeds every draw: the same seed and data give the same output.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples * (1 + n_copies),)
        Index of the original behind each output row (imbalanced-learn's
        name); use it to repeat ``groups`` or metadata.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(4, 1600)).astype("float32")
    >>> aug = WaveformAugmenter(pitch_semitones=None, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, ["a", "b", "a", "b"])
    >>> X_res.shape, y_res.tolist()
    ((8, 1600), ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'])
    """

    _parameter_constraints = {
        "n_copies": [Interval(numbers.Integral, 1, None, closed="left")],
        "speed": _range_constraint(),
        "pitch_semitones": _range_constraint(),
        "noise_snr_db": _range_constraint(),
        "babble_snr_db": _range_constraint(),
        "babble_speakers": [Interval(numbers.Integral, 1, None, closed="left")],
        "p": [Interval(numbers.Real, 0, 1, closed="both")],
        "sr": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_copies=1,
        speed=(0.9, 1.1),
        pitch_semitones=(-2.0, 2.0),
        noise_snr_db=(15.0, 30.0),
        babble_snr_db=(10.0, 20.0),
        babble_speakers=3,
        p=0.5,
        sr=16000,
        random_state=None,
    ):
        self.n_copies = n_copies
        self.speed = speed
        self.pitch_semitones = pitch_semitones
        self.noise_snr_db = noise_snr_db
        self.babble_snr_db = babble_snr_db
        self.babble_speakers = babble_speakers
        self.p = p
        self.sr = sr
        self.random_state = random_state

    def _ranges(self):
        return {
            "speed": _check_range("speed", self.speed, low=0.0),
            "pitch": _check_range("pitch_semitones", self.pitch_semitones),
            "noise": _check_range("noise_snr_db", self.noise_snr_db),
            "babble": _check_range("babble_snr_db", self.babble_snr_db),
        }

    def _audiomentations(self, ranges):
        """The audiomentations transforms (imported only when enabled)."""
        tfm = {}
        if ranges["pitch"] is None and ranges["noise"] is None:
            return tfm
        try:
            import audiomentations as am
        except ImportError as exc:  # pragma: no cover - depends on the env
            raise ImportError(
                "pitch_semitones and noise_snr_db need audiomentations "
                "(pip install 'sklearn-ser[augment]'), or set them to None. "
                f"Received: pitch_semitones={self.pitch_semitones!r}, "
                f"noise_snr_db={self.noise_snr_db!r}"
            ) from exc
        if ranges["pitch"] is not None:
            lo, hi = ranges["pitch"]
            tfm["pitch"] = am.PitchShift(min_semitones=lo, max_semitones=hi, p=1.0)
        if ranges["noise"] is not None:
            lo, hi = ranges["noise"]
            tfm["noise"] = am.AddGaussianSNR(min_snr_db=lo, max_snr_db=hi, p=1.0)
        return tfm

    def fit_resample(self, X, y, *, groups=None):
        """Return the originals followed by their augmented copies.

        Parameters
        ----------
        X : array-like of paths and/or waveforms, or 2-D array
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Speaker of each sample; babble is drawn from other speakers.

        Returns
        -------
        X_res : list of ndarray, or 2-D ndarray when ``X`` is 2-D
        y_res : ndarray of shape (n_samples * (1 + n_copies),)
        """
        self._validate_params()
        ranges = self._ranges()
        tfm = self._audiomentations(ranges)
        waves, y, groups = resample_inputs(X, y, groups, self.sr)
        n = len(waves)
        rng = check_random_state(self.random_state)
        # one seed for the global generators audiomentations uses
        am_seed = int(rng.randint(0, 2**31 - 1))
        out = list(waves)
        with _seeded_global_rngs(am_seed):
            for _ in range(self.n_copies):
                for i in range(n):
                    out.append(self._augment_one(i, waves, groups, ranges, tfm, rng))
        out = in_layout_of(X, out)
        self.sample_indices_ = np.tile(np.arange(n), 1 + self.n_copies)
        self.n_features_in_ = 1
        return out, y[self.sample_indices_]

    def _augment_one(self, i, waves, groups, ranges, tfm, rng):
        w = np.asarray(waves[i], dtype=np.float32)
        if ranges["speed"] is not None and rng.rand() < self.p:
            w = speed_perturb(y=w, rate=rng.uniform(*ranges["speed"]))
        if "pitch" in tfm and rng.rand() < self.p:
            w = tfm["pitch"](samples=w, sample_rate=self.sr)
        if ranges["babble"] is not None and rng.rand() < self.p:
            if groups is None:
                pool = np.flatnonzero(np.arange(len(waves)) != i)
            else:
                pool = np.flatnonzero(groups != groups[i])
            if pool.size:
                k = min(self.babble_speakers, pool.size)
                picks = rng.choice(pool, size=k, replace=False)
                w = babble_noise(
                    y=w,
                    others=[waves[j] for j in picks],
                    snr_db=rng.uniform(*ranges["babble"]),
                )
        if "noise" in tfm and rng.rand() < self.p:
            w = tfm["noise"](samples=w, sample_rate=self.sr)
        return np.asarray(w, dtype=np.float32)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.string = True
        return tags


def _estimator_has(attr):
    def check(self):
        if hasattr(self, "estimator_"):
            return hasattr(self.estimator_, attr)
        return hasattr(self.estimator, attr)

    return check


class AugmentedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit a classifier on augmented data; predict with it on the data as given.

    ``fit`` resamples ``(X, y)`` with ``augmenter.fit_resample`` (e.g.
    :class:`WaveformAugmenter`) and fits a clone of ``estimator`` on the
    result; ``predict``, ``predict_proba``, ``decision_function`` and
    ``score`` pass ``X`` to the fitted estimator untouched. This is
    imbalanced-learn's Pipeline rule (samplers act in ``fit`` only) for one
    sampler in front of any estimator, typically a feature Pipeline.

    Parameters
    ----------
    estimator : classifier
        Usually a Pipeline from audio to a classifier.
    augmenter : object with ``fit_resample(X, y, groups=None)``
        The fit-time resampler; ``None`` fits on the data as given.
    groups_param : str, default=None
        Name of the ``estimator.fit`` parameter that receives the speakers of
        the augmented rows (each copy keeps its original's speaker), e.g.
        ``"vote__groups"`` for a Pipeline whose step ``"vote"`` takes
        ``groups``; ``None`` passes no speakers to ``estimator``. With
        scikit-learn's metadata routing enabled, a Pipeline takes
        ``"groups"`` and routes it to the steps that request it.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.
    augmenter_ : object
        The fitted clone of ``augmenter`` (None without one).
    classes_ : ndarray
    n_features_in_ : int
        The fitted estimator's, when it has one.
    n_train_ : int
        Number of (augmented) samples the estimator was fitted on.
    """

    def __init__(self, estimator, augmenter=None, *, groups_param=None):
        self.estimator = estimator
        self.augmenter = augmenter
        self.groups_param = groups_param

    def fit(self, X, y, groups=None, **fit_params):
        """Augment ``(X, y)`` and fit ``estimator`` on the result.

        Parameters
        ----------
        X : array-like of audio
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Speakers, passed to ``augmenter.fit_resample`` and, repeated for
            the copies, to ``estimator.fit`` as ``groups_param``.
        **fit_params
            Passed to ``estimator.fit``.

        Returns
        -------
        self : AugmentedClassifier
        """
        if self.augmenter is None:
            self.augmenter_ = None
            X_res, y_res = X, y
        else:
            if not hasattr(self.augmenter, "fit_resample"):
                raise TypeError(
                    "augmenter must implement fit_resample(X, y, groups=None). "
                    f"Received: augmenter={self.augmenter!r}"
                )
            self.augmenter_ = clone(self.augmenter)
            X_res, y_res = self.augmenter_.fit_resample(X, y, groups=groups)
        if self.groups_param is not None and groups is not None:
            if not isinstance(self.groups_param, str):
                raise TypeError(
                    "groups_param must be the name of a fit parameter of estimator "
                    f"or None. Received: groups_param={self.groups_param!r}"
                )
            groups = check_groups_shape(groups, _num_samples(y))
            if self.augmenter_ is not None:
                idx = getattr(self.augmenter_, "sample_indices_", None)
                if idx is None:
                    raise ValueError(
                        f"groups_param={self.groups_param!r} needs the original "
                        "of every augmented row, but the augmenter "
                        f"{type(self.augmenter_).__name__} sets no sample_indices_ "
                        "in fit_resample"
                    )
                groups = groups[idx]
            fit_params = {**fit_params, self.groups_param: groups}
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        self.n_train_ = _num_samples(y_res)
        return self

    def predict(self, X):
        """Predict with the fitted estimator on ``X`` as given."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the fitted estimator on ``X`` as given."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the fitted estimator on ``X`` as given."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        return tags
