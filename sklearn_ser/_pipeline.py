"""A scikit-learn Pipeline that also accepts bare estimators."""

from sklearn import pipeline as _skpipeline
from sklearn.pipeline import _name_estimators

__all__ = ["Pipeline", "make_pipeline"]


def _is_named_step(step):
    return isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], str)


def _name_steps(steps):
    """Turn a mix of bare estimators and ``(name, estimator)`` pairs into pairs.

    Bare estimators are named as :func:`sklearn.pipeline.make_pipeline` names
    them (lower-case class name, ``-1``, ``-2`` suffixes on clashes); explicit
    names are kept and taken into account when numbering clashes.
    """
    if isinstance(steps, list) and all(_is_named_step(s) for s in steps):
        return steps  # stored as given, which clone() requires
    steps = list(steps)
    if all(_is_named_step(s) for s in steps):
        return steps
    bare = [s for s in steps if not _is_named_step(s)]
    generated = iter(_name_estimators(bare))
    taken = {s[0] for s in steps if _is_named_step(s)}
    named = []
    for step in steps:
        if _is_named_step(step):
            named.append(step)
            continue
        name, est = next(generated)
        base, k = name, 1
        while name in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name)
        named.append((name, est))
    return named


class Pipeline(_skpipeline.Pipeline):
    """scikit-learn :class:`~sklearn.pipeline.Pipeline` accepting bare estimators.

    ``Pipeline([MFCC(), FrameStats(), SVC()])`` is the same as
    ``make_pipeline(MFCC(), FrameStats(), SVC())``: steps are named after
    their classes in lower case (``mfcc``, ``framestats``, ``svc``), so grid
    search parameters read ``svc__C``. ``(name, estimator)`` pairs work as in
    scikit-learn and may be mixed with bare estimators.

    ``steps`` is stored as the list of ``(name, estimator)`` pairs, so
    :func:`~sklearn.base.clone`, ``get_params``/``set_params`` and pickling
    behave exactly as for scikit-learn's own Pipeline.

    Parameters
    ----------
    steps : list of estimators or (str, estimator) tuples
    memory : str, joblib.Memory or None, default=None
        Caches fitted transformers, as in scikit-learn.
    transform_input : list of str or None, default=None
    verbose : bool, default=False

    Examples
    --------
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.svm import SVC
    >>> from sklearn_ser import Pipeline
    >>> Pipeline([StandardScaler(), SVC()]).steps[1][0]
    'svc'
    """

    def __init__(self, steps, *, transform_input=None, memory=None, verbose=False):
        super().__init__(
            _name_steps(steps),
            transform_input=transform_input,
            memory=memory,
            verbose=verbose,
        )

    def set_params(self, **params):
        if "steps" in params:
            params["steps"] = _name_steps(params["steps"])
        return super().set_params(**params)


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False):
    """Build a :class:`Pipeline` from estimators, naming them automatically.

    Returns :class:`sklearn_ser.Pipeline` (a scikit-learn Pipeline subclass).
    """
    return Pipeline(
        list(steps), memory=memory, transform_input=transform_input, verbose=verbose
    )
