"""The engine of the music transformers: per-block frames and their base class.

:func:`_music_chunk` computes the frames of the requested blocks (spectral
descriptors, zero-crossing rate, RMS, chroma, MFCC, tempo) of a chunk of
clips from one magnitude STFT per clip; :class:`_MusicBase` is the
:class:`FrameFeatureTransformer` the public classes of
:mod:`._music_estimators` share (validation, pooling, column names).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import fix_frames
from ._chroma import chroma_filterbank, chroma_stft
from ._db import _log
from ._dct import cepstra
from ._frame_transformer import FrameFeatureTransformer
from ._mel import apply_mel, mel_filterbank
from ._music import (
    rms,
    spectral_bandwidth,
    spectral_centroid,
    spectral_flatness,
    spectral_flux,
    spectral_rolloff,
    zero_crossing_rate,
)
from ._pooling import pool_frames
from ._rhythm import onset_strength, tempo
from ._spectrum import power_spectrum_frames

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
                mel = apply_mel(S=power, fb=basis)
                mel_db[n_mels] = _log(mel, n_frames, convention="librosa", top_db=80.0)
            if "mfcc" in blocks:
                log_mel = mel_db[p["n_mels"]]
                stacked["mfcc"] = cepstra(log_mel=log_mel, n_mfcc=p["n_mfcc"])
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
    """Shared engine: the blocks named by ``features``, from ``_offered``.

    (:class:`Chroma` and :class:`Tempo` have one fixed block: ``_blocks()``.)
    """

    _offered = MUSIC_FEATURES

    def _blocks(self):
        feats = (
            (self.features,) if isinstance(self.features, str) else tuple(self.features)
        )
        bad = [f for f in feats if f not in self._offered]
        if bad or len(set(feats)) != len(feats):
            raise ValueError(
                f"features must be distinct names from {self._offered}. "
                f"Received: features={self.features!r}"
            )
        return feats

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
        """The hook: the frames of a chunk of clips."""
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
