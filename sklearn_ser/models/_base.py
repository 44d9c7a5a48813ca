"""The base classifier every network of the toolkit derives from.

:class:`BaseSERClassifier` is a scikeras :class:`~scikeras.wrappers.KerasClassifier`
that fixes what scikeras 0.13 gets wrong on scikit-learn >= 1.6 (it is not
recognised as a classifier) and adds what the papers' protocols need: a
learning rate parameter, the paper callbacks (ReduceLROnPlateau,
EarlyStopping) as plain constructor flags, explicit validation data,
repeatable CPU training through ``random_state``, and layer transfer from
another fitted network (``init_from=``, ``freeze=``).
"""

import inspect
import warnings
from numbers import Real

import keras
import numpy as np
import scipy.sparse as sp
from scikeras.wrappers import KerasClassifier
from sklearn.base import _clone_parametrized
from sklearn.exceptions import DataConversionWarning
from sklearn.utils import ClassifierTags
from sklearn.utils._param_validation import Interval

from ..utils._validation import (
    NON_NEGATIVE_INT,
    POSITIVE_INT,
    POSITIVE_REAL,
    UNIT_INTERVAL_RIGHT_OPEN,
    check_declared_params,
)
from ._saving import _drop_optimizer
from ._training import _hold_out, _make_callbacks, _source_model, transfer_weights

__all__ = ["BaseSERClassifier"]


def _shared_keywords(builder, init):
    """Names of ``builder``'s keyword-only arguments that ``init`` also takes."""
    init_params = inspect.signature(init).parameters
    return tuple(
        name
        for name, p in inspect.signature(builder).parameters.items()
        if p.kind is p.KEYWORD_ONLY and name in init_params
    )


class BaseSERClassifier(KerasClassifier):
    """scikeras ``KerasClassifier`` that scikit-learn recognises as a classifier.

    Every network of the toolkit subclasses it. The contract for subclasses:

    - a class attribute ``_builder``: a plain function
      ``build_x(input_shape, n_classes, **hyper_parameters) -> keras.Model``
      returning an *uncompiled* model (usable without scikit-learn);
    - an explicit ``__init__(self, *, <hyper-parameters with paper defaults>,
      learning_rate=..., epochs=..., batch_size=..., **common)`` that stores
      each hyper-parameter as an attribute of the same name and passes
      ``learning_rate``, ``epochs``, ``batch_size`` and ``**common`` (any of
      the parameters below) to ``super().__init__``.

    The builder's keyword-only arguments that are also constructor
    parameters are the hyper-parameters passed to it at ``fit`` (the class
    attribute ``_hyper_parameters``, derived when the subclass is defined; a
    subclass may set it explicitly).

    ``get_params`` then lists the hyper-parameters and all common parameters,
    so ``clone``, ``GridSearchCV`` and skopt's ``BayesSearchCV`` can search
    e.g. ``emotionunet__filters_1`` inside a Pipeline. At ``fit`` the model is
    built with ``input_shape = X.shape[1:]`` and ``n_classes`` taken from the
    data, then compiled with ``optimizer`` (Adam by default) at
    ``learning_rate``, ``loss`` (sparse categorical cross-entropy by default,
    i.e. categorical cross-entropy on integer-encoded labels) and accuracy.

    Subclasses with other input conventions (several inputs, ...) may override
    ``_input_shape(meta)`` and ``_builder_kwargs()``.

    Parameters
    ----------
    learning_rate : float, default=1e-3
        Learning rate given to ``optimizer`` when it is a name or a class
        (ignored for an optimizer instance or with ``optimizer__learning_rate``).
    epochs : int, default=10
        Training epochs.
    batch_size : int or None, default=32
        Mini-batch size (``None``: Keras' default, 32).
    optimizer : str, keras optimizer class or instance, default="adam"
        Optimizer; routed parameters (``optimizer__beta_1=...``) are accepted.
    loss : str, keras loss or None, default=None
        ``None`` means ``"sparse_categorical_crossentropy"``;
        ``"categorical_crossentropy"`` one-hot encodes the labels instead.
    metrics : list or None, default=None
        Keras metrics; ``None`` means ``["accuracy"]``.
    random_state : int, numpy RandomState or None, default=None
        Seeds Python, NumPy, TensorFlow and Keras' global seed generator for
        the model construction and for training, and enables TensorFlow op
        determinism during ``fit``: on CPU the same seed gives the same
        weights and predictions. ``None`` leaves the global state alone.
    verbose : int, default=0
        Keras verbosity (1: progress bar, 2: one line per epoch), also for
        ``predict``.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Extra callbacks for ``fit`` (see :func:`paper_callbacks`).
    validation_split : float in [0, 1), default=0.0
        Fraction of the training data held out to compute ``val_*`` metrics
        (what ``reduce_lr_patience``, ``early_stopping_patience`` and
        ``val_loss``-monitoring callbacks watch). The held-out rows are a
        random split stratified by class (scikit-learn's
        ``train_test_split(stratify=y)``), seeded by ``random_state``, so
        every class is in it in its training proportion; Keras'
        ``validation_split`` would hold out the *last* rows, a single class
        on data sorted by class or speaker. Their sample weights (and
        ``class_weight``) weight ``val_loss``. Too small a fraction for one
        row per class raises a ``ValueError``.
    validation_data : tuple (X_val, y_val) or None, default=None
        Explicit validation data, in this classifier's input space (the
        output of the preceding Pipeline steps) with labels like ``y``.
        Takes precedence over ``validation_split``.
    validation_batch_size : int or None, default=None
        Batch size for validation.
    shuffle : bool, default=True
        Shuffle the training data every epoch.
    class_weight : dict, "balanced" or None, default=None
        Class weights, applied as sample weights.
    reduce_lr_patience : int or None, default=None
        Add ``ReduceLROnPlateau(monitor="val_loss", factor=reduce_lr_factor,
        patience=reduce_lr_patience)``; ``None`` disables it. S2 uses 2.
    reduce_lr_factor : float, default=0.5
        Factor of the learning-rate reduction.
    early_stopping_patience : int or None, default=None
        Add ``EarlyStopping(monitor="val_loss", patience=...,
        restore_best_weights=True)``; ``None`` disables it. S2 uses 6.
    init_from : fitted classifier, keras.Model, path or None, default=None
        Transfer learning (S3): before training, copy the weights of every
        layer whose name and weight shapes match a layer of this model (see
        :func:`transfer_weights`). Kept by reference through ``clone``.
    freeze : bool or list of str, default=False
        ``True`` freezes every transferred layer, a list freezes the named
        layers; frozen layers are not trained.
    warm_start : bool, default=False
        Continue training the existing model on the next ``fit``.
    run_eagerly : bool, default=False
        Run Keras eagerly (debugging).
    **kwargs
        scikeras routed parameters (``optimizer__...``, ``fit__...``,
        ``predict__...``, ``model__...`` which override builder arguments).

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list
        Per-epoch training history (``loss``, ``accuracy``, ``val_loss``, ...).
    n_epochs_ : int
        Number of epochs actually run by the last ``fit`` (early stopping).
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the column order of ``predict_proba``.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        ``X.shape[1]``.
    X_shape_ : tuple
        Shape of the training X.
    transferred_layers_ : list of str
        Layers initialised from ``init_from`` (empty without it).
    """

    _builder = None
    _hyper_parameters = ()
    # Checked at ``fit`` (architecture hyper-parameters are checked by the
    # builder, which is usable on its own).
    _parameter_constraints = {
        "learning_rate": [POSITIVE_REAL, None],
        "epochs": [POSITIVE_INT],
        "validation_split": [UNIT_INTERVAL_RIGHT_OPEN],
        "reduce_lr_patience": [NON_NEGATIVE_INT, None],
        "reduce_lr_factor": [Interval(Real, 0, 1, closed="neither")],
        "early_stopping_patience": [NON_NEGATIVE_INT, None],
    }

    def __init__(
        self,
        *,
        learning_rate=1e-3,
        epochs=10,
        batch_size=32,
        optimizer="adam",
        loss=None,
        metrics=None,
        random_state=None,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        validation_batch_size=None,
        shuffle=True,
        class_weight=None,
        reduce_lr_patience=None,
        reduce_lr_factor=0.5,
        early_stopping_patience=None,
        init_from=None,
        freeze=False,
        warm_start=False,
        run_eagerly=False,
        **kwargs,
    ):
        self.learning_rate = learning_rate
        self.validation_data = validation_data
        self.reduce_lr_patience = reduce_lr_patience
        self.reduce_lr_factor = reduce_lr_factor
        self.early_stopping_patience = early_stopping_patience
        self.init_from = init_from
        self.freeze = freeze
        super().__init__(
            warm_start=warm_start,
            random_state=random_state,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            batch_size=batch_size,
            validation_batch_size=validation_batch_size,
            verbose=verbose,
            callbacks=callbacks,
            validation_split=validation_split,
            shuffle=shuffle,
            run_eagerly=run_eagerly,
            epochs=epochs,
            class_weight=class_weight,
            **kwargs,
        )
        # scikeras' ``model``/``build_fn`` parameters make no sense here: the
        # architecture is the class. Removing them keeps get_params/clone clean.
        del self.model
        del self.build_fn

    # ------------------------------------------------------------------ tags
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = True  # densified in _validate_data
        tags.non_deterministic = self.random_state is None
        return tags

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_hyper_parameters" not in vars(cls) and cls._builder is not None:
            cls._hyper_parameters = _shared_keywords(cls._builder, cls.__init__)

    def __sklearn_clone__(self):
        # ``init_from`` holds a *fitted* model whose weights are the point;
        # cloning it (scikit-learn clones estimator parameters) would drop
        # them, so the clone shares it by reference (it is only read). The
        # other parameters are cloned as usual, from a shallow stand-in whose
        # ``init_from`` is None, so this estimator's parameters never change.
        stand_in = object.__new__(type(self))
        stand_in.__dict__.update(self.__dict__)
        stand_in.init_from = None
        new = _clone_parametrized(stand_in)
        new.init_from = self.init_from
        return new

    # ------------------------------------------------------------- building
    def _check_model_param(self):
        return self._keras_build_fn

    def _input_shape(self, meta):
        """Input shape of one sample (without the batch axis)."""
        return tuple(int(d) for d in meta["X_shape_"][1:])

    def _builder_kwargs(self):
        """Keyword arguments for ``_builder`` besides input shape and class count."""
        return {name: getattr(self, name) for name in self._hyper_parameters}

    def _keras_build_fn(self, meta, compile_kwargs, params=None, **overrides):
        builder = type(self)._builder
        if builder is None:
            raise TypeError(
                f"{type(self).__name__} must set the class attribute _builder. "
                "Received: _builder=None"
            )
        if self._random_state is not None:
            keras.utils.set_random_seed(int(self._random_state))
        kwargs = self._builder_kwargs()
        kwargs.update(overrides)
        model = builder(
            input_shape=self._input_shape(meta),
            n_classes=int(meta["n_classes_"]),
            **kwargs,
        )
        self.transferred_layers_ = []
        if self.init_from is not None:
            source = _source_model(self.init_from)
            self.transferred_layers_ = transfer_weights(source, model)
        self._apply_freeze(model)
        model.compile(**compile_kwargs)
        return model

    def _apply_freeze(self, model):
        freeze = self.freeze
        if freeze is False or freeze is None:
            return
        if freeze is True:
            names = list(self.transferred_layers_)
            if self.init_from is None:
                raise ValueError(
                    "freeze=True freezes the layers transferred from init_from, "
                    "but init_from is None. Received: freeze=True"
                )
        elif isinstance(freeze, str):
            names = [freeze]
        else:
            names = list(freeze)
        layer_names = {layer.name for layer in model.layers}
        missing = [n for n in names if n not in layer_names]
        if missing:
            raise ValueError(
                f"freeze names layers that the model does not have: {missing}; "
                f"layers are {sorted(layer_names)}. Received: freeze={freeze!r}"
            )
        for name in names:
            model.get_layer(name).trainable = False

    def _get_compile_kwargs(self):
        kw = super()._get_compile_kwargs()
        if kw.get("loss") is None:
            kw["loss"] = "sparse_categorical_crossentropy"
        if kw.get("metrics") is None:
            kw["metrics"] = ["accuracy"]
        routed_lr = any(k == "optimizer__learning_rate" for k in vars(self))
        if (
            self.learning_rate is not None
            and isinstance(self.optimizer, (str, type))
            and not routed_lr
        ):
            opt = kw["optimizer"]
            cfg = opt.get_config()
            cfg["learning_rate"] = float(self.learning_rate)
            kw["optimizer"] = type(opt).from_config(cfg)
        return kw

    # -------------------------------------------------------------- fitting
    def _validate_params(self):
        check_declared_params(self)
        vd = self.validation_data
        if vd is not None and not (isinstance(vd, (tuple, list)) and len(vd) == 2):
            raise ValueError(
                "validation_data must be a pair (X_val, y_val). "
                f"Received: validation_data of type {type(vd).__name__}"
            )
        monitored = (
            self.reduce_lr_patience is not None
            or self.early_stopping_patience is not None
        )
        if monitored and vd is None and not self.validation_split:
            raise ValueError(
                "reduce_lr_patience / early_stopping_patience monitor val_loss: "
                "set validation_split > 0 or validation_data. Received: "
                f"validation_split={self.validation_split!r}, validation_data=None"
            )

    def _initialize_callbacks(self):
        super()._initialize_callbacks()
        self._fit_callbacks = list(self._fit_callbacks) + _make_callbacks(
            reduce_lr_patience=self.reduce_lr_patience,
            reduce_lr_factor=self.reduce_lr_factor,
            early_stopping_patience=self.early_stopping_patience,
        )

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build the network for ``X``'s shape and ``y``'s classes and train it.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            2-D, 3-D or 4-D float features (e.g. the output of a feature
            transformer).
        y : array-like of shape (n_samples,)
            Labels (strings or integers).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights (multiplied by ``class_weight``).
        **kwargs
            Extra arguments for ``keras.Model.fit``.

        Returns
        -------
        self : BaseSERClassifier
        """
        self._validate_params()
        y_arr = np.asarray(y)
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected; "
                "it is raveled.",
                DataConversionWarning,
                stacklevel=2,
            )
            y = y_arr.ravel()
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float).copy()
        super().fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        if X is not None:
            if sp.issparse(X):
                # Any sparse format (matrix or array, 32- or 64-bit indices) is
                # densified: Keras layers take dense tensors, and audio
                # features are dense anyway.
                X = X.toarray()
            # Array-likes that are not ndarrays (ndarray subclasses such as
            # ViewArray, and tuples/dicts of views, are kept as they are).
            if not isinstance(X, (np.ndarray, list, tuple, dict)) and hasattr(
                X, "__array__"
            ):
                X = np.asarray(X)
        n_in = getattr(self, "n_features_in_", None)
        if not reset and X is not None and n_in is not None:
            shape = getattr(X, "shape", None)
            shape = np.shape(X) if shape is None else shape
            if len(shape) > 1 and shape[1] != n_in:
                raise ValueError(
                    f"X has {shape[1]} features, but {type(self).__name__} is "
                    f"expecting {n_in} features as input (fitted on X of shape "
                    f"{tuple(self.X_shape_)})."
                )
        return super()._validate_data(X, y, reset=reset, y_numeric=y_numeric)

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        self._initialize_callbacks()
        if self.validation_data is not None and "validation_data" not in kwargs:
            X_val, y_val = self.validation_data
            X_val, y_val = self._validate_data(self._validation_input(X_val), y_val)
            kwargs["validation_data"] = (
                self.feature_encoder_.transform(X_val),
                self.target_encoder_.transform(y_val),
            )
        elif self.validation_split and "validation_data" not in kwargs:
            # held out here (stratified, seeded), not by Keras (the last rows)
            X, y, sample_weight, kwargs["validation_data"] = _hold_out(
                X, y, sample_weight, self.validation_split, self._random_state
            )
            kwargs["validation_split"] = 0.0
        if self._random_state is not None:
            keras.utils.set_random_seed(int(self._random_state))
        super()._fit_keras_model(
            X,
            y,
            sample_weight=sample_weight,
            warm_start=warm_start,
            epochs=epochs,
            initial_epoch=initial_epoch,
            **kwargs,
        )
        self.history_ = {k: list(v) for k, v in self.history_.items()}
        self.n_epochs_ = len(next(iter(self.history_.values()), []))

    def _validation_input(self, X_val):
        """``validation_data``'s X in the form ``fit`` trains on (a hook)."""
        return X_val

    # ----------------------------------------------------------- predicting
    def predict_proba(self, X, **kwargs):
        """Class probabilities, shape ``(n_samples, n_classes_)``.

        Columns follow ``classes_``.
        """
        proba = super().predict_proba(X, **kwargs)
        return np.asarray(proba).reshape(-1, self.n_classes_)

    def __getstate__(self):
        state = dict(super().__getstate__())
        # Training callbacks hold the model and training-time state; fit
        # rebuilds them, so they are not pickled.
        state.pop("_fit_callbacks", None)
        return _drop_optimizer(state)
