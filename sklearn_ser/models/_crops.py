"""Train on random short crops of frame sequences, predict by averaging crops.

The standard recipe of music tagging (short-chunk CNNs): a network sees a few
seconds of a 30-s clip per training example, so one clip gives several
examples and a step costs a fraction of a whole clip; at prediction the class
probabilities of evenly spaced crops covering the clip are averaged.

:class:`CropAverageClassifier` is a meta-estimator around any classifier with
``predict_proba`` that accepts ``(n, crop_frames, ...)`` input (a Keras
network, or a scikit-learn pipeline that flattens). It does not import
TensorFlow itself.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import check_declared_params

__all__ = ["CropAverageClassifier"]


class CropAverageClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit ``estimator`` on random fixed-length crops; average its
    probabilities over evenly spaced crops at prediction.

    ``X`` is an array of frame sequences of equal length, ``(n_samples,
    n_frames, ...)`` (e.g. log-Mel frames ``(n, n_frames, n_mels)``); a crop is
    ``X[i, s : s + crop_frames]``. At ``fit``, each sample gives
    ``n_train_crops`` crops with start frames drawn uniformly (seeded by
    ``random_state``), stored sample by sample (the crops of one sample are
    adjacent rows, so a trailing validation split such as Keras'
    ``validation_split`` holds whole samples, up to the one it cuts); their
    label is the sample's. At prediction, ``n_test_crops`` crops start at
    ``round(linspace(0, n_frames - crop_frames, n_test_crops))`` and the
    sample's probabilities are the mean of the crops'.

    Parameters
    ----------
    estimator : classifier
        Has ``fit`` and ``predict_proba``; it is cloned.
    crop_frames : int, default=64
        Frames per crop; at most ``n_frames``.
    n_train_crops : int, default=4
        Random crops per training sample.
    n_test_crops : int, default=8
        Evenly spaced crops per sample at prediction.
    random_state : int, RandomState instance or None, default=None
        Seeds the training crops' start frames.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator`` (trained on crops).
    classes_ : ndarray of shape (n_classes,)
    n_frames_in_ : int
        ``n_frames`` seen at ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> flat = FunctionTransformer(lambda X: X.reshape(len(X), -1))
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20, 50, 3)) + np.repeat([0, 1], 10)[:, None, None]
    >>> y = np.repeat(["a", "b"], 10)
    >>> clf = CropAverageClassifier(
    ...     make_pipeline(flat, LogisticRegression()), crop_frames=10, random_state=0
    ... ).fit(X, y)
    >>> clf.predict_proba(X).shape
    (20, 2)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "crop_frames": [Interval(Integral, 1, None, closed="left")],
        "n_train_crops": [Interval(Integral, 1, None, closed="left")],
        "n_test_crops": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        crop_frames=64,
        n_train_crops=4,
        n_test_crops=8,
        random_state=None,
    ):
        self.estimator = estimator
        self.crop_frames = crop_frames
        self.n_train_crops = n_train_crops
        self.n_test_crops = n_test_crops
        self.random_state = random_state

    def _check_X(self, X):
        X = np.asarray(X)
        if X.ndim < 2:
            raise ValueError(
                "X must be frame sequences (n_samples, n_frames, ...). "
                f"Received: X with shape {X.shape}"
            )
        if X.shape[1] < self.crop_frames:
            raise ValueError(
                f"crop_frames must be at most the number of frames ({X.shape[1]}). "
                f"Received: crop_frames={self.crop_frames}"
            )
        return X

    def _crops(self, X, starts):
        """``X[i, starts[i, j] : starts[i, j] + crop_frames]`` stacked as
        rows ``i * n_crops + j``."""
        n, k = starts.shape
        frames = starts[:, :, None] + np.arange(self.crop_frames)
        crops = X[np.arange(n)[:, None, None], frames]
        return crops.reshape((n * k, self.crop_frames) + X.shape[2:])

    def fit(self, X, y, **fit_params):
        """Fit ``estimator`` on ``n_train_crops`` random crops per sample.

        ``fit_params`` go to the estimator's ``fit`` (per-sample arrays are
        not repeated per crop; pass only scalars or per-crop arrays).
        """
        check_declared_params(self)
        X = self._check_X(X)
        y = np.asarray(y)
        if len(y) != len(X):
            raise ValueError(
                f"X and y must have the same length. Received: len(X)={len(X)}, "
                f"len(y)={len(y)}"
            )
        rng = check_random_state(self.random_state)
        last = X.shape[1] - self.crop_frames
        starts = rng.randint(0, last + 1, size=(len(X), self.n_train_crops))
        Xc = self._crops(X, starts)
        yc = np.repeat(y, self.n_train_crops)
        self.estimator_ = clone(self.estimator).fit(Xc, yc, **fit_params)
        self.classes_ = self.estimator_.classes_
        self.n_frames_in_ = X.shape[1]
        return self

    def _test_starts(self, n, n_frames):
        last = n_frames - self.crop_frames
        starts = np.round(np.linspace(0, last, self.n_test_crops)).astype(int)
        return np.broadcast_to(starts, (n, self.n_test_crops))

    def predict_proba(self, X):
        """Mean over ``n_test_crops`` evenly spaced crops of the estimator's
        probabilities, ``(n_samples, n_classes)``."""
        check_is_fitted(self)
        X = self._check_X(X)
        Xc = self._crops(X, self._test_starts(len(X), X.shape[1]))
        proba = np.asarray(self.estimator_.predict_proba(Xc))
        return proba.reshape(len(X), self.n_test_crops, -1).mean(axis=1)

    def predict(self, X):
        """The class of largest averaged probability."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
