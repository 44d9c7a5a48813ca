"""What a user must know about an input recording before trusting a label.

:func:`inspect_audio` measures one file (or waveform) and flags what makes a
prediction meaningless or doubtful: silence (no speech to classify), a
recording too short to hold a syllable, and clipping. ``sklearn-ser predict``
prints the same flags, so the command line and Python agree.
"""

from dataclasses import asdict, dataclass

import numpy as np

__all__ = ["AudioQuality", "inspect_audio"]

SILENCE_DBFS = -60.0
MIN_DURATION = 0.1
CLIP_LEVEL = 0.999
MIN_CLIPPED = 10
FRAME_SECONDS = 0.025


def _dbfs(x):
    """Amplitude ``x`` (1.0 = full scale) in dBFS; ``-inf`` for 0."""
    with np.errstate(divide="ignore"):
        return float(20.0 * np.log10(x)) if x > 0 else float("-inf")


@dataclass(frozen=True)
class AudioQuality:
    """Measurements and flags of one recording (see :func:`inspect_audio`).

    Attributes
    ----------
    file : str or None
        The path, or None for a waveform.
    sr : int
        Sampling rate the measurements were made at (the file's own).
    duration : float
        Seconds of audio.
    peak : float
        Largest absolute sample before any clipping (1.0 = full scale).
    peak_dbfs, loudest_frame_dbfs : float
        ``peak`` in dBFS and the RMS level of the loudest ``frame_seconds``
        frame in dBFS (``-inf`` for digital silence).
    n_clipped : int
        Samples at or beyond ``clip_level`` (full scale).
    clipped : bool
        ``n_clipped >= min_clipped`` or ``out_of_range``.
    out_of_range : bool
        ``peak > 1``: a float file beyond full scale, which
        :func:`~sklearn_ser.io.load_audio` clips to [-1, 1].
    silent : bool
        ``loudest_frame_dbfs < silence_dbfs``: no frame is loud enough to
        hold speech.
    too_short : bool
        ``duration < min_duration``.
    """

    file: object
    sr: int
    duration: float
    peak: float
    peak_dbfs: float
    loudest_frame_dbfs: float
    n_clipped: int
    clipped: bool
    out_of_range: bool
    silent: bool
    too_short: bool
    silence_dbfs: float = SILENCE_DBFS
    min_duration: float = MIN_DURATION

    @property
    def no_speech(self):
        """True when there is nothing to classify (silent or too short)."""
        return self.silent or self.too_short

    @property
    def flags(self):
        """Short names of the problems found, e.g. ``["clipped", "silent"]``."""
        names = ("silent", "too_short", "clipped", "out_of_range")
        return [n for n in names if getattr(self, n)]

    def describe(self):
        """The problems as one line of text ('' when there are none)."""
        parts = []
        if self.silent:
            parts.append(
                f"silent: loudest {FRAME_SECONDS * 1000:.0f} ms frame "
                f"{self.loudest_frame_dbfs:.1f} dBFS < {self.silence_dbfs:g} dBFS"
            )
        if self.too_short:
            parts.append(
                f"too short: {self.duration:.3f} s < {self.min_duration:g} s"
            )
        if self.out_of_range:
            parts.append(
                f"clipped: peak {self.peak:.3f} ({self.peak_dbfs:+.1f} dBFS) is "
                f"beyond full scale, {self.n_clipped} samples cut to [-1, 1]"
            )
        elif self.clipped:
            parts.append(
                f"clipped: {self.n_clipped} samples at full scale"
            )
        return "; ".join(parts)

    def to_dict(self):
        """Plain-JSON dictionary (``-inf`` levels become None)."""
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float) and not np.isfinite(v):
                d[k] = None
        d["flags"] = self.flags
        d["no_speech"] = self.no_speech
        return d


def inspect_audio(
    X,
    sr=None,
    *,
    silence_dbfs=SILENCE_DBFS,
    min_duration=MIN_DURATION,
    clip_level=CLIP_LEVEL,
    min_clipped=MIN_CLIPPED,
):
    """Measure a recording and flag silence, too-short input and clipping.

    A recording is **silent** (no speech) when the RMS level of its loudest
    25 ms frame (frames hop by 12.5 ms) is below ``silence_dbfs``; quiet
    speech keeps some frame above -60 dBFS (the quietest real RAVDESS and
    TESS clips have their loudest frame near -55 and -36 dBFS), while digital silence is
    ``-inf`` and room noise without a voice stays below it. It is **too
    short** below ``min_duration`` seconds. It is **clipped** when at least
    ``min_clipped`` samples reach ``clip_level`` of full scale (a lone
    full-scale sample is a normalised peak, not clipping) or when any sample
    lies beyond [-1, 1] (``out_of_range``: a float file, which
    :func:`~sklearn_ser.io.load_audio` clips).

    Parameters
    ----------
    X : str, path-like or 1-D array
        An audio file (read at its own rate, channels averaged, nothing
        clipped) or a waveform.
    sr : int or None
        Rate of a waveform (required for one); ignored for a file.
    silence_dbfs : float, default=-60.0
    min_duration : float, default=0.1
    clip_level : float, default=0.999
    min_clipped : int, default=10

    Returns
    -------
    AudioQuality

    Raises
    ------
    AudioLoadError
        The file cannot be read (as :func:`~sklearn_ser.io.load_audio`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.io import inspect_audio
    >>> q = inspect_audio(np.zeros(16000, dtype="float32"), sr=16000)
    >>> q.silent, q.no_speech, q.flags
    (True, True, ['silent'])
    """
    from ._audio import _is_path, load_audio

    if _is_path(X):
        import soundfile as sf

        file = str(X)
        y = load_audio(file, sr=None, clip=False)
        sr = sf.info(file).samplerate
    else:
        if sr is None:
            raise ValueError("inspect_audio needs sr for a waveform. Received: sr=None")
        file = None
        y = np.asarray(X, dtype=np.float32)
        if y.ndim != 1:
            raise ValueError(
                f"inspect_audio expects a 1-D waveform. Received: shape {y.shape}"
            )
    absy = np.abs(y)
    peak = float(absy.max()) if y.size else 0.0
    n_clipped = int(np.count_nonzero(absy >= clip_level))
    frame = max(1, int(round(FRAME_SECONDS * sr)))
    if y.size <= frame:
        power = np.square(y, dtype=np.float64)
        loudest = float(np.sqrt(power.mean())) if y.size else 0.0
    else:
        power = np.lib.stride_tricks.sliding_window_view(
            np.square(y, dtype=np.float64), frame
        )[:: max(1, frame // 2)]
        loudest = float(np.sqrt(power.mean(axis=1).max()))
    loudest_dbfs = _dbfs(loudest)
    duration = y.size / float(sr)
    return AudioQuality(
        file=file,
        sr=int(sr),
        duration=duration,
        peak=peak,
        peak_dbfs=_dbfs(peak),
        loudest_frame_dbfs=loudest_dbfs,
        n_clipped=n_clipped,
        clipped=n_clipped >= min_clipped or peak > 1.0,
        out_of_range=peak > 1.0,
        silent=loudest_dbfs < silence_dbfs,
        too_short=duration < min_duration,
        silence_dbfs=float(silence_dbfs),
        min_duration=float(min_duration),
    )
