"""Transformers for S4's music feature set (their engine: :mod:`._music_base`).

:class:`MusicFeatures` computes the whole set (spectral centroid, bandwidth,
flatness, roll-off, flux, zero-crossing rate, RMS, chroma, tempo and MFCCs)
from one STFT per clip and returns either one fixed-length vector per clip
(``pooling="stats"``) or the frame-level sequences (``pooling=None``) for
S4's LSTMs. :class:`SpectralDescriptors`, :class:`Chroma` and :class:`Tempo`
are the same engine restricted to one block each; concatenating their
outputs (a :class:`sklearn.pipeline.FeatureUnion`) gives exactly
``MusicFeatures`` with the same blocks, but ``MusicFeatures`` decodes each
file and computes its spectrogram once instead of once per block.

Defaults are librosa's (S4 extracted its features with librosa): 22050 Hz,
``n_fft=2048``, ``hop_length=512``, Hann window, centred frames, 20 MFCCs
from 128 Slaney mel bands. Every frame-level value equals the librosa
function's (see :mod:`sklearn_ser.features._music` for the few documented
choices, e.g. ``tuning=0.0`` for chroma).
"""

from ._music_base import MUSIC_FEATURES, SPECTRAL_FEATURES, _MusicBase

__all__ = ["Chroma", "MusicFeatures", "SpectralDescriptors", "Tempo"]


_COMMON_DOC = """
    sr : int, default=22050
        Rate paths are loaded at (librosa's default, as used by S4).
    n_fft : int, default=2048
        STFT size; also the frame length of the zero-crossing rate and RMS.
    hop_length : int, default=512
    n_jobs : int or None, default=None
        Threads for decoding files.
    memory : None, str or joblib.Memory, default=None
        Cache of the computed features (see :class:`BaseAudioTransformer`).
    verbose : int, default=0"""

_POOL_DOC = """
    stats : tuple of str, default=("mean", "std")
        Statistics over the frames of each clip, from
        ``("mean", "std", "min", "max", "median")``.
    pooling : {"stats", None}, default="stats"
        ``"stats"``: one vector per clip, shape ``(n_samples, n_features)``.
        ``None``: frame-level sequences ``(n_samples, n_frames, n_columns)``
        (time-major, zero-padded at the end) for sequence models such as
        S4's LSTMs; the tempo, one number per clip, is repeated on every
        frame.
    max_frames : int or None, default=None
        ``pooling=None`` only: pad/trim every clip to this many frames.
    duration : float or None, default=None
        Pad (with silence) or trim every waveform to this many seconds
        before analysis; with ``pooling="stats"`` the padded silence enters
        the statistics. With ``pooling=None`` and neither ``max_frames`` nor
        ``duration``, ``fit`` learns ``n_frames_`` from the longest training
        clip."""


class SpectralDescriptors(_MusicBase):
    __doc__ = f"""Per-clip statistics of frame-wise spectral descriptors (S4).

    Centroid, bandwidth, flatness, roll-off and flux from the magnitude
    STFT, zero-crossing rate and RMS from the waveform; each frame value is
    librosa's (flux: see :func:`~sklearn_ser.features.spectral_flux`).

    Parameters
    ----------
    features : tuple of str, default=all seven
        Any of {SPECTRAL_FEATURES}, in the output order wanted.
    roll_percent : float, default=0.85
        Roll-off fraction.{_POOL_DOC}{_COMMON_DOC}

    Attributes
    ----------
    n_features_in_ : int
        1 (one column of audio).
    n_frames_ : int
        Only with ``pooling=None`` and neither ``max_frames`` nor ``duration``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import SpectralDescriptors
    >>> t = np.arange(22050) / 22050
    >>> X = [np.sin(2 * np.pi * 1000 * t).astype(np.float32)]
    >>> sd = SpectralDescriptors(features=("spectral_centroid",), stats=("median",))
    >>> round(float(sd.fit_transform(X)[0, 0]))
    1000
    >>> sd.get_feature_names_out().tolist()
    ['spectral_centroid_median']
    """

    def __init__(
        self,
        *,
        features=SPECTRAL_FEATURES,
        stats=("mean", "std"),
        pooling="stats",
        roll_percent=0.85,
        sr=22050,
        n_fft=2048,
        hop_length=512,
        max_frames=None,
        duration=None,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.features = features
        self.stats = stats
        self.pooling = pooling
        self.roll_percent = roll_percent
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.max_frames = max_frames
        self.duration = duration
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    _offered = SPECTRAL_FEATURES


class Chroma(_MusicBase):
    __doc__ = f"""Chromagram (12 pitch classes from the power STFT) statistics (S4).

    librosa's ``chroma_stft`` frame by frame (each frame scaled to max 1),
    with ``tuning=0.0`` by default instead of librosa's estimated tuning.

    Parameters
    ----------
    n_chroma : int, default=12
    tuning : float, default=0.0
        Deviation from A440 in fractions of a chroma bin.{_POOL_DOC}{_COMMON_DOC}

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import Chroma
    >>> t = np.arange(22050) / 22050
    >>> X = [np.sin(2 * np.pi * 440 * t).astype(np.float32)]  # an A
    >>> ch = Chroma(stats=("mean",)).fit(X)
    >>> ch.get_feature_names_out()[int(ch.transform(X).argmax())]
    'chroma_mean_9'
    """

    def __init__(
        self,
        *,
        n_chroma=12,
        tuning=0.0,
        stats=("mean", "std"),
        pooling="stats",
        sr=22050,
        n_fft=2048,
        hop_length=512,
        max_frames=None,
        duration=None,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.n_chroma = n_chroma
        self.tuning = tuning
        self.stats = stats
        self.pooling = pooling
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.max_frames = max_frames
        self.duration = duration
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _blocks(self):
        return ("chroma",)


class Tempo(_MusicBase):
    __doc__ = f"""Global tempo estimate in BPM, one column ``tempo_bpm`` (S4).

    librosa's ``feature.rhythm.tempo``: onset strength from a 128-band mel
    spectrogram, 8 s autocorrelation tempogram, log-normal prior centred on
    ``start_bpm``. Speech has no beat: on speech the value reflects syllable
    rhythm, not a musical tempo.

    Parameters
    ----------
    start_bpm : float, default=120.0
        Centre of the prior over tempi.{_COMMON_DOC}
    duration : float or None, default=None
        Pad or trim every waveform to this many seconds first.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import Tempo
    >>> sr = 22050
    >>> y = np.zeros(10 * sr, dtype=np.float32)
    >>> y[::sr // 2] = 1.0  # a click every 0.5 s: 120 BPM
    >>> round(float(Tempo().fit_transform([y])[0, 0]))
    117
    """

    def __init__(
        self,
        *,
        start_bpm=120.0,
        sr=22050,
        n_fft=2048,
        hop_length=512,
        duration=None,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.start_bpm = start_bpm
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.duration = duration
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    stats = ("mean",)  # unused: the tempo is one number per clip
    max_frames = None

    def _blocks(self):
        return ("tempo",)


class MusicFeatures(_MusicBase):
    __doc__ = f"""S4's whole music feature set as one transformer.

    Spectral centroid, bandwidth, flatness, roll-off and flux, zero-crossing
    rate, RMS, chroma, MFCCs and tempo, computed from one STFT per clip
    (a ``FeatureUnion`` of :class:`SpectralDescriptors`, :class:`Chroma`,
    an MFCC block and :class:`Tempo` gives the same numbers, but decodes and
    transforms every file once per member). The defaults reproduce S4's
    librosa extraction; with ``pooling="stats"`` and the default
    ``stats`` the output has ``7 * 2 + 12 * 2 + 20 * 2 + 1 = 79`` columns.

    The MFCCs are librosa's ``feature.mfcc`` defaults: ``n_mels`` Slaney
    mel bands of the power spectrum, ``power_to_db`` (``top_db=80`` per
    clip), orthonormal DCT-II, no lifter, built from
    :func:`~sklearn_ser.features._spectral.mel_filterbank`,
    :func:`~sklearn_ser.features._spectral.power_to_db` and
    :func:`~sklearn_ser.features._spectral.dct_matrix`.

    Parameters
    ----------
    features : tuple of str, default=all
        Blocks, in output order, from {MUSIC_FEATURES}.
    n_mfcc : int, default=20
    n_mels : int, default=128
        Mel bands of the MFCCs (the tempo always uses 128, like librosa).
    n_chroma : int, default=12
    tuning : float, default=0.0
        Chroma tuning (fractions of a bin from A440); librosa would estimate it.
    roll_percent : float, default=0.85
    start_bpm : float, default=120.0{_POOL_DOC}{_COMMON_DOC}

    Attributes
    ----------
    n_features_in_ : int
        1 (one column of audio).
    n_frames_ : int
        Only with ``pooling=None`` and neither ``max_frames`` nor ``duration``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import MusicFeatures
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.standard_normal(22050).astype(np.float32) * 0.1]
    >>> mf = MusicFeatures()
    >>> mf.fit_transform(X).shape
    (1, 79)
    >>> mf.get_feature_names_out()[[0, 14, 38, 78]].tolist()
    ['spectral_centroid_mean', 'chroma_mean_0', 'mfcc_mean_0', 'tempo_bpm']
    >>> MusicFeatures(pooling=None, max_frames=100).fit_transform(X).shape
    (1, 100, 40)
    """

    def __init__(
        self,
        *,
        features=MUSIC_FEATURES,
        stats=("mean", "std"),
        pooling="stats",
        n_mfcc=20,
        n_mels=128,
        n_chroma=12,
        tuning=0.0,
        roll_percent=0.85,
        start_bpm=120.0,
        sr=22050,
        n_fft=2048,
        hop_length=512,
        max_frames=None,
        duration=None,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.features = features
        self.stats = stats
        self.pooling = pooling
        self.n_mfcc = n_mfcc
        self.n_mels = n_mels
        self.n_chroma = n_chroma
        self.tuning = tuning
        self.roll_percent = roll_percent
        self.start_bpm = start_bpm
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.max_frames = max_frames
        self.duration = duration
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    _offered = MUSIC_FEATURES
