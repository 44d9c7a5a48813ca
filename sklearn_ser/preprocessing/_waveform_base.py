"""Shared plumbing of the waveform-to-waveform transformers."""

from sklearn.base import BaseEstimator, TransformerMixin

from ..io import as_waveforms


class WaveformTransformer(TransformerMixin, BaseEstimator):
    """Stateless transformer: paths / waveforms in, a list of waveforms out.

    Subclasses set ``sr``, ``n_jobs`` and ``verbose`` and implement
    ``_transform_waveforms(waves) -> list of ndarray``.
    """

    def fit(self, X=None, y=None):
        """Check the parameters (nothing is learned). Returns self."""
        self._validate_params()
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """The transformed recordings of ``X``.

        Parameters
        ----------
        X : list of paths and/or 1-D waveforms, or 2-D array (n_samples, n_times)

        Returns
        -------
        list of ndarray of float32
            One 1-D waveform per recording, at ``sr``; lengths may differ.
        """
        self._validate_params()
        waves = as_waveforms(X, self.sr, n_jobs=self.n_jobs, verbose=self.verbose)
        return self._transform_waveforms(waves)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.target_tags.required = False
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.string = True
        return tags
