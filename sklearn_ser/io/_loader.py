"""AudioLoader: an explicit paths -> waveforms step for pipelines."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ._audio import as_waveforms, fix_length

__all__ = ["AudioLoader"]


class AudioLoader(TransformerMixin, BaseEstimator):
    """Turn a batch of paths and/or waveforms into waveforms at ``sr``.

    Stateless. Every feature transformer already accepts paths, so this step
    is only needed to make loading explicit, to fix the length, or to cache
    decoded audio with the Pipeline's ``memory``.

    Parameters
    ----------
    sr : int, default=16000
    duration : float or None, default=None
        When set, every waveform is padded with zeros or trimmed to
        ``round(duration * sr)`` samples and the output is a 2-D float32
        array ``(n_samples, n_times)``; otherwise a 1-D object array of
        1-D float32 waveforms.
    n_jobs : int or None
    verbose : int

    Examples
    --------
    >>> import numpy as np
    >>> AudioLoader(duration=0.5).fit_transform([np.zeros(100)]).shape
    (1, 8000)
    """

    def __init__(self, *, sr=16000, duration=None, n_jobs=None, verbose=0):
        self.sr = sr
        self.duration = duration
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y=None):
        if not isinstance(self.sr, (int, np.integer)) or self.sr <= 0:
            raise ValueError(f"sr must be a positive int. Received: sr={self.sr!r}")
        if self.duration is not None and self.duration <= 0:
            raise ValueError(
                f"duration must be > 0 seconds or None. Received: {self.duration!r}"
            )
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        waves = as_waveforms(X, self.sr, n_jobs=self.n_jobs, verbose=self.verbose)
        if self.duration is not None:
            n = int(round(self.duration * self.sr))
            return np.stack([fix_length(w, n) for w in waves]).astype(np.float32)
        out = np.empty(len(waves), dtype=object)
        out[:] = waves
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        return tags
