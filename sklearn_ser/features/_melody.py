"""Predominant melody of a music clip and its contour / expressive statistics.

The melodic and expressive features of Panda, Malheiro & Paiva (IEEE TAFFC
2018), who found them among the most useful for the four Russell quadrants,
in a compact form that needs no external melody extractor:

1. **Salience** (:func:`melody_salience`): a constant-Q magnitude spectrum
   (``bins_per_octave`` = 36, 1/3 semitone, from ``fmin`` = C2), square-root
   compressed, summed over ``n_harmonics`` harmonics with weights
   ``harmonic_weight ** (h - 1)`` (harmonic summation, as in Salamon &
   Gomez's MELODIA). A pitch whose harmonics are all loud scores high.
   Candidate fundamentals span ``n_octaves`` octaves above ``fmin``.
2. **Melody**: in each frame, the most salient pitch, refined by parabolic
   interpolation. A frame is *salient* when its peak salience exceeds 30 %
   of the clip's 95th percentile.
3. **Contours**: runs of salient frames whose pitch moves by less than one
   semitone from frame to frame, at least ``min_contour`` seconds long.
   As in MELODIA's voicing, a contour is kept as melody when its mean
   salience is at least the mean over the clip's contours minus 0.2 of
   their standard deviation (weaker ones are accompaniment); a clip with
   fewer than 5 contours keeps them all.

Then :data:`MELODY_FEATURES`, in column order: how much of the clip is
melody and how it is cut into contours; melodic salience and the number of
salience peaks per frame (texture: how many voices compete); the pitch
level, spread, range, skewness and pitch-class entropy of the contours
(register and tonality of the tune); the intervals between consecutive
contours (steps, leaps, direction: melodic motion); the gaps between them
(articulation: legato vs staccato); and per contour of at least 0.25 s, the
slope, the glissando share, and vibrato and tremolo: a 4-8 Hz modulation
holding more than half the 1-Hz-and-up power of the detrended pitch
(vibrato, if its extent is at least 0.1 semitone; with its rate in Hz and
extent in semitones) or of the log salience (tremolo, with its depth).

The constant-Q transform is librosa's (``librosa.cqt``): librosa is in the
``music`` extra (``pip install 'sklearn-ser[music]'``).
"""

from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.utils._param_validation import Interval

from ._base import BaseAudioTransformer

__all__ = ["MELODY_FEATURES", "MelodyStats", "melody_salience", "melody_stats"]

_STATS3 = ("mean", "std", "median")
#: Names of the :func:`melody_stats` columns, in order.
MELODY_FEATURES = (
    ("salient_fraction", "contour_fraction", "contours_per_second")
    + tuple(f"contour_duration_{s}" for s in _STATS3)
    + ("prominence_mean", "prominence_melody", "salience_cv")
    + ("peaks_mean", "peaks_std", "peaks_melody")
    + ("pitch_mean", "pitch_std", "pitch_range", "pitch_skew")
    + ("pitch_class_entropy", "pitch_class_max")
    + tuple(f"interval_abs_{s}" for s in _STATS3)
    + ("interval_up_fraction", "interval_down_fraction")
    + ("interval_step_fraction", "interval_leap_fraction")
    + tuple(f"gap_{s}" for s in _STATS3)
    + ("legato_fraction",)
    + tuple(f"slope_abs_{s}" for s in _STATS3)
    + tuple(f"contour_pitch_std_{s}" for s in _STATS3)
    + ("glissando_fraction", "vibrato_fraction", "vibrato_rate", "vibrato_extent")
    + ("tremolo_fraction", "tremolo_depth")
)
_VIBRATO_BAND = (4.0, 8.0)  # Hz
_MIN_MODULATED = 0.25  # s: contours checked for vibrato / tremolo
_BINS_PER_OCTAVE = 36
_MIN_VIBRATO_EXTENT = 0.1  # semitones (amplitude)
_MIN_VOICED_CONTOURS = 5  # fewer: all contours are melody


def _harmonic_offsets(n_harmonics, bins_per_octave):
    h = np.arange(1, n_harmonics + 1)
    return h, np.round(bins_per_octave * np.log2(h)).astype(int)


def _n_candidates(n_octaves, bins_per_octave):
    return n_octaves * bins_per_octave + 1


def top_frequency(*, fmin=65.406, n_octaves=4, bins_per_octave=36, n_harmonics=6):
    """Highest constant-Q frequency (Hz) the salience reads; must be < sr / 2."""
    _, off = _harmonic_offsets(n_harmonics, bins_per_octave)
    top_bin = _n_candidates(n_octaves, bins_per_octave) - 1 + off[-1]
    return fmin * 2.0 ** (top_bin / bins_per_octave)


def melody_salience(
    *,
    y,
    sr,
    hop_length=256,
    fmin=65.406,
    n_octaves=4,
    bins_per_octave=36,
    n_harmonics=6,
    harmonic_weight=0.8,
):
    """Harmonic-sum pitch salience, (n_octaves * bins_per_octave + 1, n_frames).

    Row ``b`` is the fundamental ``fmin * 2 ** (b / bins_per_octave)``; see
    the module docstring.
    """
    try:
        import librosa
    except ImportError as exc:  # pragma: no cover - depends on the env
        raise ImportError(
            "melody features need librosa's constant-Q transform "
            "(pip install 'sklearn-ser[music]')"
        ) from exc
    h, off = _harmonic_offsets(n_harmonics, bins_per_octave)
    n_f0 = _n_candidates(n_octaves, bins_per_octave)
    C = librosa.cqt(
        np.asarray(y, np.float32),
        sr=sr,
        hop_length=hop_length,
        fmin=fmin,
        n_bins=n_f0 + off[-1],
        bins_per_octave=bins_per_octave,
    )
    C = np.sqrt(np.abs(C)).astype(np.float32)
    weights = (harmonic_weight ** (h - 1)).astype(np.float32)
    return sum(w * C[o : o + n_f0] for w, o in zip(weights, off))


def _contours(pitch, peak, salient, min_frames, voicing=0.2):
    """(starts, ends) of the melody contours; see the module docstring."""
    edges = np.diff(np.r_[0, salient.astype(np.int8), 0])
    jump = np.abs(np.diff(pitch)) >= 1.0
    starts, ends = [], []
    for a, e in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        cuts = np.r_[a, np.flatnonzero(jump[a : e - 1]) + a + 1, e]
        for s0, s1 in zip(cuts[:-1], cuts[1:]):
            if s1 - s0 >= min_frames:
                starts.append(s0)
                ends.append(s1)
    starts, ends = np.asarray(starts, int), np.asarray(ends, int)
    if len(starts) >= _MIN_VOICED_CONTOURS:
        level = np.array([peak[a:e].mean() for a, e in zip(starts, ends)])
        keep = level >= level.mean() - voicing * level.std()
        starts, ends = starts[keep], ends[keep]
    return starts, ends


def _stats3(v):
    v = np.asarray(v, float)
    if v.size == 0:
        return [0.0, 0.0, 0.0]
    return [v.mean(), v.std(), np.median(v)]


def _modulation(sig, fps):
    """(share of 1 Hz+ power in the vibrato band, peak frequency in that band)."""
    n = len(sig)
    z = sig - sig.mean()
    power = np.abs(np.fft.rfft(z * np.hanning(n), 4 * n)) ** 2
    freqs = np.fft.rfftfreq(4 * n, 1.0 / fps)
    band = (freqs >= _VIBRATO_BAND[0]) & (freqs <= _VIBRATO_BAND[1])
    share = power[band].sum() / (power[freqs >= 1.0].sum() + 1e-12)
    return share, freqs[band][power[band].argmax()]


def _contour_shapes(pitch, salience, starts, ends, fps):
    """Slope, residual std, glissando per contour; vibrato / tremolo of long ones."""
    slopes, spread, gliss = [], [], []
    vib, rate, extent, trem, depth = [], [], [], [], []
    min_frames = int(np.ceil(_MIN_MODULATED * fps))
    for a, e in zip(starts, ends):
        p = pitch[a:e]
        t = np.arange(len(p)) / fps
        fit = np.polyfit(t, p, 1)
        resid = p - np.polyval(fit, t)
        slopes.append(abs(fit[0]))
        spread.append(resid.std())
        change = p[-1] - p[0]
        gliss.append(
            abs(change) >= 1.0 and bool(np.all(np.diff(p) * np.sign(change) > -0.2))
        )
        if len(p) >= min_frames:
            share, peak = _modulation(resid, fps)
            vib.append(
                share > 0.5 and resid.std() * np.sqrt(2.0) >= _MIN_VIBRATO_EXTENT
            )
            rate.append(peak)
            extent.append(resid.std() * np.sqrt(2.0))
            log_sal = np.log(salience[a:e] + 1e-9)
            trem.append(_modulation(log_sal, fps)[0] > 0.5)
            depth.append(log_sal.std())

    def mean(v):
        return float(np.mean(v)) if len(v) else 0.0

    return (
        _stats3(slopes)
        + _stats3(spread)
        + [mean(gliss), mean(vib), mean(rate), mean(extent), mean(trem), mean(depth)]
    )


def _stats_from_salience(S, fps, min_contour, bins_per_octave):
    n_f0, t = S.shape
    frames = np.arange(t)
    best = S.argmax(axis=0)
    peak = S[best, frames]
    below = S[np.clip(best - 1, 0, n_f0 - 1), frames]
    above = S[np.clip(best + 1, 0, n_f0 - 1), frames]
    curv = below - 2 * peak + above
    safe = np.where(np.abs(curv) > 1e-9, curv, 1.0)
    shift = np.where(np.abs(curv) > 1e-9, 0.5 * (below - above) / safe, 0.0)
    pitch = (best + np.clip(shift, -0.5, 0.5)) / (bins_per_octave / 12.0)
    prominence = peak / (S.mean(axis=0) + 1e-9)
    inner = S[1:-1]
    n_peaks = ((inner > S[:-2]) & (inner >= S[2:]) & (inner > 0.5 * peak)).sum(axis=0)
    salient = peak > 0.3 * np.percentile(peak, 95)
    starts, ends = _contours(
        pitch, peak, salient, max(1, int(round(min_contour * fps)))
    )
    melody = np.zeros(t, bool)
    for a, e in zip(starts, ends):
        melody[a:e] = True
    duration = (ends - starts) / fps
    total = t / fps
    out = [salient.mean(), melody.mean(), len(starts) / total]
    out += _stats3(duration)
    out += [
        prominence.mean(),
        prominence[melody].mean() if melody.any() else 0.0,
        peak.std() / (peak.mean() + 1e-9),
        n_peaks.mean(),
        n_peaks.std(),
        n_peaks[melody].mean() if melody.any() else 0.0,
    ]
    if len(starts):
        sung = pitch[np.concatenate([np.arange(a, e) for a, e in zip(starts, ends)])]
    else:
        sung = np.zeros(1)
    sd = sung.std()
    out += [
        sung.mean(),
        sd,
        np.percentile(sung, 95) - np.percentile(sung, 5),
        ((sung - sung.mean()) ** 3).mean() / (sd**3 + 1e-9),
    ]
    hist = np.bincount(np.round(sung).astype(int) % 12, minlength=12).astype(float)
    hist /= hist.sum()
    nz = hist[hist > 0]
    out += [-(nz * np.log2(nz)).sum(), hist.max()]
    levels = np.array([pitch[a:e].mean() for a, e in zip(starts, ends)])
    steps = np.diff(levels) if len(levels) > 1 else np.zeros(1)
    size = np.abs(steps)
    out += _stats3(size)
    out += [
        (steps > 0.5).mean(),
        (steps < -0.5).mean(),
        ((size >= 0.5) & (size <= 2.5)).mean(),
        (size > 4.5).mean(),
    ]
    gaps = (starts[1:] - ends[:-1]) / fps if len(starts) > 1 else np.zeros(1)
    out += _stats3(gaps) + [(gaps < 0.05).mean()]
    out += _contour_shapes(pitch, peak, starts, ends, fps)
    return np.nan_to_num(np.asarray(out, np.float64)).astype(np.float32)


def melody_stats(
    *,
    y,
    sr,
    hop_length=256,
    fmin=65.406,
    n_octaves=4,
    min_contour=0.1,
):
    """(len(MELODY_FEATURES),) float32 melody statistics of one waveform.

    See the module docstring. Pitches are in semitones above ``fmin``.
    """
    S = melody_salience(
        y=y, sr=sr, hop_length=hop_length, fmin=fmin, n_octaves=n_octaves
    )
    return _stats_from_salience(S, sr / hop_length, min_contour, _BINS_PER_OCTAVE)


class MelodyStats(BaseAudioTransformer):
    """Melodic and expressive statistics of music clips (41 columns).

    The predominant melody is tracked on a harmonic-sum salience of a
    constant-Q spectrum and cut into pitch contours; each clip is then
    described by :data:`MELODY_FEATURES`: how much melody there is, its
    register, range and pitch-class spread, the intervals and gaps between
    contours, and the slope, glissando, vibrato and tremolo within them
    (after Panda, Malheiro & Paiva, IEEE TAFFC 2018). See
    :mod:`sklearn_ser.features._melody` for the method. Needs librosa
    (``pip install 'sklearn-ser[music]'``).

    On the MER four-quadrant corpus these 41 columns alone give an RBF SVM
    a macro F1 of 0.61 / 0.60 (stratified / artist-grouped 10-fold; system
    ``svm-melody`` of ``benchmarks/mer_systems.py``); added to the 8500
    columns of the benchmark's feature-selected SVM (``svm-select-melody``)
    they change nothing beyond fold noise (see the README). The tracked pitch of dense mixes switches between voices,
    so ``pitch_mean`` is not a reliable register of the tune there.

    Parameters
    ----------
    sr : int, default=22050
        Rate that paths are loaded at; waveforms must be at it. The
        constant-Q spectrum reaches about 6.3 kHz with the defaults, which
        must lie below ``sr / 2``.
    hop_length : int, default=256
        Frame step in samples (11.6 ms at 22.05 kHz: vibrato up to 8 Hz is
        well sampled).
    fmin : float, default=65.406
        Lowest melody pitch in Hz (C2); pitches are reported in semitones
        above it.
    n_octaves : int, default=4
        Octaves of melody pitch above ``fmin`` (C2-C6 by default).
    min_contour : float, default=0.1
        Shortest contour kept, in seconds.
    n_jobs : int or None, default=None
        Threads over clips; results do not depend on it.
    memory : None, str, path or joblib.Memory, default=None
    verbose : int, default=0

    Attributes
    ----------
    n_features_in_ : int
        1 (``X`` is one column of audio).

    Examples
    --------
    >>> import numpy as np
    >>> sr = 22050
    >>> t = np.arange(2 * sr) / sr
    >>> f0 = 220.0 * 2 ** (0.5 / 12 * np.sin(2 * np.pi * 6.0 * t))  # vibrato
    >>> phase = 2 * np.pi * np.cumsum(f0) / sr
    >>> tone = sum(np.sin(h * phase) / h for h in range(1, 6)).astype(np.float32)
    >>> stats = MelodyStats().fit_transform([0.2 * tone])
    >>> names = list(MelodyStats().get_feature_names_out())
    >>> round(float(stats[0, names.index("melody_pitch_mean")]))  # A3 = C2 + 21
    21
    >>> float(stats[0, names.index("melody_vibrato_fraction")])
    1.0
    >>> round(float(stats[0, names.index("melody_vibrato_rate")]))  # Hz
    6
    """

    _parameter_constraints = {
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "fmin": [Interval(Real, 0, None, closed="neither")],
        "n_octaves": [Interval(Integral, 1, None, closed="left")],
        "min_contour": [Interval(Real, 0, None, closed="left")],
        **BaseAudioTransformer._parameter_constraints,
    }

    def __init__(
        self,
        *,
        sr=22050,
        hop_length=256,
        fmin=65.406,
        n_octaves=4,
        min_contour=0.1,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.sr = sr
        self.hop_length = hop_length
        self.fmin = fmin
        self.n_octaves = n_octaves
        self.min_contour = min_contour
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _check_params(self):
        top = top_frequency(fmin=self.fmin, n_octaves=self.n_octaves)
        if top >= self.sr / 2:
            raise ValueError(
                "the melody salience reads harmonics up to "
                f"{top:.0f} Hz, above the Nyquist frequency of sr={self.sr}; "
                "raise sr or lower fmin / n_octaves. "
                f"Received: sr={self.sr}, fmin={self.fmin}, n_octaves={self.n_octaves}"
            )

    def _transform_waveforms(self, waves):
        rows = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(melody_stats)(
                y=w,
                sr=self.sr,
                hop_length=self.hop_length,
                fmin=self.fmin,
                n_octaves=self.n_octaves,
                min_contour=self.min_contour,
            )
            for w in waves
        )
        if not rows:
            return np.zeros((0, len(MELODY_FEATURES)), np.float32)
        return np.vstack(rows)

    def get_feature_names_out(self, input_features=None):
        """``melody_<name>`` for each of :data:`MELODY_FEATURES`."""
        return np.asarray([f"melody_{n}" for n in MELODY_FEATURES], dtype=object)
