"""Training helpers every network shares: callbacks, validation split, layer transfer.

:func:`paper_callbacks` gives the Keras callbacks of a paper's protocol;
:func:`transfer_weights` copies same-named, same-shaped layers between models
(the ``init_from=`` parameter of :class:`~sklearn_ser.models.BaseSERClassifier`);
:func:`_split_validation` picks the rows that ``validation_split`` holds out.
"""

from pathlib import Path

import keras
import numpy as np
from sklearn.model_selection import train_test_split

__all__ = ["paper_callbacks", "transfer_weights"]

_PAPER_CALLBACKS = {
    # S2 (EmotionUnet): halve the LR after 2 epochs without val-loss
    # improvement, stop after 6 and restore the best weights.
    "emotionunet": {
        "reduce_lr_patience": 2,
        "reduce_lr_factor": 0.5,
        "early_stopping_patience": 6,
    },
}


def paper_callbacks(system="emotionunet"):
    """Fresh Keras callbacks used by a paper's training protocol.

    Parameters
    ----------
    system : {"emotionunet"}, default="emotionunet"
        ``"emotionunet"`` (S2): ``ReduceLROnPlateau(monitor="val_loss",
        factor=0.5, patience=2)`` and ``EarlyStopping(monitor="val_loss",
        patience=6, restore_best_weights=True)``.

    Returns
    -------
    callbacks : list of keras.callbacks.Callback
        To be passed as ``callbacks=``; they monitor ``val_loss``, so give the
        classifier a ``validation_split`` or ``validation_data``. The same is
        obtained with the constructor flags ``reduce_lr_patience=2,
        early_stopping_patience=6``.
    """
    if system not in _PAPER_CALLBACKS:
        raise ValueError(
            f"Unknown system; expected one of {sorted(_PAPER_CALLBACKS)}. "
            f"Received: system={system!r}"
        )
    cfg = _PAPER_CALLBACKS[system]
    return _make_callbacks(**cfg)


def _make_callbacks(
    reduce_lr_patience=None, reduce_lr_factor=0.5, early_stopping_patience=None
):
    callbacks = []
    if reduce_lr_patience is not None:
        callbacks.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss",
                factor=reduce_lr_factor,
                patience=int(reduce_lr_patience),
            )
        )
    if early_stopping_patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss",
                patience=int(early_stopping_patience),
                restore_best_weights=True,
            )
        )
    return callbacks


def _split_validation(n_samples, fraction, *, labels=None, random_state=None):
    """Row indices ``(train, validation)`` that hold out ``fraction`` of the rows.

    A seeded random split, stratified by ``labels`` when given (scikit-learn's
    ``train_test_split``), instead of Keras' ``validation_split``, which holds
    out the *last* rows: on a corpus sorted by class or speaker that is one
    class. Both index arrays are sorted, so the training rows keep their
    order.

    Parameters
    ----------
    n_samples : int
    fraction : float in (0, 1)
        The ``validation_split`` parameter.
    labels : array-like of shape (n_samples,) or None
        Class of every row (stratification); ``None``: a plain shuffled split.
    random_state : int, RandomState or None
        Seed of the split.

    Returns
    -------
    train, validation : ndarray of int
    """
    try:
        train, val = train_test_split(
            np.arange(n_samples),
            test_size=fraction,
            stratify=labels,
            random_state=random_state,
        )
    except ValueError as exc:
        n_classes = "" if labels is None else f" of {len(np.unique(labels))} classes"
        raise ValueError(
            f"validation_split cannot hold out a validation set"
            f"{' stratified by class' if labels is not None else ''} from "
            f"{n_samples} samples{n_classes} ({exc}). Use a larger "
            f"validation_split, more data, or validation_data. "
            f"Received: validation_split={fraction!r}"
        ) from None
    return np.sort(train), np.sort(val)


def _hold_out(X, y, sample_weight, fraction, random_state):
    """Encoded ``X``, ``y``, ``sample_weight`` less a stratified held-out part.

    Returns the training rows and ``validation_data`` for ``keras.Model.fit``
    (with the held-out sample weights, when given); ``y`` holds class indices
    or one-hot rows. See :func:`_split_validation`.
    """
    y = np.asarray(y)
    labels = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.ravel()
    train, val = _split_validation(
        len(y), fraction, labels=labels, random_state=random_state
    )
    X = np.asarray(X)
    validation = (X[val], y[val])
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight)
        validation += (sample_weight[val],)
        sample_weight = sample_weight[train]
    return X[train], y[train], sample_weight, validation


def _source_model(init_from):
    """The Keras model to copy weights from (fitted classifier, model or path)."""
    if isinstance(init_from, keras.Model):
        return init_from
    if isinstance(init_from, (str, Path)):
        if not Path(init_from).is_file():
            raise ValueError(
                "init_from names no saved model file. "
                f"Received: init_from={str(init_from)!r}"
            )
        return keras.saving.load_model(init_from, compile=False)
    model = getattr(init_from, "model_", None)
    if isinstance(model, keras.Model):
        return model
    raise ValueError(
        "init_from must be a fitted classifier (with a model_ attribute), a "
        "keras.Model or the path of a saved .keras model. "
        f"Received: init_from={init_from!r}"
    )


def transfer_weights(source, target):
    """Copy the weights of same-named, same-shaped layers from one model to another.

    Parameters
    ----------
    source, target : keras.Model
        Models to copy from and into (``target`` is modified in place).

    Returns
    -------
    copied : list of str
        Names of the layers of ``target`` whose weights were copied. Layers
        without weights, missing from ``source`` or whose weight shapes differ
        (e.g. an output layer with another class count) are left as they are.
    """
    src_layers = {layer.name: layer for layer in source.layers}
    copied = []
    for layer in target.layers:
        src = src_layers.get(layer.name)
        if src is None or not layer.weights:
            continue
        src_w = src.get_weights()
        tgt_w = layer.get_weights()
        if len(src_w) != len(tgt_w) or any(
            a.shape != b.shape for a, b in zip(src_w, tgt_w)
        ):
            continue
        layer.set_weights(src_w)
        copied.append(layer.name)
    return copied
