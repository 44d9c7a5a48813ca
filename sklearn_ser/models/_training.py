"""Training helpers every network shares: the papers' callbacks and layer transfer.

:func:`paper_callbacks` gives the Keras callbacks of a paper's protocol;
:func:`transfer_weights` copies same-named, same-shaped layers between models
(the ``init_from=`` parameter of :class:`~sklearn_ser.models.BaseSERClassifier`).
"""

from pathlib import Path

import keras

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
