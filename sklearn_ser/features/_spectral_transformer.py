"""The base of the spectral transformers: parameters, framing, the one hook.

:class:`_SpectralTransformer` validates the parameters the STFT, Mel, log
Mel and MFCC transformers share, turns them into one
:class:`~._framing.Framing`, and implements the hook ``_frames`` by running
the subclass's :class:`~._frontend.Head` (``_head``) over a chunk of
waveforms with :func:`~._frontend.spectral_frames`. The transformers
themselves are in :mod:`._mfcc` (MFCC, LMFB) and :mod:`._spectrogram`
(STFT, MelSpectrogram).
"""

import numbers
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, Options, StrOptions

from ._frame_transformer import FrameFeatureTransformer, _lengths
from ._framing import Framing, get_window
from ._frontend import mel_basis, spectral_frames
from ._validation import CONVENTIONS


def _round_half_up(x):
    return int(np.floor(x + 0.5))


def _is_int(x, low=1):
    return not isinstance(x, bool) and isinstance(x, numbers.Integral) and x >= low


def _with_delta_names(base, deltas):
    """Column names ``base``, then ``d_*`` (and ``dd_*``) for the deltas."""
    names = list(base)
    for order in range(1, deltas + 1):
        names += [f"{'d' * order}_{b}" for b in base]
    return names


class _SpectralTransformer(FrameFeatureTransformer):
    """Shared validation and framing of the four spectral transformers.

    A subclass builds its head from the framing (``_head(framing)``) and
    names its columns (``feature_prefixes``).
    """

    def _samples(self, value):
        if self.units == "seconds":
            return _round_half_up(value * self.sr)
        return value

    def _resolved(self):
        win = None if self.win_length is None else self._samples(self.win_length)
        return win, self._samples(self.hop_length)

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

    def _framing(self):
        """The parameters' :class:`Framing` (with the ``duration`` cut)."""
        win, hop = self._resolved()
        return Framing(
            n_fft=self.n_fft,
            hop_length=hop,
            win_length=win,
            window=self.window,
            center=self.center,
            convention=self.convention,
            preemph=getattr(self, "preemphasis", 0.0),
            n_samples=self._clip_samples(),
            dtype=self.dtype,
        )

    def _frame_params(self):
        f = self._framing()
        return f.frame_length, f.hop_length, f.centred, f.convention

    def _mel_basis(self, framing):
        return mel_basis(
            framing,
            sr=self.sr,
            n_mels=self.n_mels,
            fmin=self.fmin,
            fmax=self.fmax,
            htk=self.htk,
            norm=self.mel_norm,
        )

    def _head(self, framing):  # pragma: no cover - overridden
        """The :class:`~._frontend.Head` of the feature."""
        raise NotImplementedError

    def _n_columns(self):
        """Width of one output frame."""
        return len(self.feature_prefixes())

    def _frames(self, waves, *, out=None, n_jobs=None):
        """Waveforms -> padded ``(n, n_frames, n_cols)`` features.

        The frame count is :meth:`_known_target`, else the longest signal's;
        ``out`` (zeros, that shape) receives the result; ``n_jobs=None``
        means ``self.n_jobs``.
        """
        target = self._known_target() if out is None else out.shape[1]
        if target is None:
            target = int(self._frame_counts(_lengths(waves)).max())
        framing = self._framing()
        return spectral_frames(
            waves,
            framing,
            self._head(framing),
            deltas=getattr(self, "deltas", 0),
            delta_width=getattr(self, "delta_width", 2),
            n_jobs=self.n_jobs if n_jobs is None else n_jobs,
            pad_to=target,
            out=out,
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
