"""S1's two-modality (or two-view) fusion network.

One :func:`~sklearn_ser.models.build_sequence_cnn` branch per view (a dense
layer for a flat feature vector), the branch vectors concatenated, a linear
layer (``fusion_units``), then the dense classifier of
:mod:`sklearn_ser.models._sequence`. The views arrive as one flat 2-D ``X``
(see :mod:`sklearn_ser.models._views`); the network slices and reshapes
them back inside the model (:class:`ColumnSlice`).
"""

import keras
import numpy as np
from keras import layers
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import POSITIVE_INT, check_params
from ._base import BaseSERClassifier
from ._sequence import _branch, _branch_params, _classifier_head
from ._views import _normalise_view_shapes, flatten_views

__all__ = ["FusionClassifier", "build_fusion"]


@keras.saving.register_keras_serializable(package="sklearn_ser")
class ColumnSlice(layers.Layer):
    """Columns ``[start, stop)`` of a 2-D input (one flattened view)."""

    def __init__(self, start, stop, **kwargs):
        super().__init__(**kwargs)
        self.start = int(start)
        self.stop = int(stop)

    def call(self, inputs):
        return inputs[:, self.start : self.stop]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.stop - self.start)

    def get_config(self):
        return {**super().get_config(), "start": self.start, "stop": self.stop}


def build_fusion(
    input_shape,
    n_classes,
    *,
    view_shapes,
    head="gru",
    conv_filters=32,
    n_conv=3,
    kernel_size=3,
    linear_units=64,
    gru_units=128,
    lstm_units=128,
    embed_dim=64,
    ff_dim=64,
    num_heads=4,
    fusion_units=128,
    dense_units=(128, 64),
    dropout=0.0,
):
    """S1's two-modality network: one branch per view, concatenated, classified.

    The model has one flat input ``(sum of prod(view_shapes[i]),)``: the
    views' flattened columns side by side (see :func:`flatten_views`). Inside
    the model each view is sliced out and reshaped to ``view_shapes[i]``, then
    goes through its own branch:

    - ``(T, height, width[, channels])`` or ``(T, n_features)``: the
      :func:`build_sequence_cnn` branch (per-step CNN + linear + ``head``);
    - ``(n_features,)`` (a flat feature vector): one ReLU dense layer of
      ``linear_units``.

    The branch vectors are concatenated -> linear layer (``fusion_units``,
    no activation) -> dense ``dense_units`` (ReLU) -> softmax.

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_columns,)``; must equal the total size of ``view_shapes``.
    n_classes : int
    view_shapes : sequence of tuple of int
        Per-sample shape of every view, in column order.
    head, conv_filters, n_conv, kernel_size, linear_units, gru_units, \
lstm_units, embed_dim, ff_dim, num_heads, dense_units, dropout
        As in :func:`build_sequence_cnn` (the same for every sequence view).
    fusion_units : int, default=128
        Width of the linear layer after the concatenation (not given by S1).

    Returns
    -------
    model : keras.Model
        Uncompiled model named ``"fusion_<head>"``.
    """
    branch = _branch_params(locals())
    check_params({"fusion_units": fusion_units}, {"fusion_units": [POSITIVE_INT]})
    shapes = _normalise_view_shapes(view_shapes)
    sizes = [int(np.prod(s)) for s in shapes]
    input_shape = tuple(int(d) for d in input_shape)
    if input_shape != (sum(sizes),):
        raise ValueError(
            f"input_shape must be ({sum(sizes)},), the total size of view_shapes "
            f"{shapes}. Received: input_shape={input_shape}"
        )
    inputs = keras.Input(shape=input_shape, name="views")
    vectors = []
    start = 0
    for v, (shape, size) in enumerate(zip(shapes, sizes)):
        prefix = f"view{v}_"
        x = ColumnSlice(start, start + size, name=f"{prefix}slice")(inputs)
        start += size
        if len(shape) == 1:
            x = layers.Dense(linear_units, activation="relu", name=f"{prefix}dense")(x)
        else:
            x = layers.Reshape(shape, name=f"{prefix}reshape")(x)
            x = _branch(x, shape[1:], prefix, **branch)
        vectors.append(x)
    x = vectors[0] if len(vectors) == 1 else layers.Concatenate(name="concat")(vectors)
    x = layers.Dense(fusion_units, name="fusion_linear")(x)
    outputs = _classifier_head(x, tuple(dense_units), n_classes, dropout)
    return keras.Model(inputs, outputs, name=f"fusion_{head}")


class FusionClassifier(BaseSERClassifier):
    """S1's two-modality (or two-view) fusion network, see :func:`build_fusion`.

    How ``X`` is given. scikit-learn's cross-validation and searches select
    rows of ``X`` with ``_safe_indexing``, which works for arrays but not for
    a pair of arrays, so the views travel as ONE 2-D array whose columns are
    every view flattened, side by side, with the per-sample view shapes
    known. Three equivalent ways:

    1. Put a :class:`ViewStack` of per-view feature pipelines before the
       classifier: ``Pipeline([ViewStack([audio_pipe, other_pipe]),
       FusionClassifier()])``; the stack's output (a :class:`ViewArray`)
       carries its shapes. Works with ``cross_val_score`` on raw file paths.
    2. Pass a 2-D array and ``view_shapes=[(9, 40, 40), (80,)]``
       (or a :class:`ViewArray` from :func:`flatten_views`, whose shapes are
       used when ``view_shapes`` is None); usable in CV on precomputed
       features.
    3. Pass a ``tuple`` or ``dict`` of arrays ``(n_samples, ...)`` to
       ``fit``/``predict`` directly (converted with :func:`flatten_views`;
       not indexable by CV).

    Each view gets its own branch (sequence CNN + ``head`` for ``(T, ...)``
    views, a dense layer for flat vectors); the branch vectors are
    concatenated, passed through a linear layer and dense 128 -> 64 ->
    softmax. S1's training: Adam 1e-4, batch 16, 15 epochs with early
    stopping.

    Parameters
    ----------
    view_shapes : sequence of tuple of int or None, default=None
        Per-sample shape of every view, in column order; ``None`` takes them
        from ``X`` (ViewArray, tuple or dict) at ``fit``.
    head, conv_filters, n_conv, kernel_size, linear_units, gru_units, \
lstm_units, embed_dim, ff_dim, num_heads, fusion_units, dense_units, dropout
        Architecture, see :func:`build_fusion` (S1 defaults).
    learning_rate : float, default=1e-4
    epochs : int, default=15
    batch_size : int, default=16
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Attributes
    ----------
    view_shapes_ : list of tuple of int
        The view shapes the network was built for.
    """

    _builder = staticmethod(build_fusion)

    def __init__(
        self,
        *,
        view_shapes=None,
        head="gru",
        conv_filters=32,
        n_conv=3,
        kernel_size=3,
        linear_units=64,
        gru_units=128,
        lstm_units=128,
        embed_dim=64,
        ff_dim=64,
        num_heads=4,
        fusion_units=128,
        dense_units=(128, 64),
        dropout=0.0,
        learning_rate=1e-4,
        epochs=15,
        batch_size=16,
        **common,
    ):
        self.view_shapes = view_shapes
        self.head = head
        self.conv_filters = conv_filters
        self.n_conv = n_conv
        self.kernel_size = kernel_size
        self.linear_units = linear_units
        self.gru_units = gru_units
        self.lstm_units = lstm_units
        self.embed_dim = embed_dim
        self.ff_dim = ff_dim
        self.num_heads = num_heads
        self.fusion_units = fusion_units
        self.dense_units = dense_units
        self.dropout = dropout
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )

    def _flatten(self, X, shapes=None):
        """``X`` as a 2-D float array and the view shapes it holds."""
        if isinstance(X, (tuple, dict)):
            X = flatten_views(X)
        if shapes is None:
            if self.view_shapes is not None:
                shapes = _normalise_view_shapes(self.view_shapes)
            elif getattr(X, "view_shapes", None) is not None:
                shapes = _normalise_view_shapes(X.view_shapes)
            else:
                raise ValueError(
                    "FusionClassifier needs the view shapes: pass X as a tuple or "
                    "dict of arrays, as the output of ViewStack / flatten_views, "
                    "or set view_shapes=[...]. Received: a plain array of shape "
                    f"{np.shape(X)} and view_shapes=None"
                )
        X = np.asarray(X)
        total = sum(int(np.prod(s)) for s in shapes)
        if X.ndim != 2 or X.shape[1] != total:
            raise ValueError(
                f"X must have shape (n_samples, {total}) for view_shapes {shapes}. "
                f"Received: X.shape={X.shape}"
            )
        return X, shapes

    def _builder_kwargs(self):
        return {**super()._builder_kwargs(), "view_shapes": self.view_shapes_}

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build the fusion network for the views of ``X`` and train it.

        Parameters
        ----------
        X : ViewArray, array of shape (n_samples, n_columns), tuple or dict
            See the class docstring.
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        **kwargs
            Extra arguments for ``keras.Model.fit``.

        Returns
        -------
        self : FusionClassifier
        """
        X, self.view_shapes_ = self._flatten(X)
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def _validation_input(self, X_val):
        # validation_data's X may be a ViewArray, tuple or dict like X.
        return self._flatten(X_val, self.view_shapes_)[0]

    def _predict_input(self, X):
        check_is_fitted(self, "view_shapes_")
        return self._flatten(X, self.view_shapes_)[0]

    def predict(self, X, **kwargs):
        """Predicted class labels for ``X`` (same views as at ``fit``)."""
        return super().predict(self._predict_input(X), **kwargs)

    def predict_proba(self, X, **kwargs):
        """Class probabilities ``(n_samples, n_classes_)``, columns ``classes_``."""
        return super().predict_proba(self._predict_input(X), **kwargs)

    def score(self, X, y, sample_weight=None):
        """Accuracy on ``X``, ``y``."""
        return super().score(self._predict_input(X), y, sample_weight=sample_weight)
