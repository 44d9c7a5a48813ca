"""Pickling fitted networks without their optimiser state.

A Keras model pickles with its optimiser's slot variables (Adam keeps two
per weight, so they are two thirds of the file). Prediction needs none of
that. While :func:`sklearn_ser.save_model` writes a file with
``include_optimizer=False`` (its default), the networks' ``__getstate__``
wraps their Keras models in :class:`_InferenceModel`, which pickles a copy
with the same architecture, weights (non-trainable ones included, e.g. batch
normalisation statistics) and compile settings, and a fresh, unbuilt
optimiser. Loading gives an ordinary compiled ``keras.Model`` that predicts
identically; training it further starts the optimiser afresh.
"""

import keras

from .._persistence import _pickles_optimizer

__all__ = []


class _InferenceModel:
    """Pickles as a copy of ``model`` whose optimiser holds no state."""

    def __init__(self, model):
        self.model = model

    def __reduce__(self):
        model = self.model
        copy = keras.models.clone_model(model)
        copy.set_weights(model.get_weights())
        config = model.get_compile_config() if model.compiled else None
        if config is not None:
            copy.compile_from_config(config)
        return copy.__reduce__()


def _drop_optimizer(state, keys=("model_",)):
    """``state`` (a ``__getstate__`` dict) with its models wrapped, when the
    file being written is not to carry the optimiser."""
    if _pickles_optimizer():
        return state
    for key in keys:
        if isinstance(state.get(key), keras.Model):
            state[key] = _InferenceModel(state[key])
    return state
