"""Cepstral and log Mel transformers: MFCC and LMFB.

Thin transformers over the front end of :mod:`._frontend` (whose pure
functions :func:`mfcc` and :func:`log_mel` are re-exported here): each
builds its head (:func:`~._frontend.mfcc_head`,
:func:`~._frontend.log_mel_head`) and the shared base
:class:`~._spectral_transformer._SpectralTransformer` runs it. Most of the
module is the two classes' constructors and numpydoc parameter lists.
"""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval

from ..utils._moved import moved_names
from ._frontend import log_mel, log_mel_head, mfcc, mfcc_head
from ._spectral_transformer import _fill_doc, _SpectralTransformer, _with_delta_names

__all__ = ["LMFB", "MFCC", "log_mel", "mfcc"]

# Classes that lived here in sklearn-ser 0.1: model files saved then name
# this module (see sklearn_ser/utils/_moved.py).
__getattr__ = moved_names(
    __name__,
    {
        "MelSpectrogram": "sklearn_ser.features._spectrogram",
        "STFT": "sklearn_ser.features._spectrogram",
    },
)


@_fill_doc
class MFCC(_SpectralTransformer):
    """Mel-frequency cepstral coefficients, ``(n_samples, n_frames, n_coeffs)``.

    Defaults reproduce S0 and S1 ("Comparison of sequence models in
    multimodal emotion recognition"): ``librosa.feature.mfcc`` at 22.05 kHz
    with 40 coefficients, ``n_fft=2048``, ``hop_length=512``, 128 Slaney Mel
    bands, power spectrum in dB (``top_db=80``) and an orthonormal DCT-II.
    A 5 s clip (``duration=5.0``) gives 216 frames, S1's 216 x 40.

    ``MFCC.psf_compatible()`` returns the configuration that reproduces
    ``python_speech_features.mfcc`` (pre-emphasis 0.97, 25 ms rectangular
    frames every 10 ms, 512-point FFT, 26 HTK filters, natural log, lifter
    22, c0 replaced by the log frame energy, 13 coefficients).

    Parameters
    ----------
    n_mfcc : int, default=40
    n_mels : int, default=128
    fmin, fmax : float, default=0.0, None (``sr / 2``)
    htk : bool, default=False
        HTK Mel formula instead of Slaney's (librosa convention).
    mel_norm : {"slaney", None}, default="slaney"
    top_db : float or None, default=80.0
        Dynamic range kept below each signal's maximum (librosa convention).
    lifter : float, default=0.0
        Cepstral liftering ``1 + L/2 sin(pi k / L)``; 0 disables.
    preemphasis : float, default=0.0
        Pre-emphasis coefficient (psf: 0.97).
    append_energy : bool, default=False
        Replace c0 by the log frame energy (psf's ``appendEnergy``; in dB
        with the librosa convention).
    deltas : {0, 1, 2}, default=0
        Append first (and second) order regression deltas (HTK/psf formula,
        half-width ``delta_width``) along the coefficient axis, computed
        before padding.
    delta_width : int, default=2
    {common}
    Attributes
    ----------
    n_features_in_ : int
        Always 1 (one column of audio).
    n_frames_ : int
        Only when neither ``max_frames`` nor ``duration`` is given.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import MFCC
    >>> X = [np.zeros(16000, np.float32), np.ones(8000, np.float32) * 0.1]
    >>> MFCC(sr=16000, duration=1.0).fit_transform(X).shape
    (2, 32, 40)
    """

    def __init__(
        self,
        *,
        sr=22050,
        n_mfcc=40,
        n_fft=2048,
        win_length=None,
        hop_length=512,
        units="samples",
        window="hann",
        center=True,
        n_mels=128,
        fmin=0.0,
        fmax=None,
        htk=False,
        mel_norm="slaney",
        top_db=80.0,
        lifter=0.0,
        preemphasis=0.0,
        append_energy=False,
        deltas=0,
        delta_width=2,
        convention="librosa",
        max_frames=None,
        duration=None,
        dtype="float32",
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.sr = sr
        self.n_mfcc = n_mfcc
        self.n_fft = n_fft
        self.win_length = win_length
        self.hop_length = hop_length
        self.units = units
        self.window = window
        self.center = center
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.top_db = top_db
        self.lifter = lifter
        self.preemphasis = preemphasis
        self.append_energy = append_energy
        self.deltas = deltas
        self.delta_width = delta_width
        self.convention = convention
        self.max_frames = max_frames
        self.duration = duration
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    @classmethod
    def psf_compatible(cls, **overrides):
        """An instance configured like ``python_speech_features.mfcc`` defaults."""
        params = dict(
            sr=16000,
            n_mfcc=13,
            n_fft=512,
            win_length=400,
            hop_length=160,
            window="boxcar",
            n_mels=26,
            lifter=22,
            preemphasis=0.97,
            append_energy=True,
            convention="psf",
        )
        params.update(overrides)
        return cls(**params)

    _parameter_constraints: dict = {
        **_SpectralTransformer._parameter_constraints,
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "lifter": [Interval(Real, 0, None, closed="left")],
    }

    def _check_params(self):
        super()._check_params()
        if self.n_mfcc > self.n_mels:
            raise ValueError(
                "n_mfcc must be a positive integer <= n_mels. Received: "
                f"n_mfcc={self.n_mfcc!r}, n_mels={self.n_mels!r}"
            )

    def _head(self, framing):
        return mfcc_head(
            framing,
            self._mel_basis(framing),
            n_mfcc=self.n_mfcc,
            lifter=self.lifter,
            top_db=self.top_db,
            energy=self.append_energy,
        )

    def feature_prefixes(self):
        """Names of the coefficient columns (used by :class:`FrameStats`)."""
        base = [f"mfcc{i}" for i in range(self.n_mfcc)]
        if self.append_energy:
            base[0] = "log_energy"
        return _with_delta_names(base, self.deltas)


@_fill_doc
class LMFB(_SpectralTransformer):
    """Log Mel filter bank energies, ``(n_samples, n_frames, n_mels)``.

    S3 ("cross-modal transfer learning") compares MFCC with LMFB but gives no
    parameters (abstract only), so the defaults are those of
    ``python_speech_features.logfbank`` at 16 kHz, the usual meaning of
    "log Mel filter bank": pre-emphasis 0.97, 25 ms rectangular frames every
    10 ms, 512-point FFT, 26 HTK filters, ``log(|X|^2 / n_fft @ fb)``.
    ``convention="librosa"`` gives ``librosa.power_to_db`` of a Mel spectrogram.

    Parameters
    ----------
    n_mels : int, default=26
    fmin, fmax : float
    htk, mel_norm : librosa convention only (psf is HTK, unnormalised).
    top_db : float or None, default=80.0
        librosa convention only.
    preemphasis : float, default=0.97
    append_energy : bool, default=False
        Append the log frame energy as a last column.
    deltas : {0, 1, 2}, default=0
    delta_width : int, default=2
    {common}
    """

    def __init__(
        self,
        *,
        sr=16000,
        n_fft=512,
        win_length=400,
        hop_length=160,
        units="samples",
        window="boxcar",
        center=True,
        n_mels=26,
        fmin=0.0,
        fmax=None,
        htk=False,
        mel_norm="slaney",
        top_db=80.0,
        preemphasis=0.97,
        append_energy=False,
        deltas=0,
        delta_width=2,
        convention="psf",
        max_frames=None,
        duration=None,
        dtype="float32",
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.sr = sr
        self.n_fft = n_fft
        self.win_length = win_length
        self.hop_length = hop_length
        self.units = units
        self.window = window
        self.center = center
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.mel_norm = mel_norm
        self.top_db = top_db
        self.preemphasis = preemphasis
        self.append_energy = append_energy
        self.deltas = deltas
        self.delta_width = delta_width
        self.convention = convention
        self.max_frames = max_frames
        self.duration = duration
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _head(self, framing):
        return log_mel_head(
            framing,
            self._mel_basis(framing),
            top_db=self.top_db,
            energy=self.append_energy,
        )

    def feature_prefixes(self):
        """Names of the columns (used by :class:`FrameStats`)."""
        base = [f"logmel{i}" for i in range(self.n_mels)]
        if self.append_energy:
            base.append("log_energy")
        return _with_delta_names(base, self.deltas)
