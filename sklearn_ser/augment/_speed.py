"""Kaldi-style speed perturbation (and pitch shifts) with fixed factors, as a
fit-time resampler."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

from ._waveform import in_layout_of, pitch_shift, resample_inputs, speed_perturb

__all__ = ["SpeedPerturbation"]


class SpeedPerturbation(BaseEstimator):
    """Add one copy of every training file per speed factor (Kaldi's recipe).

    ``fit_resample`` returns the originals followed by all of them played
    ``rates[0]`` times faster, then ``rates[1]`` times faster, and so on
    (:func:`speed_perturb`: tempo and pitch change together). Unlike
    :class:`WaveformAugmenter`, which draws a random factor per copy, the
    factors are fixed, as in Kaldi's 0.9x / 1.0x / 1.1x training sets, so the
    augmented set does not depend on a seed. With ``semitones``, one
    pitch-shifted copy per shift follows (:func:`pitch_shift`: the pitch
    moves, the duration stays). Use it in :class:`AugmentedClassifier`, which
    applies it at fit time only.

    Parameters
    ----------
    rates : tuple of float, default=(0.9, 1.1)
        Speed factors of the copies (> 0; 1.0 would repeat the originals).
    semitones : tuple of float, default=()
        Pitch shifts of further copies, in semitones (needs librosa, which
        the ``augment`` extra installs).
    sr : int, default=16000
        Rate at which paths are decoded (and of waveforms given).

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples * (1 + len(rates) + len(semitones)),)
        The original sample of each output row.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.augment import SpeedPerturbation
    >>> X = [np.zeros(16000, np.float32), np.zeros(8000, np.float32)]
    >>> X_res, y_res = SpeedPerturbation().fit_resample(X, ["a", "b"])
    >>> [len(w) for w in X_res], y_res.tolist()
    ([16000, 8000, 17778, 8889, 14546, 7273], ['a', 'b', 'a', 'b', 'a', 'b'])
    """

    _parameter_constraints = {
        "rates": ["array-like"],
        "semitones": ["array-like"],
        "sr": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, rates=(0.9, 1.1), *, semitones=(), sr=16000):
        self.rates = rates
        self.semitones = semitones
        self.sr = sr

    def fit_resample(self, X, y, *, groups=None):
        """Return the originals followed by one speed-perturbed copy per rate.

        Parameters
        ----------
        X : array-like of paths and/or waveforms, or 2-D array
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Checked only (a copy keeps its speaker).

        Returns
        -------
        X_res : list of ndarray, or 2-D ndarray (same width) when ``X`` is 2-D
        y_res : ndarray of shape (n_samples * (1 + len(rates) + len(semitones)),)
        """
        self._validate_params()
        rates = [float(r) for r in np.atleast_1d(self.rates)]
        bad = [r for r in rates if not r > 0]
        if not rates or bad:
            raise ValueError(
                "rates must be one or more positive speed factors. "
                f"Received: rates={self.rates!r}"
            )
        shifts = [float(s) for s in np.atleast_1d(self.semitones)]
        if not all(np.isfinite(shifts)) or 0.0 in shifts:
            raise ValueError(
                "semitones must be non-zero, finite pitch shifts. "
                f"Received: semitones={self.semitones!r}"
            )
        waves, y, _ = resample_inputs(X, y, groups, self.sr)
        out = list(waves)
        for rate in rates:
            out.extend(speed_perturb(y=w, rate=rate) for w in waves)
        for shift in shifts:
            out.extend(pitch_shift(y=w, semitones=shift, sr=self.sr) for w in waves)
        out = in_layout_of(X, out)
        n = len(waves)
        self.sample_indices_ = np.tile(np.arange(n), 1 + len(rates) + len(shifts))
        self.n_features_in_ = 1
        return out, y[self.sample_indices_]
