"""The small checks shared by the feature numerics (one place per concern)."""

import re

import numpy as np
from sklearn.utils._param_validation import (
    InvalidParameterError,
    validate_parameter_constraints,
)

__all__ = ["CONVENTIONS", "check_params"]

#: Numerical conventions offered where the reference libraries differ
#: (see :mod:`sklearn_ser.features._spectral`).
CONVENTIONS = ("librosa", "psf")


def _check_convention(convention, name="convention"):
    if convention not in CONVENTIONS:
        raise ValueError(
            f"{name} must be one of {CONVENTIONS}. Received: {name}={convention!r}"
        )


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name} must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def _readonly(a):
    a.flags.writeable = False
    return a


def check_params(est):
    """Check ``est``'s parameters against its ``_parameter_constraints``.

    The constraints are declared the scikit-learn (>= 1.6) way, beside
    ``__init__`` (``Interval(Integral, 1, None, closed="left")``,
    ``StrOptions({...})``, ``None``, ...); the error is scikit-learn's
    ``InvalidParameterError`` (a ``ValueError``) and ends in
    ``Received: name=value``, as every error of the package does.
    Cross-parameter rules stay in the estimator's ``_check_params``.
    """
    params = est.get_params(deep=False)
    for name, constraints in est._parameter_constraints.items():
        if name not in params:
            continue
        try:
            validate_parameter_constraints(
                {name: constraints}, {name: params[name]}, type(est).__name__
            )
        except InvalidParameterError as exc:
            msg = re.sub(r" Got .* instead\.$", "", str(exc), flags=re.S)
            raise InvalidParameterError(
                f"{msg} Received: {name}={params[name]!r}"
            ) from None
