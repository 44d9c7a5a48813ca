"""S1's CNN + sequence-head networks and two-view fusion.

Array layout: a clip is a sequence of ``T`` time steps; each step is an
image-like window ``(height, width)`` or ``(height, width, channels)`` (S1's
audio: 9 overlapping windows of 40 MFCC frames x 40 coefficients, i.e. one
clip = ``(9, 40, 40)`` from :class:`sklearn_ser.features.SlidingWindows`;
S1's video: 50 face crops of 64x64), or a feature vector ``(n_features,)``.
A batch is ``(n_samples, T, ...)``.

Per time step (shared weights, ``TimeDistributed``): ``n_conv`` x [Conv2D
``conv_filters`` -> BatchNorm -> ReLU -> MaxPool 2x2] -> flatten -> linear
layer (``linear_units``, no activation). The sequence of step vectors then
goes through a head:

- ``"gru"``: GRU(``gru_units``), last time step;
- ``"lstm"``: LSTM(``lstm_units``), last time step;
- ``"transformer"``: one Transformer encoder block (token embedding
  ``embed_dim``, feed-forward ``ff_dim``, ``num_heads`` heads), then global
  max pooling over time;
- ``"maxpool"``: max pooling over time (no sequence model).

and the classifier: dense 128 -> dense 64 -> softmax (``dense_units``).
S1's training: Adam, lr 1e-4, batch 16, 15 epochs with early stopping.

Fusion (:class:`FusionClassifier`): one such branch per view, the branch
vectors concatenated, a linear layer (``fusion_units``), then the same dense
classifier. Because scikit-learn's cross-validation indexes ``X`` by rows,
several views travel as ONE 2-D array whose columns are the flattened views
side by side, plus their shapes (``view_shapes``); the network slices and
reshapes them back inside the model. :class:`ViewStack` builds that array
from several feature pipelines and carries the shapes along.
"""

import numbers

import numpy as np
from sklearn.pipeline import FeatureUnion

from .._pipeline import _name_steps

__all__ = [
    "build_sequence_cnn",
    "build_fusion",
    "ViewArray",
    "ViewStack",
    "flatten_views",
]

_HEADS = ("gru", "lstm", "transformer", "maxpool")


def _keras():
    import keras

    return keras


# --------------------------------------------------------------------------- #
# building blocks
# --------------------------------------------------------------------------- #
def _check_int(value, name, minimum=1):
    if (
        not isinstance(value, numbers.Integral)
        or isinstance(value, bool)
        or value < minimum
    ):
        raise ValueError(
            f"{name} must be an int >= {minimum}. Received: {name}={value!r}"
        )


def _check_branch_params(
    head,
    conv_filters,
    n_conv,
    kernel_size,
    linear_units,
    gru_units,
    lstm_units,
    embed_dim,
    ff_dim,
    num_heads,
    dropout,
):
    if head not in _HEADS:
        raise ValueError(f"head must be one of {_HEADS}. Received: head={head!r}")
    for name, value, minimum in (
        ("conv_filters", conv_filters, 1),
        ("n_conv", n_conv, 0),
        ("kernel_size", kernel_size, 1),
        ("linear_units", linear_units, 1),
        ("gru_units", gru_units, 1),
        ("lstm_units", lstm_units, 1),
        ("embed_dim", embed_dim, 1),
        ("ff_dim", ff_dim, 1),
        ("num_heads", num_heads, 1),
    ):
        _check_int(value, name, minimum)
    if head == "transformer" and embed_dim % num_heads:
        raise ValueError(
            "embed_dim must be divisible by num_heads. "
            f"Received: embed_dim={embed_dim}, num_heads={num_heads}"
        )
    if not isinstance(dropout, numbers.Real) or not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1). Received: dropout={dropout!r}")


def _transformer_block(x, prefix, embed_dim, ff_dim, num_heads, dropout):
    layers = _keras().layers
    attn = layers.MultiHeadAttention(
        num_heads=num_heads,
        key_dim=embed_dim // num_heads,
        dropout=dropout,
        name=f"{prefix}mha",
    )(x, x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{prefix}ln1")(
        layers.Add(name=f"{prefix}res1")([x, attn])
    )
    ff = layers.Dense(ff_dim, activation="relu", name=f"{prefix}ff1")(x)
    ff = layers.Dense(embed_dim, name=f"{prefix}ff2")(ff)
    if dropout:
        ff = layers.Dropout(dropout, name=f"{prefix}ff_drop")(ff)
    return layers.LayerNormalization(epsilon=1e-6, name=f"{prefix}ln2")(
        layers.Add(name=f"{prefix}res2")([x, ff])
    )


def _branch(
    x,
    step_shape,
    prefix,
    *,
    head,
    conv_filters,
    n_conv,
    kernel_size,
    linear_units,
    gru_units,
    lstm_units,
    embed_dim,
    ff_dim,
    num_heads,
    dropout,
):
    """One modality: per-step CNN + linear, then the sequence head -> vector."""
    layers = _keras().layers
    td = layers.TimeDistributed
    step_shape = tuple(int(d) for d in step_shape)
    if len(step_shape) == 2:
        x = layers.Reshape((-1, *step_shape, 1), name=f"{prefix}add_channel")(x)
        step_shape = (*step_shape, 1)
    if len(step_shape) == 3:
        size = list(step_shape[:2])
        for i in range(1, n_conv + 1):
            if min(size) < 2:
                raise ValueError(
                    f"Time-step windows of shape {step_shape[:2]} are too small "
                    f"for {n_conv} conv/max-pool layers (each halves the size). "
                    f"Received: n_conv={n_conv}"
                )
            x = td(
                layers.Conv2D(conv_filters, kernel_size, padding="same"),
                name=f"{prefix}conv{i}",
            )(x)
            x = td(layers.BatchNormalization(), name=f"{prefix}bn{i}")(x)
            x = td(layers.ReLU(), name=f"{prefix}relu{i}")(x)
            x = td(layers.MaxPooling2D(2), name=f"{prefix}pool{i}")(x)
            size = [s // 2 for s in size]
        x = td(layers.Flatten(), name=f"{prefix}flatten")(x)
    elif len(step_shape) != 1:
        raise ValueError(
            "Each time step must be a vector (n_features,), a window (height, "
            "width) or (height, width, channels). "
            f"Received: time-step shape {step_shape}"
        )
    x = td(layers.Dense(linear_units), name=f"{prefix}linear")(x)
    if head == "gru":
        return layers.GRU(gru_units, name=f"{prefix}gru")(x)
    if head == "lstm":
        return layers.LSTM(lstm_units, name=f"{prefix}lstm")(x)
    if head == "transformer":
        if linear_units != embed_dim:
            x = layers.Dense(embed_dim, name=f"{prefix}embed")(x)
        x = _transformer_block(
            x, f"{prefix}transformer_", embed_dim, ff_dim, num_heads, dropout
        )
        return layers.GlobalMaxPooling1D(name=f"{prefix}global_maxpool")(x)
    return layers.GlobalMaxPooling1D(name=f"{prefix}time_maxpool")(x)


def _classifier_head(x, dense_units, n_classes, dropout):
    layers = _keras().layers
    for i, units in enumerate(dense_units, start=1):
        _check_int(units, "dense_units[...]")
        x = layers.Dense(int(units), activation="relu", name=f"dense{i}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dense{i}_drop")(x)
    return layers.Dense(n_classes, activation="softmax", name="predictions")(x)


# --------------------------------------------------------------------------- #
# single-view SequenceCNN
# --------------------------------------------------------------------------- #
def build_sequence_cnn(
    input_shape=(9, 40, 40),
    n_classes=6,
    *,
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
    dense_units=(128, 64),
    dropout=0.0,
):
    """S1's per-time-step CNN followed by a sequence head.

    Parameters
    ----------
    input_shape : tuple of int, default=(9, 40, 40)
        ``(T, height, width)``, ``(T, height, width, channels)`` or
        ``(T, n_features)`` (the last skips the CNN). S1's audio clip is
        ``(9, 40, 40)``.
    n_classes : int, default=6
    head : {"gru", "lstm", "transformer", "maxpool"}, default="gru"
        Sequence model over the time steps (see the module docstring).
    conv_filters : int, default=32
        Filters of every convolution (S1: 32).
    n_conv : int, default=3
        Number of Conv -> BatchNorm -> ReLU -> MaxPool(2x2) layers (S1: 3).
    kernel_size : int, default=3
        Convolution kernel size (not given by S1; 3x3, "same" padding).
    linear_units : int, default=64
        Width of the per-step linear layer (not given by S1; 64 = the
        Transformer's token embedding, the only size S1 states for it). With
        the ``"transformer"`` head a ``Dense(embed_dim)`` projection is added
        when ``linear_units != embed_dim``.
    gru_units, lstm_units : int, default=128
        Hidden size of the GRU / LSTM head (S1: 128).
    embed_dim, ff_dim, num_heads : int, default=64, 64, 4
        Transformer block (S1: 64, 64, 4). Multi-head attention with
        ``key_dim = embed_dim // num_heads``, residual connections and layer
        normalisation (post-norm); no positional encoding (S1 mentions none).
    dense_units : tuple of int, default=(128, 64)
        Hidden dense layers of the classifier (S1: 128, 64).
    dropout : float, default=0.0
        Dropout in the Transformer block and after each dense layer (S1 does
        not mention any).

    Returns
    -------
    model : keras.Model
        Uncompiled model named ``"sequence_cnn_<head>"``.
    """
    keras = _keras()
    _check_branch_params(
        head,
        conv_filters,
        n_conv,
        kernel_size,
        linear_units,
        gru_units,
        lstm_units,
        embed_dim,
        ff_dim,
        num_heads,
        dropout,
    )
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) < 2:
        raise ValueError(
            "SequenceCNN expects samples of shape (T, ...) with a time axis. "
            f"Received: input_shape={input_shape}"
        )
    inputs = keras.Input(shape=input_shape, name="sequence")
    x = _branch(
        inputs,
        input_shape[1:],
        "",
        head=head,
        conv_filters=conv_filters,
        n_conv=n_conv,
        kernel_size=kernel_size,
        linear_units=linear_units,
        gru_units=gru_units,
        lstm_units=lstm_units,
        embed_dim=embed_dim,
        ff_dim=ff_dim,
        num_heads=num_heads,
        dropout=dropout,
    )
    outputs = _classifier_head(x, tuple(dense_units), n_classes, dropout)
    return keras.Model(inputs, outputs, name=f"sequence_cnn_{head}")


# --------------------------------------------------------------------------- #
# fusion
# --------------------------------------------------------------------------- #
_COLUMN_SLICE = []


def _column_slice_layer():
    if _COLUMN_SLICE:
        return _COLUMN_SLICE[0]
    keras = _keras()

    @keras.saving.register_keras_serializable(package="sklearn_ser")
    class ColumnSlice(keras.layers.Layer):
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

    _COLUMN_SLICE.append(ColumnSlice)
    return ColumnSlice


def _normalise_view_shapes(view_shapes):
    try:
        shapes = [tuple(int(d) for d in s) for s in view_shapes]
    except TypeError:
        shapes = None
    if not shapes or not all(s and min(s) >= 1 for s in shapes):
        raise ValueError(
            "view_shapes must be a sequence of per-sample shapes, e.g. "
            f"[(9, 40, 40), (50, 64, 64)]. Received: view_shapes={view_shapes!r}"
        )
    return shapes


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
    keras = _keras()
    layers = keras.layers
    _check_branch_params(
        head,
        conv_filters,
        n_conv,
        kernel_size,
        linear_units,
        gru_units,
        lstm_units,
        embed_dim,
        ff_dim,
        num_heads,
        dropout,
    )
    _check_int(fusion_units, "fusion_units")
    shapes = _normalise_view_shapes(view_shapes)
    sizes = [int(np.prod(s)) for s in shapes]
    input_shape = tuple(int(d) for d in input_shape)
    if input_shape != (sum(sizes),):
        raise ValueError(
            f"input_shape must be ({sum(sizes)},), the total size of view_shapes "
            f"{shapes}. Received: input_shape={input_shape}"
        )
    ColumnSlice = _column_slice_layer()
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
            x = _branch(
                x,
                shape[1:],
                prefix,
                head=head,
                conv_filters=conv_filters,
                n_conv=n_conv,
                kernel_size=kernel_size,
                linear_units=linear_units,
                gru_units=gru_units,
                lstm_units=lstm_units,
                embed_dim=embed_dim,
                ff_dim=ff_dim,
                num_heads=num_heads,
                dropout=dropout,
            )
        vectors.append(x)
    x = vectors[0] if len(vectors) == 1 else layers.Concatenate(name="concat")(vectors)
    x = layers.Dense(fusion_units, name="fusion_linear")(x)
    outputs = _classifier_head(x, tuple(dense_units), n_classes, dropout)
    return keras.Model(inputs, outputs, name=f"fusion_{head}")


# --------------------------------------------------------------------------- #
# the multi-view X container
# --------------------------------------------------------------------------- #
class ViewArray(np.ndarray):
    """2-D float array of flattened views that remembers their shapes.

    Row indexing (what cross-validation does) keeps ``view_shapes``; any
    function that returns a plain ``numpy.ndarray`` drops it, in which case
    give :class:`FusionClassifier` its ``view_shapes`` explicitly.

    Parameters
    ----------
    data : array-like of shape (n_samples, n_columns)
    view_shapes : sequence of tuple of int
        Per-sample shape of every view, in column order.
    """

    def __new__(cls, data, view_shapes):
        obj = np.asarray(data).view(cls)
        obj.view_shapes = [tuple(int(d) for d in s) for s in view_shapes]
        return obj

    def __array_finalize__(self, obj):
        self.view_shapes = getattr(obj, "view_shapes", None)

    def __reduce__(self):
        base = super().__reduce__()
        return base[0], base[1], (base[2], self.view_shapes)

    def __setstate__(self, state):
        nd_state, self.view_shapes = state
        super().__setstate__(nd_state)


def flatten_views(views):
    """Put several views side by side in one 2-D array (a :class:`ViewArray`).

    Parameters
    ----------
    views : tuple, list or dict of array-like
        Each of shape ``(n_samples, ...)``, same ``n_samples``. A dict is
        taken in its insertion order.

    Returns
    -------
    X : ViewArray of shape (n_samples, n_columns), float32
        ``X.view_shapes`` holds each view's per-sample shape.
    """
    if isinstance(views, dict):
        views = list(views.values())
    arrays = [np.asarray(v, dtype=np.float32) for v in views]
    if not arrays or any(a.ndim < 2 for a in arrays):
        raise ValueError(
            "views must be arrays of shape (n_samples, ...) with at least 2 "
            f"dimensions. Received: shapes {[a.shape for a in arrays]}"
        )
    n = {a.shape[0] for a in arrays}
    if len(n) != 1:
        raise ValueError(
            "every view must have the same number of samples. "
            f"Received: shapes {[a.shape for a in arrays]}"
        )
    flat = np.concatenate([a.reshape(a.shape[0], -1) for a in arrays], axis=1)
    return ViewArray(flat, [a.shape[1:] for a in arrays])


class ViewStack(FeatureUnion):
    """Apply several feature pipelines and stack their outputs as views.

    Like :class:`sklearn.pipeline.FeatureUnion`, every transformer sees the
    same input ``X``; unlike it, outputs may have any number of dimensions
    (e.g. a ``(n, 9, 40, 40)`` window stack next to ``(n, 80)`` statistics):
    each is flattened and the columns are put side by side in a
    :class:`ViewArray` that records the per-sample shapes, which
    :class:`FusionClassifier` reads. This keeps ``X`` one 2-D array, so
    ``cross_val_score`` and ``GridSearchCV`` can index it by rows.

    Parameters
    ----------
    transformer_list : list of estimators or (str, estimator) tuples
        The view pipelines; bare estimators are named like
        :func:`sklearn.pipeline.make_pipeline` names them.
    n_jobs : int or None, default=None
        Parallel jobs over transformers.
    transformer_weights : dict or None, default=None
        Multiplies each view's output, as in ``FeatureUnion``.
    verbose : bool, default=False

    Attributes
    ----------
    view_shapes_ : list of tuple of int
        Per-sample output shape of every view, set by ``fit``/``transform``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from sklearn_ser.models import ViewStack
    >>> X = np.zeros((4, 6), dtype="float32")
    >>> vs = ViewStack([("a", FunctionTransformer(lambda X: X.reshape(-1, 2, 3))),
    ...                 ("b", FunctionTransformer(lambda X: X[:, :2]))])
    >>> Xt = vs.fit_transform(X)
    >>> Xt.shape, Xt.view_shapes
    ((4, 8), [(2, 3), (2,)])
    """

    def __init__(
        self, transformer_list, *, n_jobs=None, transformer_weights=None, verbose=False
    ):
        super().__init__(
            _name_steps(transformer_list),
            n_jobs=n_jobs,
            transformer_weights=transformer_weights,
            verbose=verbose,
        )

    def set_params(self, **params):
        if "transformer_list" in params:
            params["transformer_list"] = _name_steps(params["transformer_list"])
        return super().set_params(**params)

    def fit(self, X, y=None, **params):
        """Fit every view pipeline (and record the view shapes).

        Returns
        -------
        self : ViewStack
        """
        self.fit_transform(X, y, **params)
        return self

    def _hstack(self, Xs):
        stacked = flatten_views(Xs)
        self.view_shapes_ = stacked.view_shapes
        return stacked

    def get_feature_names_out(self, input_features=None):
        """``<view name>__<flat index>`` for every output column.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "view_shapes_")
        names = []
        for (name, _), shape in zip(self.transformer_list, self.view_shapes_):
            names.extend(f"{name}__{j}" for j in range(int(np.prod(shape))))
        return np.asarray(names, dtype=object)


# --------------------------------------------------------------------------- #
# classifiers
# --------------------------------------------------------------------------- #
from ._base import BaseSERClassifier  # noqa: E402

__all__ += ["SequenceCNN", "FusionClassifier"]


class SequenceCNN(BaseSERClassifier):
    """S1's CNN + sequence head on one modality, see :func:`build_sequence_cnn`.

    ``X`` is ``(n_samples, T, height, width)`` (e.g. S1's ``(n, 9, 40, 40)``
    MFCC windows from :class:`sklearn_ser.features.SlidingWindows`),
    ``(n_samples, T, height, width, channels)`` or ``(n_samples, T,
    n_features)``. S1 trains with Adam at 1e-4, batch 16, 15 epochs with
    early stopping (give ``early_stopping_patience`` and a
    ``validation_split`` to enable it; S1 does not state the patience).

    Parameters
    ----------
    head, conv_filters, n_conv, kernel_size, linear_units, gru_units, \
lstm_units, embed_dim, ff_dim, num_heads, dense_units, dropout
        Architecture, see :func:`build_sequence_cnn` (S1 defaults).
    learning_rate : float, default=1e-4
    epochs : int, default=15
    batch_size : int, default=16
    **common
        Parameters of :class:`~sklearn_ser.models.BaseSERClassifier`.

    Examples
    --------
    >>> from sklearn_ser.models import SequenceCNN
    >>> SequenceCNN(head="transformer").get_params()["num_heads"]
    4
    """

    _builder = staticmethod(build_sequence_cnn)
    _hyper_parameters = (
        "head",
        "conv_filters",
        "n_conv",
        "kernel_size",
        "linear_units",
        "gru_units",
        "lstm_units",
        "embed_dim",
        "ff_dim",
        "num_heads",
        "dense_units",
        "dropout",
    )

    def __init__(
        self,
        *,
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
        dense_units=(128, 64),
        dropout=0.0,
        learning_rate=1e-4,
        epochs=15,
        batch_size=16,
        **common,
    ):
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
        self.dense_units = dense_units
        self.dropout = dropout
        super().__init__(
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=batch_size,
            **common,
        )


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
    _hyper_parameters = (
        "head",
        "conv_filters",
        "n_conv",
        "kernel_size",
        "linear_units",
        "gru_units",
        "lstm_units",
        "embed_dim",
        "ff_dim",
        "num_heads",
        "fusion_units",
        "dense_units",
        "dropout",
    )

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
        vd = self.validation_data
        if vd is not None and isinstance(vd, (tuple, list)) and len(vd) == 2:
            X_val, _ = self._flatten(vd[0], self.view_shapes_)
            self.validation_data = (X_val, vd[1])
            try:
                return super().fit(X, y, sample_weight=sample_weight, **kwargs)
            finally:
                self.validation_data = vd
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def _predict_input(self, X):
        from sklearn.utils.validation import check_is_fitted

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
