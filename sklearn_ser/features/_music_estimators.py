"""Transformers for S4's music feature set.

(Over 500 lines because of four public classes with full numpydoc; the
engine proper, ``_music_chunk`` and ``_MusicBase``, is ~250 lines.)

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

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import FrameFeatureTransformer, fix_frames
from ._music import (
    chroma_filterbank,
    chroma_stft,
    rms,
    spectral_bandwidth,
    spectral_centroid,
    spectral_flatness,
    spectral_flux,
    spectral_rolloff,
    zero_crossing_rate,
)
from ._db import _floor_stacked, _to_db
from ._dct import cepstra
from ._mel import apply_mel, mel_filterbank
from ._pooling import pool_frames
from ._rhythm import onset_strength, tempo
from ._spectrum import power_spectrum_frames

__all__ = ["Chroma", "MusicFeatures", "SpectralDescriptors", "Tempo"]

#: Per-frame scalar descriptors, in output order.
SPECTRAL_FEATURES = (
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_flatness",
    "spectral_rolloff",
    "spectral_flux",
    "zero_crossing_rate",
    "rms",
)
#: Every block :class:`MusicFeatures` knows, in its default order.
MUSIC_FEATURES = SPECTRAL_FEATURES + ("chroma", "mfcc", "tempo")
STATS = ("mean", "std", "min", "max", "median")

_ONSET_N_MELS = 128


def _block_width(block, p):
    if block == "chroma":
        return p["n_chroma"]
    if block == "mfcc":
        return p["n_mfcc"]
    return 1


def _music_chunk(waves, blocks, p):
    """The frames of a list of waveforms: a list of ``(n_frames_i, n_columns)``.

    Columns are the blocks in ``blocks`` order; the tempo, one number per
    clip, is repeated on every frame.
    """
    sr, n_fft, hop = p["sr"], p["n_fft"], p["hop_length"]
    need_spec = any(b != "zero_crossing_rate" and b != "rms" for b in blocks)
    per_clip = {}  # block -> list of (n_frames_i, width) per clip
    stacked = {}  # block -> (sum n_frames, width) for frame-wise blocks
    if need_spec:
        mag, n_frames = power_spectrum_frames(
            ys=waves, n_fft=n_fft, hop_length=hop, power=1.0
        )
        bounds = np.cumsum(n_frames)[:-1]
        if "spectral_centroid" in blocks or "spectral_bandwidth" in blocks:
            cen = spectral_centroid(S=mag, sr=sr)
            stacked["spectral_centroid"] = cen[:, None]
            if "spectral_bandwidth" in blocks:
                stacked["spectral_bandwidth"] = spectral_bandwidth(
                    S=mag, sr=sr, centroid=cen
                )[:, None]
        if "spectral_flatness" in blocks:
            stacked["spectral_flatness"] = spectral_flatness(S=mag)[:, None]
        if "spectral_rolloff" in blocks:
            stacked["spectral_rolloff"] = spectral_rolloff(
                S=mag, sr=sr, roll_percent=p["roll_percent"]
            )[:, None]
        if "spectral_flux" in blocks:
            per_clip["spectral_flux"] = [
                spectral_flux(S=m)[:, None] for m in np.split(mag, bounds)
            ]
        if {"chroma", "mfcc", "tempo"} & set(blocks):
            power = np.square(mag, out=mag)  # mag is not needed any more
            if "chroma" in blocks:
                fb = chroma_filterbank(
                    sr=sr, n_fft=n_fft, n_chroma=p["n_chroma"], tuning=p["tuning"]
                )
                stacked["chroma"] = chroma_stft(S=power, filterbank=fb)
            # the Mel -> dB -> DCT steps of MFCC (one place each); the dB
            # floor is per clip
            mel_db = {}
            for n_mels in {
                p["n_mels"] if "mfcc" in blocks else None,
                _ONSET_N_MELS if "tempo" in blocks else None,
            } - {None}:
                basis = mel_filterbank(
                    sr=sr, n_fft=n_fft, n_mels=n_mels, htk=False, norm="slaney"
                )
                mel_db[n_mels] = _to_db(apply_mel(S=power, fb=basis))
                _floor_stacked(mel_db[n_mels], n_frames, 80.0)
            if "mfcc" in blocks:
                stacked["mfcc"] = cepstra(log_mel=mel_db[p["n_mels"]], n_mfcc=p["n_mfcc"])
            if "tempo" in blocks:
                tempi = [
                    tempo(
                        onset_envelope=onset_strength(
                            S=m, sr=sr, n_fft=n_fft, hop_length=hop
                        ),
                        sr=sr,
                        hop_length=hop,
                        start_bpm=p["start_bpm"],
                    )
                    for m in np.split(mel_db[_ONSET_N_MELS], bounds)
                ]
        for name, arr in list(stacked.items()):
            per_clip[name] = np.split(arr, bounds)
    if "zero_crossing_rate" in blocks:
        per_clip["zero_crossing_rate"] = [
            zero_crossing_rate(y=w, frame_length=n_fft, hop_length=hop)[:, None]
            for w in waves
        ]
    if "rms" in blocks:
        per_clip["rms"] = [
            rms(y=w, frame_length=n_fft, hop_length=hop)[:, None] for w in waves
        ]
    frames = []
    for i in range(len(waves)):
        n_frames = 1 + len(waves[i]) // hop
        cols = [
            np.full((n_frames, 1), tempi[i], np.float32)
            if b == "tempo"
            else per_clip[b][i]
            for b in blocks
        ]
        frames.append(np.concatenate(cols, axis=1).astype(np.float32))
    return frames


class _MusicBase(FrameFeatureTransformer):
    """Shared engine; subclasses define ``_blocks()``."""

    def _params(self):
        return {
            "sr": self.sr,
            "n_fft": self.n_fft,
            "hop_length": self.hop_length,
            "roll_percent": getattr(self, "roll_percent", 0.85),
            "n_chroma": getattr(self, "n_chroma", 12),
            "tuning": getattr(self, "tuning", 0.0),
            "n_mfcc": getattr(self, "n_mfcc", 20),
            "n_mels": getattr(self, "n_mels", 128),
            "start_bpm": getattr(self, "start_bpm", 120.0),
        }

    # ---- validation
    _parameter_constraints: dict = {
        **FrameFeatureTransformer._parameter_constraints,
        "n_fft": [Interval(Integral, 1, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "pooling": [StrOptions({"stats"}), None],
        "roll_percent": [Interval(Real, 0, 1, closed="neither")],
        "n_chroma": [Interval(Integral, 1, None, closed="left")],
        "tuning": [Real],
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "start_bpm": [Interval(Real, 0, None, closed="neither")],
    }

    def _check_params(self):
        super()._check_params()
        blocks = self._blocks()
        if not blocks:
            raise ValueError(
                f"features must name at least one feature. Received: "
                f"features={getattr(self, 'features', blocks)!r}"
            )
        if self._pooling() == "stats":
            stats = self.stats
            if (
                isinstance(stats, str)
                or not len(stats)
                or any(s not in STATS for s in stats)
                or len(set(stats)) != len(stats)
            ):
                raise ValueError(
                    f"stats must be a non-empty tuple of distinct names from {STATS}. "
                    f"Received: stats={stats!r}"
                )
        p = self._params()
        if "mfcc" in blocks and p["n_mfcc"] > p["n_mels"]:
            raise ValueError(
                f"n_mfcc must be <= n_mels. Received: n_mfcc={p['n_mfcc']}, "
                f"n_mels={p['n_mels']}"
            )
        if "tempo" in blocks and p["sr"] / p["hop_length"] * 8.0 < 2:
            raise ValueError(
                "hop_length is too long for an 8 s tempo window. Received: "
                f"hop_length={p['hop_length']}, sr={p['sr']}"
            )

    # ---- computation
    def _frame_params(self):
        return self.n_fft, self.hop_length, True, "librosa"

    def _frames(self, waves, *, out=None, n_jobs=1):
        """The hook: frames of a chunk of clips (see :class:`FrameFeatureTransformer`)."""
        return _music_chunk(waves, self._blocks(), self._params())

    def _pooling(self):
        return getattr(self, "pooling", "stats")

    def _finalize(self, raw, X=None):
        if self._pooling() is None:
            return super()._finalize(raw, X)
        # the statistics are FrameStats' (pool_frames), over every frame
        self._warn_truncation(raw.n_samples, X)
        frames = raw.features
        lengths = np.array([f.shape[0] for f in frames], dtype=np.int64)
        padded = fix_frames(features=frames, n_frames=int(lengths.max()))
        pooled = pool_frames(X=padded, lengths=lengths, stats=self.stats)
        cols, col, p = [], 0, self._params()
        for b in self._blocks():
            w = _block_width(b, p)
            if b == "tempo":  # one number per clip
                cols.append(padded[:, 0, col : col + w])
            else:
                cols.extend(stat[:, col : col + w] for stat in pooled)
            col += w
        return np.concatenate(cols, axis=1).astype(np.float32)

    # ---- fitting
    def _learns_frame_count(self):
        return (
            self._pooling() is None
            and getattr(self, "max_frames", None) is None
            and getattr(self, "duration", None) is None
        )

    # ---- names
    def _column_names(self, pooled):
        p = self._params()
        names = []
        for b in self._blocks():
            if b == "tempo":
                names.append("tempo_bpm")
                continue
            w = _block_width(b, p)
            if pooled:
                for s in self.stats:
                    names.extend(
                        [f"{b}_{s}"]
                        if w == 1 and b not in ("chroma", "mfcc")
                        else [f"{b}_{s}_{k}" for k in range(w)]
                    )
            else:
                names.extend(
                    [b]
                    if w == 1 and b not in ("chroma", "mfcc")
                    else [f"{b}_{k}" for k in range(w)]
                )
        return names

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Pooled output: ``spectral_centroid_mean``, ``chroma_std_3``,
        ``mfcc_mean_0``, ``tempo_bpm``, ... (per block, statistic-major).
        With ``pooling=None`` the names of the last axis of the
        ``(n_samples, n_frames, n_features)`` output: ``spectral_centroid``,
        ``chroma_3``, ``mfcc_0``, ``tempo_bpm``, ...
        """
        self._validate_params()
        return np.asarray(self._column_names(self._pooling() == "stats"), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = self._learns_frame_count()
        return tags


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

    def _blocks(self):
        feats = (
            (self.features,) if isinstance(self.features, str) else tuple(self.features)
        )
        bad = [f for f in feats if f not in SPECTRAL_FEATURES]
        if bad or len(set(feats)) != len(feats):
            raise ValueError(
                f"features must be distinct names from {SPECTRAL_FEATURES}. "
                f"Received: features={self.features!r}"
            )
        return feats


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

    def _blocks(self):
        feats = (
            (self.features,) if isinstance(self.features, str) else tuple(self.features)
        )
        bad = [f for f in feats if f not in MUSIC_FEATURES]
        if bad or len(set(feats)) != len(feats):
            raise ValueError(
                f"features must be distinct names from {MUSIC_FEATURES}. "
                f"Received: features={self.features!r}"
            )
        return feats
