"""Optional HuBERT (or any pre-trained speech encoder) features, S4.

S4 fine-tunes ``hubert-large-ls960-ft``. The toolkit never downloads weights
at run time: :class:`HuBERTFeatures` loads a checkpoint that is already on
disk (``model_path``) and turns each clip into one pooled embedding vector,
so that a classifier (SVC, :class:`~sklearn_ser.models.DenseClassifier`, ...)
can follow it in a Pipeline. Two checkpoint formats are understood:

- a Keras model: a ``.keras`` file or a TensorFlow SavedModel folder, mapping
  a batch of waveforms ``(batch, n_samples)`` at ``sr`` to hidden states
  ``(batch, n_frames, dim)`` (or a list/dict of such, one per layer);
- a Hugging Face ``transformers`` checkpoint folder (``config.json`` +
  weights, e.g. written by ``HubertModel.save_pretrained``), only when the
  optional ``transformers`` and ``torch`` packages are installed (they are
  not dependencies of sklearn-ser).
"""

from numbers import Integral
from pathlib import Path

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted

from ..io import as_waveforms
from ..utils._feature_names import NumberedFeaturesOutMixin
from ..utils._validation import POSITIVE_INT, check_declared_params

__all__ = ["HuBERTFeatures", "load_speech_encoder"]

_POOLINGS = ("mean", "max", "mean_std")


def load_speech_encoder(model_path):
    """Load a local speech-encoder checkpoint; never downloads.

    Parameters
    ----------
    model_path : str or path-like
        A ``.keras`` file, a TensorFlow SavedModel folder or a ``transformers``
        checkpoint folder (with ``config.json``).

    Returns
    -------
    encode : callable
        ``encode(waveforms) -> list of hidden-state arrays``: for a float32
        batch ``(batch, n_samples)``, one ``(batch, n_frames, dim)`` array per
        layer the checkpoint exposes (the last is the output layer).

    Raises
    ------
    ValueError
        ``model_path`` is None.
    FileNotFoundError
        Nothing at ``model_path``, or a folder that is no known checkpoint.
    ImportError
        A ``transformers`` checkpoint while ``transformers``/``torch`` are not
        installed.
    """
    if model_path is None:
        raise ValueError(
            "HuBERTFeatures needs a local checkpoint: sklearn-ser never downloads "
            "weights at run time. Save one first (e.g. transformers' "
            "HubertModel.from_pretrained('facebook/hubert-large-ls960-ft')"
            ".save_pretrained(folder), or a .keras model) and pass its path. "
            "Received: model_path=None"
        )
    path = Path(model_path).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"No HuBERT checkpoint found at {str(path)!r}: sklearn-ser does not "
            "download weights at run time. Put a .keras model, a TensorFlow "
            "SavedModel folder or a transformers checkpoint folder there. "
            f"Received: model_path={model_path!r}"
        )
    if path.is_file() and path.suffix in (".keras", ".h5"):
        model = keras.saving.load_model(path, compile=False)
        return _keras_encoder(model)
    if path.is_dir() and (path / "saved_model.pb").exists():
        layer = keras.layers.TFSMLayer(str(path), call_endpoint="serving_default")
        return _keras_encoder(layer)
    if path.is_dir() and (path / "config.json").exists():
        return _transformers_encoder(path)
    raise FileNotFoundError(
        f"{str(path)!r} is not a checkpoint sklearn-ser can read: expected a "
        ".keras/.h5 file, a SavedModel folder (saved_model.pb) or a "
        f"transformers folder (config.json). Received: model_path={model_path!r}"
    )


def _as_layer_list(out):
    if isinstance(out, dict):
        out = [out[k] for k in sorted(out)]
    if not isinstance(out, (list, tuple)):
        out = [out]
    return [np.asarray(o, dtype=np.float32) for o in out]


def _keras_encoder(model):
    def encode(batch):
        return _as_layer_list(model(batch))

    return encode


def _transformers_encoder(path):
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ImportError(
            f"{str(path)!r} is a transformers checkpoint; reading it needs the "
            "optional packages 'transformers' and 'torch', which are not "
            f"installed ({exc}). Install them or convert the model to .keras."
        ) from exc
    model = transformers.AutoModel.from_pretrained(str(path), local_files_only=True)
    model.eval()

    def encode(batch):
        x = torch.from_numpy(np.asarray(batch, dtype=np.float32))
        # HuBERT expects zero-mean, unit-variance waveforms.
        x = (x - x.mean(dim=1, keepdim=True)) / (x.std(dim=1, keepdim=True) + 1e-7)
        with torch.no_grad():
            out = model(x, output_hidden_states=True)
        return [h.numpy().astype(np.float32) for h in out.hidden_states]

    return encode


class HuBERTFeatures(NumberedFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Pooled embeddings of a local pre-trained speech encoder (HuBERT, S4).

    Every clip is passed through the encoder alone (no padding), the hidden
    states of ``layer`` are pooled over time, and the result is one vector per
    clip. Nothing is downloaded: without a checkpoint at ``model_path``,
    ``fit`` raises an error that names the path.

    Parameters
    ----------
    model_path : str, path-like or None, default=None
        Local checkpoint, see :func:`load_speech_encoder`.
    layer : int, default=-1
        Which hidden-state layer to pool (Python indexing; ``-1`` = last).
    pooling : {"mean", "max", "mean_std"}, default="mean"
        Pooling over time; ``"mean_std"`` concatenates mean and std.
    sr : int, default=16000
        Sampling rate the encoder expects (HuBERT: 16 kHz); inputs are
        loaded/resampled to it.
    max_duration : float or None, default=None
        Crop clips to at most this many seconds (memory bound).
    verbose : int, default=0
        Progress of the audio loading.

    Attributes
    ----------
    n_features_out_ : int
        Size of the output vectors (set by ``fit``).

    Examples
    --------
    >>> from sklearn_ser.models import HuBERTFeatures
    >>> feats = HuBERTFeatures(model_path="/nonexistent/hubert")
    >>> feats.fit(["a.wav"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: No HuBERT checkpoint found at '/nonexistent/hubert': ...
    """

    _feature_prefix = "hubert"  # get_feature_names_out: hubert0, hubert1, ...
    _parameter_constraints = {
        "pooling": [StrOptions(set(_POOLINGS))],
        "layer": [Integral],
        "sr": [POSITIVE_INT],
    }

    def __init__(
        self,
        *,
        model_path=None,
        layer=-1,
        pooling="mean",
        sr=16000,
        max_duration=None,
        verbose=0,
    ):
        self.model_path = model_path
        self.layer = layer
        self.pooling = pooling
        self.sr = sr
        self.max_duration = max_duration
        self.verbose = verbose

    def _validate_params(self):
        check_declared_params(self)

    def _encoder(self):
        enc = getattr(self, "_encode", None)
        if enc is None:
            enc = self._encode = load_speech_encoder(self.model_path)
        return enc

    def _embed(self, wave):
        layers = self._encoder()(wave[None, :])
        try:
            h = layers[self.layer]
        except IndexError:
            raise ValueError(
                f"layer {self.layer} does not exist; the encoder exposes "
                f"{len(layers)} layers. Received: layer={self.layer}"
            ) from None
        h = np.asarray(h, dtype=np.float32).reshape(-1, h.shape[-1])
        if self.pooling == "mean":
            return h.mean(axis=0)
        if self.pooling == "max":
            return h.max(axis=0)
        return np.concatenate([h.mean(axis=0), h.std(axis=0)])

    def fit(self, X=None, y=None):
        """Load the checkpoint (no training) and record the output size.

        Parameters
        ----------
        X : array-like of paths or waveforms, or None
            When given, the first clip sets ``n_features_out_``.
        y : None
            Ignored.

        Returns
        -------
        self : HuBERTFeatures
        """
        self._validate_params()
        self._encode = None
        self._encoder()
        self.is_fitted_ = True
        if X is not None and len(X):
            self.n_features_out_ = int(self.transform(X[:1]).shape[1])
        return self

    def transform(self, X):
        """Embed every clip.

        Parameters
        ----------
        X : array-like of paths and/or 1-D waveforms at ``sr``

        Returns
        -------
        E : ndarray of shape (n_samples, n_features_out_), float32
        """
        check_is_fitted(self, "is_fitted_")
        waves = as_waveforms(X, self.sr, verbose=self.verbose)
        if self.max_duration is not None:
            n = int(round(self.max_duration * self.sr))
            waves = [w[:n] for w in waves]
        E = np.stack([self._embed(np.asarray(w, dtype=np.float32)) for w in waves])
        self.n_features_out_ = int(E.shape[1])
        return E.astype(np.float32)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_encode", None)  # reloaded from model_path on first use
        return state
