"""Energy entropy: how evenly a frame's energy spreads over its sub-blocks.

The worked example of adding an extractor (see the README, "Architecture
— features"): a pure keyword-only function for one waveform, and a
transformer that declares its parameters and implements the one hook,
``_frames``; the base class does everything else.
"""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

from ._frame_transformer import FrameFeatureTransformer
from ._framing import frame_signals

__all__ = ["EnergyEntropy", "energy_entropy"]

_EPS = 1e-12


def _entropy_of_frames(frames, n_blocks):
    """``(n_frames, frame_length)`` -> ``(n_frames,)`` entropy in bits."""
    frames = np.asarray(frames, dtype=np.float64)
    width = frames.shape[1] // n_blocks
    blocks = frames[:, : width * n_blocks].reshape(len(frames), n_blocks, width)
    energy = np.square(blocks).sum(axis=2)
    p = energy / (energy.sum(axis=1, keepdims=True) + _EPS)
    return -(p * np.log2(p + _EPS)).sum(axis=1)


def energy_entropy(*, y, frame_length=400, hop_length=160, n_blocks=10, center=True):
    """Entropy (bits) of the energy distribution over ``n_blocks`` sub-blocks per frame.

    Each frame (librosa framing: centred on ``t * hop_length`` when
    ``center``) is cut into ``n_blocks`` equal sub-blocks (trailing samples
    that do not fill one are left out); with ``p_j`` the share of the
    frame's energy in block ``j``, the entropy is ``-sum_j p_j log2 p_j``:
    ``log2(n_blocks)`` for steady sound, low for a burst (an onset, a
    plosive), 0 for silence. Giannakopoulos' pyAudioAnalysis feature.

    Parameters
    ----------
    y : ndarray of shape (n_times,)
    frame_length : int, default=400
    hop_length : int, default=160
    n_blocks : int, default=10
    center : bool, default=True

    Returns
    -------
    ndarray of float32, shape (n_frames,)
    """
    frames, _ = frame_signals(
        ys=[np.asarray(y, dtype=np.float32)],
        frame_length=frame_length,
        hop_length=hop_length,
        center=center,
    )
    return _entropy_of_frames(frames, n_blocks).astype(np.float32)


class EnergyEntropy(FrameFeatureTransformer):
    """Energy entropy per frame, ``(n_samples, n_frames, 1)``.

    See :func:`energy_entropy`. Pool it with :class:`FrameStats`.

    Parameters
    ----------
    sr : int, default=16000
    frame_length : int, default=400
        Samples per frame (25 ms at 16 kHz).
    hop_length : int, default=160
    n_blocks : int, default=10
        Sub-blocks per frame; at most ``frame_length``.
    max_frames, duration : int or float or None
        See :class:`FrameFeatureTransformer`.
    n_jobs, memory, verbose
        See :class:`BaseAudioTransformer`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import EnergyEntropy
    >>> t = np.arange(16000) / 16000
    >>> X = [np.sin(2 * np.pi * 440 * t).astype(np.float32)]
    >>> H = EnergyEntropy().fit_transform(X)
    >>> H.shape, round(float(H[0, 50, 0]), 2)  # steady tone: log2(10) bits
    ((1, 101, 1), 3.32)
    """

    _parameter_constraints: dict = {
        **FrameFeatureTransformer._parameter_constraints,
        "frame_length": [Interval(Integral, 1, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "n_blocks": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sr=16000,
        frame_length=400,
        hop_length=160,
        n_blocks=10,
        max_frames=None,
        duration=None,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.sr = sr
        self.frame_length = frame_length
        self.hop_length = hop_length
        self.n_blocks = n_blocks
        self.max_frames = max_frames
        self.duration = duration
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _check_params(self):
        super()._check_params()
        if self.n_blocks > self.frame_length:
            raise ValueError(
                "n_blocks must be <= frame_length. Received: "
                f"n_blocks={self.n_blocks}, frame_length={self.frame_length}"
            )

    def _frame_params(self):
        return self.frame_length, self.hop_length, True, "librosa"

    def _frames(self, waves, *, out=None, n_jobs=1):
        frames, n_frames = frame_signals(
            ys=waves, frame_length=self.frame_length, hop_length=self.hop_length
        )
        H = _entropy_of_frames(frames, self.n_blocks).astype(np.float32)
        return np.split(H[:, None], np.cumsum(n_frames)[:-1])

    def feature_prefixes(self):
        """Name of the one column (used by :class:`FrameStats`)."""
        return ["energy_entropy"]
