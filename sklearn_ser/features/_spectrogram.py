"""Spectrogram transformers: STFT and MelSpectrogram.

Thin transformers over the front end of :mod:`._frontend` (whose pure
function :func:`melspectrogram` is re-exported here, :func:`stft` is
:mod:`._spectrum`'s): each builds its head (:func:`~._frontend.stft_head`,
:func:`~._frontend.mel_head`) and the shared base
:class:`~._spectral_transformer._SpectralTransformer` runs it.
"""

from numbers import Real

from sklearn.utils._param_validation import Interval, StrOptions

from ._frontend import mel_head, melspectrogram, stft_head
from ._spectral_transformer import _fill_doc, _SpectralTransformer

__all__ = ["STFT", "MelSpectrogram", "melspectrogram"]

_SCALES = ("magnitude", "power", "db")


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

    def _head(self, framing):
        return stft_head(
            power=2.0 if self.scale == "power" else 1.0,
            db=self.scale == "db",
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

    def _head(self, framing):
        # scale="db": 10 log10(S), floored at max - top_db per signal
        return mel_head(
            self._mel_basis(framing),
            power=self.power,
            db=self.scale == "db",
            top_db=self.top_db,
        )

    def feature_prefixes(self):
        return [f"mel{i}" for i in range(self.n_mels)]
