"""Output feature names for transformers whose outputs are numbered codes."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["NumberedFeaturesOutMixin"]


class NumberedFeaturesOutMixin:
    """``get_feature_names_out`` giving ``<prefix>0``, ``<prefix>1``, ...

    For transformers whose outputs do not correspond to input columns (an
    embedding, an autoencoder's code): the class sets ``_feature_prefix`` and
    ``fit`` sets ``n_features_out_``. Like scikit-learn's
    ``ClassNamePrefixFeaturesOutMixin``, with a prefix of the class's choice.
    """

    _feature_prefix = None

    def get_feature_names_out(self, input_features=None):
        """Names of the output features: ``<prefix>0``, ``<prefix>1``, ...

        Parameters
        ----------
        input_features : array-like of str or None
            Ignored: the outputs do not correspond to input columns.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "n_features_out_")
        prefix = self._feature_prefix
        return np.asarray(
            [f"{prefix}{i}" for i in range(self.n_features_out_)], dtype=object
        )
