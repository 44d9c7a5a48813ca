"""Speaker ids (``groups``): checking them and asking who consumes them."""

import inspect

import numpy as np
from sklearn import get_config

__all__ = ["check_groups_shape", "consumes_groups", "fit_groups_kw", "groups_kw"]


def check_groups_shape(groups, n_samples):
    """``groups`` as an array of one speaker id per sample, else a ValueError."""
    groups = np.asarray(groups)
    if groups.shape != (n_samples,):
        raise ValueError(
            f"groups must have one speaker id per sample ({n_samples}). "
            f"Received: groups with shape {groups.shape}"
        )
    return groups


def consumes_groups(estimator, method):
    """Whether ``estimator`` requests ``groups`` in ``method``.

    Only with scikit-learn's metadata routing enabled
    (``sklearn.set_config(enable_metadata_routing=True)``), the way a
    :class:`~sklearn_ser.preprocessing.SpeakerNormalizer` asks for speakers.
    """
    if not get_config().get("enable_metadata_routing", False):
        return False
    try:
        routing = estimator.get_metadata_routing()
        return "groups" in routing.consumes(method=method, params={"groups"})
    except (AttributeError, TypeError, ValueError):
        return False


def groups_kw(estimator, method, groups):
    """``{"groups": groups}`` when ``estimator`` requests them in ``method``."""
    if groups is None or not consumes_groups(estimator, method):
        return {}
    return {"groups": groups}


def fit_groups_kw(estimator, groups):
    """``{"groups": groups}`` for ``estimator.fit``, else ``{}``.

    With metadata routing enabled, when ``estimator`` requests them (as
    :func:`groups_kw`). With routing off, when ``estimator.fit`` names a
    ``groups`` parameter itself (e.g.
    :class:`~sklearn_ser.augment.AugmentedClassifier`, whose augmenter and
    vote use the speakers), the way scikit-learn hands ``groups`` to a
    splitter.
    """
    if groups is None:
        return {}
    if get_config().get("enable_metadata_routing", False):
        return groups_kw(estimator, "fit", groups)
    try:
        params = inspect.signature(estimator.fit).parameters
    except (AttributeError, TypeError, ValueError):
        return {}
    return {"groups": groups} if "groups" in params else {}
