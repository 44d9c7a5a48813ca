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

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, make_constraint

__all__ = ["check_params", "check_declared_params", "check_each", "to_builtin"]

#: Constraints that many parameters share.
POSITIVE_INT = Interval(Integral, 1, None, closed="left")
NON_NEGATIVE_INT = Interval(Integral, 0, None, closed="left")
POSITIVE_REAL = Interval(Real, 0, None, closed="neither")
UNIT_INTERVAL_RIGHT_OPEN = Interval(Real, 0, 1, closed="left")  # dropout, split


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
        if not any(_satisfies(c, value) for c in made):
            raise ValueError(
                f"{name} must be {_describe(made)}. Received: {name}={value!r}"
            )


def check_each(name, values, constraint):
    """Check every element of ``values`` (one per layer, say) against ``constraint``.

    The message names the element: ``"units[1] must be an int in the range
    [1, inf). Received: units[1]=0"``.
    """
    for i, value in enumerate(values):
        key = f"{name}[{i}]"
        check_params({key: value}, {key: [constraint]})


def check_declared_params(estimator):
    """Check an estimator's parameters against its ``_parameter_constraints``.

    Call it at the start of ``fit`` (scikit-learn's convention: ``__init__``
    only stores its arguments).
    """
    constraints = type(estimator)._parameter_constraints
    check_params({name: getattr(estimator, name) for name in constraints}, constraints)


def _satisfies(constraint, value):
    # A bool is an Integral to Python, never a count or a rate to us.
    if isinstance(value, (bool, np.bool_)) and isinstance(constraint, Interval):
        return False
    return constraint.is_satisfied_by(value)


def to_builtin(value):
    """A NumPy scalar as the equivalent Python scalar (for JSON); others as is."""
    return value.item() if isinstance(value, np.generic) else value
