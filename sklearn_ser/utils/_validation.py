"""Small helpers shared across subpackages: parameter checks and JSON values.

:func:`check_params` validates values against scikit-learn's declarative
constraints (the ``_parameter_constraints`` vocabulary of scikit-learn >= 1.6:
``Interval(Integral, 1, None, closed="left")``, ``StrOptions({...})``, types,
``None``, ``"boolean"`` ...) and raises a ``ValueError`` whose message ends
with ``Received: name=value``, the error style of this package and of Keras.
It serves both estimators (a ``_parameter_constraints`` class attribute
beside ``__init__``, checked in ``fit``) and pure builder functions (a
module-level constraint dict checked on entry).
"""

import numpy as np
from sklearn.utils._param_validation import make_constraint

__all__ = ["check_params", "to_builtin"]


def _describe(constraints):
    texts = [str(c) for c in constraints if not getattr(c, "hidden", False)]
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " or " + texts[-1]


def check_params(params, constraints):
    """Check ``params`` (name -> value) against ``constraints``.

    Parameters
    ----------
    params : dict
        Values to check; names without an entry in ``constraints`` (or whose
        entry is ``"no_validation"``) are not checked.
    constraints : dict of str to list
        scikit-learn constraints per name, as in ``_parameter_constraints``.

    Raises
    ------
    ValueError
        For the first value that satisfies none of its constraints, with a
        message like ``"epochs must be an int in the range [1, inf).
        Received: epochs=0"``.
    """
    for name, value in params.items():
        spec = constraints.get(name)
        if spec is None or spec == "no_validation":
            continue
        made = [make_constraint(c) for c in spec]
        if not any(c.is_satisfied_by(value) for c in made):
            raise ValueError(
                f"{name} must be {_describe(made)}. Received: {name}={value!r}"
            )


def to_builtin(value):
    """A NumPy scalar as the equivalent Python scalar (for JSON); others as is."""
    return value.item() if isinstance(value, np.generic) else value
