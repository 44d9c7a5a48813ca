"""Cut frame-level features into overlapping windows of frames (S1)."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._validation import check_params

__all__ = ["SlidingWindows"]


class SlidingWindows(TransformerMixin, BaseEstimator):
    """``(n, n_frames, n_coeffs)`` -> ``(n, n_windows, window, n_coeffs)``.

    Used after a frame-level transformer. The defaults are S1's ("Comparison
    of sequence models in multimodal emotion recognition"): windows of 40
    frames every 20 frames, so S1's 5 s clips at 22.05 kHz (MFCC, n_fft 2048,
    hop 512, 40 coefficients: 216 x 40) become 9 x 40 x 40::

        Pipeline([MFCC(sr=22050, duration=5.0), SlidingWindows()])  # (n, 9, 40, 40)

    ``n_windows = 1 + (n_frames - window) // hop`` (frames after the last
    full window are dropped, as in S1); inputs shorter than one window are
    zero-padded to one window.

    Parameters
    ----------
    window : int, default=40
        Frames per window.
    hop : int, default=20
        Frames between window starts.

    Attributes
    ----------
    n_features_in_ : int
        Coefficients per frame (``X.shape[2]``).
    n_frames_in_ : int
        Frames per sample seen in ``fit``; ``transform`` requires the same.

    Examples
    --------
    >>> import numpy as np
    >>> SlidingWindows().fit_transform(np.zeros((2, 216, 40), np.float32)).shape
    (2, 9, 40, 40)
    """

    def __init__(self, *, window=40, hop=20):
        self.window = window
        self.hop = hop

    _parameter_constraints: dict = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "hop": [Interval(Integral, 1, None, closed="left")],
    }

    def _validate_params(self):
        check_params(self)

    @staticmethod
    def _check_X(X):
        X = np.asarray(X)
        if X.ndim != 3:
            raise ValueError(
                "SlidingWindows expects frame-level features (n_samples, n_frames, "
                "n_coeffs), e.g. the output of MFCC. "
                f"Received: array of shape {X.shape}"
            )
        return X

    def fit(self, X, y=None):
        """Validate parameters; record the input frame and coefficient counts."""
        self._validate_params()
        X = self._check_X(X)
        self.n_frames_in_ = X.shape[1]
        self.n_features_in_ = X.shape[2]
        return self

    def n_windows(self, n_frames):
        """Number of windows made from ``n_frames`` frames."""
        return 1 + max(int(n_frames) - self.window, 0) // self.hop

    def transform(self, X):
        """Return the windows, a ``(n, n_windows, window, n_coeffs)`` array."""
        check_is_fitted(self)
        X = self._check_X(X)
        if X.shape[1:] != (self.n_frames_in_, self.n_features_in_):
            raise ValueError(
                f"X must have {self.n_frames_in_} frames of {self.n_features_in_} "
                f"coefficients as in fit. Received: X of shape {X.shape}"
            )
        if X.shape[1] < self.window:
            X = np.pad(X, ((0, 0), (0, self.window - X.shape[1]), (0, 0)))
        n_win = self.n_windows(X.shape[1])
        view = np.lib.stride_tricks.sliding_window_view(X, self.window, axis=1)
        # view: (n, n_frames - window + 1, n_coeffs, window)
        out = view[:, : (n_win - 1) * self.hop + 1 : self.hop]
        return np.ascontiguousarray(out.transpose(0, 1, 3, 2))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        return tags
