"""The small checks shared by the feature numerics (one place per concern)."""

import numpy as np

__all__ = ["CONVENTIONS"]

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
