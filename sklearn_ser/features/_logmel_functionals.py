"""Utterance functionals of log-Mel bands over the active (speech) frames."""

from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.utils._param_validation import Interval

from ._base import BaseAudioTransformer
from ._delta import delta
from ._framing import preemphasis
from ._mel import mel_filterbank
from ._spectrum import stft

__all__ = ["LOGMEL_STATS", "LogMelFunctionals", "logmel_functionals"]

#: the per-band statistics, in column order (band-minor within each)
LOGMEL_STATS = ("std", "skew", "kurtosis", "p10", "p50", "p90", "slope")


def _band_stats(X):
    """(frames, d) -> (7, d): :data:`LOGMEL_STATS`, percentiles minus the mean.

    No mean column: subtracting it makes every statistic blind to a constant
    offset of the band (cepstral-mean normalisation of the utterance), which
    carries the channel and much of the speaker.
    """
    T = X.shape[0]
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    z = (X - mu) / np.maximum(sd, 1e-8)
    skew = (z**3).mean(axis=0)
    kurt = (z**4).mean(axis=0) - 3.0
    pct = np.percentile(X, [10, 50, 90], axis=0) - mu
    t = np.arange(T) - (T - 1) / 2.0
    slope = t @ (X - mu) / max(float(t @ t), 1e-8)
    return np.vstack([sd, skew, kurt, pct, slope[None]])


def frame_setup(sr, n_mels=64):
    """``(n_fft, hop, win, mel filterbank)``: 25 ms Hamming frames every 10 ms."""
    n_fft = 512 if sr <= 16000 else 1 << int(np.ceil(np.log2(0.032 * sr)))
    hop, win = round(0.010 * sr), round(0.025 * sr)
    fb = mel_filterbank(sr=sr, n_fft=n_fft, n_mels=n_mels).astype(np.float64)
    return n_fft, hop, win, fb


def mel_power(y, fb, n_fft, hop, win):
    """(frames, n_mels) Mel power of the pre-emphasised (0.97) recording."""
    frames = stft(
        y=preemphasis(y=np.asarray(y, np.float32), coef=0.97),
        n_fft=n_fft,
        hop_length=hop,
        win_length=win,
        window="hamming",
        power=2.0,
    ).astype(np.float64)
    return frames @ fb.T + 1e-10


def active_frames(mel, active_db, min_active):
    """Frames whose Mel energy is within ``active_db`` dB of the 99th-percentile
    frame (all of them when fewer than ``min_active`` are)."""
    energy = 10 * np.log10(mel.sum(axis=1))
    active = energy > np.percentile(energy, 99) - active_db
    if active.sum() < min_active:
        active[:] = True
    return active


def _one(y, fb, n_fft, hop, win, active_db, min_active):
    mel = mel_power(y, fb, n_fft, hop, win)
    log_mel = np.log(mel)
    feats = np.hstack([log_mel, delta(X=log_mel, width=2, axis=-2)])
    active = active_frames(mel, active_db, min_active)
    return _band_stats(feats[active]).ravel().astype(np.float32)


def logmel_functionals(
    *, waves, sr=16000, n_mels=64, active_db=35.0, min_active=10, n_jobs=None
):
    """(n, 7 * 2 * n_mels) functionals of log-Mel bands and their deltas.

    See :class:`LogMelFunctionals`.
    """
    n_fft, hop, win, fb = frame_setup(sr, n_mels)
    rows = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_one)(w, fb, n_fft, hop, win, active_db, min_active) for w in waves
    )
    return np.vstack(rows) if rows else np.zeros((0, 14 * n_mels), np.float32)


class LogMelFunctionals(BaseAudioTransformer):
    """Per-band statistics of the log-Mel spectrogram over the speech frames.

    Each recording is pre-emphasised (0.97), framed (25 ms Hamming windows
    every 10 ms), turned into ``n_mels`` log-Mel bands plus their deltas, and
    the *active* frames are kept: those whose Mel energy is within
    ``active_db`` dB of the recording's 99th-percentile frame (all frames if
    fewer than ``min_active`` are). Each band is then summarised over the
    active frames by :data:`LOGMEL_STATS`: standard deviation, skewness,
    excess kurtosis, the 10th / 50th / 90th percentiles *minus the band's
    mean*, and the linear-regression slope over time. There is no mean
    column, so a constant offset of a log-Mel band (the channel, much of the
    speaker's timbre) changes none of the statistics: per-utterance mean
    normalisation, computed from the recording alone (strict). (A gain is
    such an offset only for bands well above the 1e-10 power floor; nearly
    empty bands, e.g. below a recording's high-pass, still move with it.)

    In ``benchmarks/speaker_independent.py`` this set, as a fourth head of
    the ``compare-vote-speed`` vote (scaler -> PCA 300 -> LogReg C=0.001),
    raises mean UAR on EmoBox RAVDESS, TESS leave-one-speaker-out and
    cross-corpus alike.

    Parameters
    ----------
    n_mels : int, default=64
    active_db : float, default=35.0
        Frames more than this many dB below the 99th-percentile frame energy
        are left out (pauses, breath, silence).
    min_active : int, default=10
    sr : int, default=16000
        Rate that paths are loaded at; waveforms must be at it.
    n_jobs : int or None, default=None
        Threads over recordings; results do not depend on it.
    memory : None, str, path or joblib.Memory, default=None
    verbose : int, default=0

    Attributes
    ----------
    n_features_in_ : int
        1 (``X`` is one column of audio).

    Examples
    --------
    >>> from sklearn_ser.datasets import load_sample
    >>> X = load_sample().data[:2]
    >>> LogMelFunctionals().fit_transform(X).shape
    (2, 896)
    """

    _parameter_constraints = {
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "active_db": [Interval(Real, 0, None, closed="neither")],
        "min_active": [Interval(Integral, 1, None, closed="left")],
        "sr": [Interval(Integral, 1, None, closed="left")],
        **BaseAudioTransformer._parameter_constraints,
    }

    def __init__(
        self,
        *,
        n_mels=64,
        active_db=35.0,
        min_active=10,
        sr=16000,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.n_mels = n_mels
        self.active_db = active_db
        self.min_active = min_active
        self.sr = sr
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _transform_waveforms(self, waves):
        return logmel_functionals(
            waves=waves,
            sr=self.sr,
            n_mels=self.n_mels,
            active_db=self.active_db,
            min_active=self.min_active,
            n_jobs=self.n_jobs,
        )

    def get_feature_names_out(self, input_features=None):
        """``logmel_<stat>_<band>`` then ``logmel_delta_<stat>_<band>``, stat-major."""
        self._validate_params()
        bands = [f"logmel_{{}}_{b}" for b in range(self.n_mels)]
        bands += [f"logmel_delta_{{}}_{b}" for b in range(self.n_mels)]
        return np.asarray(
            [name.format(s) for s in LOGMEL_STATS for name in bands], dtype=object
        )
