"""openSMILE functionals (eGeMAPS, ComParE) as a scikit-learn transformer.

The numerics are openSMILE's own (the ``opensmile`` package, whose wheel
ships the SMILExtract library); this module only adapts it to the toolkit's
data contract. ``opensmile`` is imported when features are first computed,
never by ``import sklearn_ser``.
"""

import sys

import numpy as np
from joblib import Parallel, delayed

from ..utils import progress
from ._base import BaseAudioTransformer

__all__ = ["OPENSMILE_FEATURE_SETS", "OpenSmileFunctionals", "opensmile_functionals"]

#: Feature sets offered (openSMILE's names) and their number of functionals.
OPENSMILE_FEATURE_SETS = {
    "eGeMAPSv02": 88,
    "GeMAPSv01b": 62,
    "ComParE_2016": 6373,
}

# Files per task: fixed, so n_jobs changes speed, never results.
_CHUNK = 16


def _import_opensmile():
    try:
        import opensmile
    except ImportError as exc:  # pragma: no cover - opensmile is a dependency
        raise ImportError(
            "OpenSmileFunctionals needs the 'opensmile' package: "
            "pip install 'sklearn-ser[opensmile]' (or pip install opensmile)"
        ) from exc
    return opensmile


def _smile(feature_set):
    opensmile = _import_opensmile()
    return opensmile.Smile(
        feature_set=getattr(opensmile.FeatureSet, feature_set),
        feature_level=opensmile.FeatureLevel.Functionals,
    )


def _check_feature_set(feature_set):
    if feature_set not in OPENSMILE_FEATURE_SETS:
        raise ValueError(
            f"feature_set must be one of {sorted(OPENSMILE_FEATURE_SETS)}. "
            f"Received: feature_set={feature_set!r}"
        )


def _chunk_functionals(waves, sr, feature_set):
    smile = _smile(feature_set)
    out = np.empty((len(waves), OPENSMILE_FEATURE_SETS[feature_set]), np.float32)
    for i, y in enumerate(waves):
        out[i] = smile.process_signal(y, sr).to_numpy()[0]
    return out


def opensmile_functionals(
    *, waves, sr, feature_set="eGeMAPSv02", n_jobs=None, verbose=0
):
    """openSMILE functionals of each waveform.

    Parameters
    ----------
    waves : list of 1-D ndarray of float32
        Signals at rate ``sr``.
    sr : int
    feature_set : {'eGeMAPSv02', 'GeMAPSv01b', 'ComParE_2016'}
    n_jobs : int or None
        Threads (openSMILE runs outside the GIL); chunks of a fixed number of
        signals, so results do not depend on it.
    verbose : int, default=0
        ``> 0`` draws a progress bar over the chunks of signals.

    Returns
    -------
    ndarray of shape (n_signals, n_functionals), float32
    """
    _check_feature_set(feature_set)
    chunks = [waves[i : i + _CHUNK] for i in range(0, len(waves), _CHUNK)]
    if _needs_worker_process():
        # joblib's own reusable process pool (the one Parallel(backend="loky")
        # uses): loky's bare get_reusable_executor would create that shared
        # pool without joblib's temporary-folder manager, and the next
        # Parallel(n_jobs>1) in the process then fails with AttributeError.
        from joblib.executor import get_memmapping_executor

        workers = max(1, n_jobs if n_jobs and n_jobs > 0 else 1)
        executor = get_memmapping_executor(workers)
        parts = executor.map(
            _chunk_functionals,
            chunks,
            [sr] * len(chunks),
            [feature_set] * len(chunks),
        )
    else:
        parts = Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")(
            delayed(_chunk_functionals)(c, sr, feature_set) for c in chunks
        )
    desc = f"openSMILE {feature_set} ({len(waves)} signals, chunks of {_CHUNK})"
    parts = list(progress(parts, total=len(chunks), desc=desc, verbose=verbose))
    return np.concatenate(parts, axis=0)


def _needs_worker_process():
    """Whether openSMILE must run in a fresh worker process.

    openSMILE's native library aborts (``malloc(): invalid size``) when it is
    first loaded into a process that has already imported TensorFlow; loading
    it first is fine. So when TensorFlow is loaded and openSMILE is not, the
    chunks run in loky worker processes (fresh interpreters) instead of
    threads. The results are the same.
    """
    if "tensorflow" not in sys.modules:
        return False
    if "opensmile" not in sys.modules:
        return True
    loaded = list(sys.modules)  # in import order
    return loaded.index("tensorflow") < loaded.index("opensmile")


class OpenSmileFunctionals(BaseAudioTransformer):
    """Utterance-level openSMILE functionals: eGeMAPS (88) or ComParE (6373).

    The standard hand-crafted features of paralinguistics: the extended
    Geneva Minimalistic Acoustic Parameter Set (Eyben et al., 2016) and the
    Interspeech 2013-2016 ComParE set (Schuller et al.), computed by the
    ``opensmile`` package exactly as its ``Smile.process_signal`` does.
    Stateless: ``fit`` only checks the parameters.

    Parameters
    ----------
    feature_set : {'eGeMAPSv02', 'GeMAPSv01b', 'ComParE_2016'}, default='eGeMAPSv02'
    sr : int, default=16000
        Rate that paths are loaded (and resampled) at; waveforms must be at it.
    n_jobs : int or None, default=None
        Threads for decoding and for openSMILE; results do not depend on it.
    memory : None, str, path or joblib.Memory, default=None
        Cache of the features of a batch (keyed by ``X`` as given).
    verbose : int, default=0
        ``> 0``: progress bars while files are decoded and while openSMILE runs.

    Attributes
    ----------
    n_features_in_ : int
        1 (``X`` is one column of audio).

    Examples
    --------
    >>> from sklearn_ser.datasets import load_sample
    >>> X = load_sample().data[:2]
    >>> OpenSmileFunctionals().fit_transform(X).shape
    (2, 88)
    """

    def __init__(
        self,
        *,
        feature_set="eGeMAPSv02",
        sr=16000,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.feature_set = feature_set
        self.sr = sr
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    def _validate_params(self):
        _check_feature_set(self.feature_set)

    def _transform_waveforms(self, waves):
        return opensmile_functionals(
            waves=waves,
            sr=self.sr,
            feature_set=self.feature_set,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
        )

    def get_feature_names_out(self, input_features=None):
        """openSMILE's own names of the functionals (e.g. ``F0semitoneFrom27.5Hz_sma3nz_amean``)."""
        self._validate_params()
        return np.asarray(_smile(self.feature_set).feature_names, dtype=object)
