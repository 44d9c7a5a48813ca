"""Per-recording loudness normalisation, a waveform-to-waveform transformer."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._waveform_base import WaveformTransformer

__all__ = ["LoudnessNormalizer", "normalize_loudness"]


def normalize_loudness(*, y, target_db=-25.0, peak=0.99):
    """``y`` scaled to an RMS of ``target_db`` dBFS, its peak kept <= ``peak``.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    target_db : float, default=-25.0
    peak : float, default=0.99

    Returns
    -------
    y_out : ndarray of float32 (a copy; all-zero input is returned as it is)
    """
    y = np.asarray(y, np.float32)
    rms = float(np.sqrt(np.mean(np.square(y, dtype=np.float64)))) if y.size else 0.0
    top = float(np.abs(y).max()) if y.size else 0.0
    if rms <= 0.0 or top <= 0.0:
        return y.copy()
    gain = 10.0 ** (target_db / 20.0) / rms
    if top * gain > peak:  # never clip: the loudest sample sets the gain
        gain = peak / top
    return (y * np.float32(gain)).astype(np.float32)


class LoudnessNormalizer(WaveformTransformer):
    """Scale each recording to the same loudness (RMS in dBFS).

    How loud a file is says more about the microphone, its distance and the
    recording gain than about the emotion, and differs between speakers and
    corpora; features such as openSMILE's loudness and energy functionals
    carry it. Each recording is multiplied by the gain that brings its RMS
    to ``target_db`` dBFS, or, when that would push a sample beyond
    ``peak``, by the gain that brings its loudest sample to ``peak`` (no
    clipping). Loudness *changes within* a recording are kept. Put it after
    :class:`TrimSilence` (``pauses=True``) so that the RMS is the speech's,
    not the silence's.

    The transform is stateless and strict: it reads nothing but the
    recording.

    Parameters
    ----------
    target_db : float, default=-25.0
        RMS to reach, in dB relative to full scale (< 0).
    peak : float, default=0.99
        Largest absolute sample value allowed after scaling.
    sr : int, default=16000
        Rate that paths are decoded at.
    n_jobs : int or None, default=None
        Processes for decoding paths.
    verbose : int, default=0

    Attributes
    ----------
    n_features_in_ : int
        1 (``X`` is one column of audio).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.preprocessing import LoudnessNormalizer
    >>> quiet = np.full(1000, 0.001, np.float32)
    >>> out = LoudnessNormalizer(target_db=-20.0).fit_transform([quiet])[0]
    >>> round(float(20 * np.log10(np.sqrt(np.mean(out ** 2)))), 3)
    -20.0
    """

    _parameter_constraints = {
        "target_db": [Interval(Real, None, 0, closed="neither")],
        "peak": [Interval(Real, 0, 1, closed="right")],
        "sr": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(self, *, target_db=-25.0, peak=0.99, sr=16000, n_jobs=None, verbose=0):
        self.target_db = target_db
        self.peak = peak
        self.sr = sr
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _transform_waveforms(self, waves):
        return [
            normalize_loudness(y=w, target_db=self.target_db, peak=self.peak)
            for w in waves
        ]
