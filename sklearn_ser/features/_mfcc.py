"""Frame-level spectral transformers: MFCC, LMFB, STFT, MelSpectrogram.

Thin transformers around the front end of :mod:`._frontend` (whose pure
functions :func:`mfcc`, :func:`log_mel`, :func:`melspectrogram` are
re-exported here). Each implements the one hook of
:class:`~sklearn_ser.features.FrameFeatureTransformer`, ``_frames``. Over
500 lines because four public classes with their full numpydoc parameter
lists live here; the code proper is ~250 lines.
"""

import numbers
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, Options, StrOptions

from ._base import FrameFeatureTransformer, _lengths
from ._framing import get_window
from ._frontend import _spectral_frames, log_mel, melspectrogram, mfcc
from ._validation import CONVENTIONS

__all__ = [
    "LMFB",
    "MFCC",
    "STFT",
    "MelSpectrogram",
    "log_mel",
    "melspectrogram",
    "mfcc",
]

_SCALES = ("magnitude", "power", "db")
_KINDS = ("stft", "mel", "logmel", "mfcc")


def _round_half_up(x):
    return int(np.floor(x + 0.5))


def _is_int(x, low=1):
    return not isinstance(x, bool) and isinstance(x, numbers.Integral) and x >= low


class _SpectralTransformer(FrameFeatureTransformer):
    """Shared validation and framing of the four spectral transformers."""

    _kind = None

    def _samples(self, value):
        if self.units == "seconds":
            return _round_half_up(value * self.sr)
        return value

    def _resolved(self):
        win = self.win_length if self.win_length is not None else None
        win = None if win is None else self._samples(win)
        hop = self._samples(self.hop_length)
        return win, hop

    _parameter_constraints: dict = {
        **FrameFeatureTransformer._parameter_constraints,
        "n_fft": [Interval(Integral, 1, None, closed="left")],
        "win_length": [Interval(Real, 0, None, closed="neither"), None],
        "hop_length": [Interval(Real, 0, None, closed="neither")],
        "units": [StrOptions({"samples", "seconds"})],
        "window": [str, tuple, "array-like", None],
        "center": ["boolean"],
        "convention": [StrOptions(set(CONVENTIONS))],
        "dtype": [StrOptions({"float32", "float64"}), type],
        "top_db": [Interval(Real, 0, None, closed="left"), None],
        # the Mel transformers' parameters (ignored where absent)
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "fmin": [Interval(Real, 0, None, closed="left")],
        "fmax": [Interval(Real, 0, None, closed="neither"), None],
        "htk": ["boolean"],
        "mel_norm": [StrOptions({"slaney"}), Real, None],
        "preemphasis": [Interval(Real, 0, 1, closed="left")],
        "append_energy": ["boolean"],
        "deltas": [Options(Integral, {0, 1, 2})],
        "delta_width": [Interval(Integral, 1, None, closed="left")],
    }

    def _check_params(self):
        super()._check_params()
        win, hop = self._resolved()
        if self.units == "samples":
            for name, v in (
                ("win_length", self.win_length),
                ("hop_length", self.hop_length),
            ):
                if v is not None and not _is_int(v):
                    raise ValueError(
                        f"{name} must be a positive integer number of samples (or set "
                        f"units='seconds'). Received: {name}={v!r}"
                    )
        if hop < 1:
            raise ValueError(
                "hop_length is shorter than one sample. "
                f"Received: hop_length={self.hop_length!r}"
            )
        if win is not None and self.convention == "librosa" and win > self.n_fft:
            raise ValueError(
                "With convention='librosa' the window must fit in the FFT: "
                f"win_length <= n_fft. Received: win_length={self.win_length!r}, "
                f"n_fft={self.n_fft}"
            )
        if self.dtype not in ("float32", "float64", np.float32, np.float64):
            raise ValueError(
                f"dtype must be float32 or float64. Received: dtype={self.dtype!r}"
            )
        get_window(window=self.window, win_length=win or self.n_fft)
        if hasattr(self, "n_mels"):
            fmax = self.sr / 2 if self.fmax is None else self.fmax
            if not self.fmin < fmax <= self.sr / 2:
                raise ValueError(
                    f"Need 0 <= fmin < fmax <= sr / 2 = {self.sr / 2}. Received: "
                    f"fmin={self.fmin}, fmax={self.fmax}, sr={self.sr}"
                )

    def _frame_params(self):
        win, hop = self._resolved()
        frame_length = (
            self.n_fft if self.convention == "librosa" else (win or self.n_fft)
        )
        return frame_length, hop, self._center(), self.convention

    def _center(self):
        return self.convention == "librosa" and self.center

    def _common_kwargs(self, n_jobs=None):
        win, hop = self._resolved()
        return dict(
            sr=self.sr,
            n_fft=self.n_fft,
            win_length=win,
            hop_length=hop,
            window=self.window,
            center=self._center(),
            pad_mode="constant",
            convention=self.convention,
            dtype=np.dtype(self.dtype),
            n_jobs=self.n_jobs if n_jobs is None else n_jobs,
        )

    def _kind_kwargs(self):  # pragma: no cover - overridden
        """The :func:`_spectral_frames` arguments specific to the feature."""
        raise NotImplementedError

    def _n_columns(self):
        """Width of one output frame."""
        if self._kind == "stft":
            return self.n_fft // 2 + 1
        if self._kind == "mfcc":
            base = self.n_mfcc
        else:
            base = self.n_mels + int(self._kind == "logmel" and self.append_energy)
        return base * (1 + getattr(self, "deltas", 0))

    def _frames(self, waves, *, out=None, n_jobs=None):
        """Waveforms -> padded ``(n, n_frames, n_cols)`` features.

        The frame count is :meth:`_known_target`, else the longest signal's;
        ``out`` (zeros, that shape) receives the result; ``n_jobs=None``
        means ``self.n_jobs``.
        """
        target = self._known_target() if out is None else out.shape[1]
        if target is None:
            target = int(self._frame_counts(_lengths(waves)).max())
        return _spectral_frames(
            waves,
            kind=self._kind,
            n_samples=self._clip_samples(),
            pad_to=target,
            out=out,
            **self._kind_kwargs(),
            **self._common_kwargs(n_jobs),
        )



def _fill_doc(cls):
    """Insert the parameters every spectral transformer shares into its docstring."""
    cls.__doc__ = cls.__doc__.replace("    {common}\n", _COMMON_DOC.lstrip("\n"))
    return cls


_COMMON_DOC = """
    sr : int
        Rate that paths are loaded at (waveforms must already be at it).
    n_fft : int
        FFT size in samples.
    win_length : int, float or None
        Window length (``None``: ``n_fft``), in ``units``.
    hop_length : int or float
        Hop between frames, in ``units``.
    units : {"samples", "seconds"}, default="samples"
        Unit of ``win_length`` and ``hop_length``; seconds are turned into
        samples by ``round(x * sr)`` (half up, like python_speech_features).
    window : str, tuple or array-like
        :func:`~sklearn_ser.features.get_window` spec; ``"boxcar"`` is no window.
    center : bool, default=True
        Centre frames on ``t * hop_length`` (``convention="librosa"`` only;
        psf frames always start at sample 0).
    convention : {"librosa", "psf"}
        Framing / filter bank / log conventions, see
        :mod:`sklearn_ser.features._spectral`.
    max_frames : int or None
        Pad (zeros) or trim every sample to this many frames.
    duration : float or None
        Pad or trim every waveform to this many seconds before framing.
        With neither, ``fit`` learns ``n_frames_`` from the longest training signal.
    dtype : {"float32", "float64"}, default="float32"
        Precision of the computation and of the output.
    n_jobs : int or None
        Threads for decoding and for chunks of frames.
    memory : None, str or joblib.Memory
        Cache of the raw features (see :class:`BaseAudioTransformer`).
    verbose : int, default=0

"""


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

    _kind = "mfcc"

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

    def _kind_kwargs(self):
        return dict(
            preemph=self.preemphasis,
            n_mels=self.n_mels,
            fmin=self.fmin,
            fmax=self.fmax,
            htk=self.htk,
            mel_norm=self.mel_norm,
            top_db=self.top_db,
            n_mfcc=self.n_mfcc,
            lifter=self.lifter,
            append_energy=self.append_energy,
            deltas=self.deltas,
            delta_width=self.delta_width,
        )

    def feature_prefixes(self):
        """Names of the coefficient columns (used by :class:`FrameStats`)."""
        base = [f"mfcc{i}" for i in range(self.n_mfcc)]
        if self.append_energy:
            base[0] = "log_energy"
        names = list(base)
        for order in range(1, self.deltas + 1):
            names += [f"{'d' * order}_{b}" for b in base]
        return names


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

    _kind = "logmel"

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


    def _kind_kwargs(self):
        return dict(
            preemph=self.preemphasis,
            n_mels=self.n_mels,
            fmin=self.fmin,
            fmax=self.fmax,
            htk=self.htk,
            mel_norm=self.mel_norm,
            top_db=self.top_db,
            append_energy=self.append_energy,
            deltas=self.deltas,
            delta_width=self.delta_width,
        )

    def feature_prefixes(self):
        base = [f"logmel{i}" for i in range(self.n_mels)]
        if self.append_energy:
            base.append("log_energy")
        names = list(base)
        for order in range(1, self.deltas + 1):
            names += [f"{'d' * order}_{b}" for b in base]
        return names


@_fill_doc
class STFT(_SpectralTransformer):
    """Short-time Fourier spectrogram, ``(n_samples, n_frames, n_fft // 2 + 1)``.

    S2 (EmotionUnet) feeds STFT spectrograms with a Hamming or Hann window
    to its Conv1D U-Net and gives no frame parameters; the defaults are a
    common speech choice at 16 kHz: 512-point FFT, 25 ms Hann window, 10 ms
    hop, magnitude in dB (``10 log10 |X|^2``, ``top_db=80``), matching
    ``librosa.amplitude_to_db(np.abs(librosa.stft(...)), ref=1.0)``.

    Parameters
    ----------
    scale : {"magnitude", "power", "db"}, default="db"
    top_db : float or None, default=80.0
        Only for ``scale="db"``.
    {common}
    """

    _kind = "stft"
    _stream_unknown_frame_count = False  # wide frames: decode first, write in place

    def __init__(
        self,
        *,
        sr=16000,
        n_fft=512,
        win_length=400,
        hop_length=160,
        units="samples",
        window="hann",
        center=True,
        scale="db",
        top_db=80.0,
        convention="librosa",
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
        self.scale = scale
        self.top_db = top_db
        self.convention = convention
        self.max_frames = max_frames
        self.duration = duration
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    _parameter_constraints: dict = {
        **_SpectralTransformer._parameter_constraints,
        "scale": [StrOptions(set(_SCALES))],
    }

    def _kind_kwargs(self):
        return dict(
            scale=self.scale,
            power=2.0 if self.scale == "power" else 1.0,
            top_db=self.top_db,
        )

    def feature_prefixes(self):
        return [f"stft{i}" for i in range(self.n_fft // 2 + 1)]


@_fill_doc
class MelSpectrogram(_SpectralTransformer):
    """Mel spectrogram, ``(n_samples, n_frames, n_mels)``.

    Defaults are ``librosa.feature.melspectrogram``'s (22.05 kHz,
    ``n_fft=2048``, ``hop_length=512``, 128 Slaney bands, power 2), the Mel
    spectrograms of S4's music CNN; ``scale="db"`` applies
    ``power_to_db(top_db=80)`` per signal.

    Parameters
    ----------
    n_mels : int, default=128
    fmin, fmax, htk, mel_norm : Mel filter bank (see :func:`mel_filterbank`)
    power : float, default=2.0
    scale : {"linear", "db"}, default="linear"
    top_db : float or None, default=80.0
    {common}
    """

    _kind = "mel"

    def __init__(
        self,
        *,
        sr=22050,
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
        power=2.0,
        scale="linear",
        top_db=80.0,
        convention="librosa",
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
        self.power = power
        self.scale = scale
        self.top_db = top_db
        self.convention = convention
        self.max_frames = max_frames
        self.duration = duration
        self.dtype = dtype
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    _parameter_constraints: dict = {
        **_SpectralTransformer._parameter_constraints,
        "power": [Interval(Real, 0, None, closed="neither")],
        "scale": [StrOptions({"linear", "db"})],
    }

    def _kind_kwargs(self):
        # scale="db": 10 log10(S), floored at max - top_db per signal
        return dict(
            power=self.power,
            scale=self.scale,
            n_mels=self.n_mels,
            fmin=self.fmin,
            fmax=self.fmax,
            htk=self.htk,
            mel_norm=self.mel_norm,
            top_db=self.top_db,
        )

    def feature_prefixes(self):
        return [f"mel{i}" for i in range(self.n_mels)]
