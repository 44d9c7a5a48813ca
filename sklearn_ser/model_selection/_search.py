"""Hyper-parameter search over whole pipelines with speaker-aware CV."""

from sklearn.pipeline import Pipeline as _SkPipeline

from ._protocols import get_protocol

__all__ = ["bayes_search", "prefix_search_space"]


def prefix_search_space(estimator, search_space, step=None):
    """Prefix a network's search space with its Pipeline step name.

    ``{"filters_1": Integer(16, 256)}`` becomes
    ``{"emotionunet__filters_1": Integer(16, 256)}`` when ``estimator`` is a
    Pipeline whose last step is named ``emotionunet`` (or ``step``). Keys that
    already are parameters of ``estimator`` are kept as they are.

    Raises
    ------
    ValueError
        A key is a parameter of neither the estimator nor the step.
    """
    params = estimator.get_params(deep=True)
    if step is None and isinstance(estimator, _SkPipeline):
        step = estimator.steps[-1][0]
    out = {}
    for key, dim in dict(search_space).items():
        if key in params:
            out[key] = dim
        elif step is not None and f"{step}__{key}" in params:
            out[f"{step}__{key}"] = dim
        else:
            raise ValueError(
                f"{key!r} is not a parameter of the estimator"
                + (f" nor of its step {step!r}" if step else "")
                + f". Received: search_space keys {sorted(search_space)}"
            )
    return out


def bayes_search(
    estimator,
    search_space,
    *,
    cv="speaker-kfold",
    n_iter=50,
    scoring="accuracy",
    n_jobs=None,
    n_points=1,
    refit=True,
    random_state=0,
    verbose=0,
    step=None,
    **kwargs,
):
    """skopt ``BayesSearchCV`` configured as S2's optimisation.

    Gaussian-process surrogate with expected improvement
    (``optimizer_kwargs={"base_estimator": "GP", "acq_func": "EI"}``) and
    ``n_iter=50`` calls, as S2's ``gp_minimize(acq_func="EI", n_calls=50)``.
    Call ``.fit(X, y, groups=speakers)``: the groups reach the inner CV, so a
    speaker-independent ``cv`` keeps every speaker on one side of each inner
    split.

    Parameters
    ----------
    estimator : estimator or Pipeline
        Feature and network parameters can be searched together
        (``"stft__n_fft"`` next to ``"emotionunet__filters_1"``).
    search_space : dict of str -> skopt dimension
        E.g. :data:`sklearn_ser.models.EMOTIONUNET_SEARCH_SPACE`; keys naming a
        parameter of the Pipeline's last step are prefixed automatically
        (:func:`prefix_search_space`).
    cv : str, Protocol, int or splitter, default="speaker-kfold"
        A protocol name is resolved with
        :func:`~sklearn_ser.model_selection.get_protocol`.
    n_iter : int, default=50
    scoring : str or callable, default="accuracy"
    n_jobs, n_points, refit, verbose : see ``skopt.BayesSearchCV``
    random_state : int or None, default=0
    step : str or None
        Step name to prefix with (default: the Pipeline's last step).
    **kwargs
        Passed to ``BayesSearchCV``.

    Returns
    -------
    skopt.BayesSearchCV (unfitted)
    """
    from skopt import BayesSearchCV

    if isinstance(cv, str):
        cv = get_protocol(cv, random_state=random_state)
    optimizer_kwargs = {"base_estimator": "GP", "acq_func": "EI"}
    optimizer_kwargs.update(kwargs.pop("optimizer_kwargs", {}) or {})
    return BayesSearchCV(
        estimator,
        prefix_search_space(estimator, search_space, step),
        n_iter=n_iter,
        cv=cv,
        scoring=scoring,
        n_jobs=n_jobs,
        n_points=n_points,
        refit=refit,
        random_state=random_state,
        verbose=verbose,
        optimizer_kwargs=optimizer_kwargs,
        **kwargs,
    )
