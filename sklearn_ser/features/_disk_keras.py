"""Keras view of :class:`~sklearn_ser.features.FeatureShards` (imports Keras).

Kept apart from :mod:`._disk` so that ``import sklearn_ser.features`` never
imports Keras or TensorFlow; :meth:`FeatureShards.to_keras` imports it.
"""

import numpy as np
from keras.utils import PyDataset
from sklearn.utils import check_random_state

from ._disk import _order

__all__ = ["ShardsDataset"]


class ShardsDataset(PyDataset):
    """Batches ``(X[idx], y[idx])`` read from memory-mapped shards.

    Parameters
    ----------
    shards : FeatureShards
    y : ndarray of shape (n_samples, ...)
    batch_size : int
    shuffle : bool
        Redraw the row order at the end of every epoch.
    random_state : int, RandomState or None
    **kwargs
        Passed to :class:`keras.utils.PyDataset`.
    """

    def __init__(
        self, shards, y, *, batch_size=32, shuffle=True, random_state=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.shards = shards
        self.y = np.asarray(y)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self._rng = check_random_state(random_state)
        self._order = _order(len(shards), shuffle, self._rng)

    def __len__(self):
        return -(-len(self.shards) // self.batch_size)

    def __getitem__(self, index):
        idx = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        return self.shards[idx], self.y[idx]

    def on_epoch_end(self):
        if self.shuffle:
            self._order = _order(len(self.shards), True, self._rng)
