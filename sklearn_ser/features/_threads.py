"""Threads that change speed, never results.

The feature numerics are float32 matrix products (Mel filter bank, DCT,
chroma) and FFTs over chunks of frames. Two things would make their bits
depend on the number of workers, and both are ruled out here:

- the *decomposition*: every chunk size (files per task, frames per chunk)
  is a function of the batch alone, never of ``n_jobs``, so a threaded run
  performs exactly the serial run's operations, only on several threads;
- *BLAS threads*: a multi-threaded BLAS splits a product's rows between its
  threads, and its kernels round a row differently depending on where it
  falls in a block. All feature computations therefore run with BLAS on one
  thread (:func:`single_threaded_blas`); the parallelism is ours, over
  chunks, through :mod:`joblib` threads.
"""

import threading
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

__all__ = ["single_threaded_blas"]

_LOCK = threading.Lock()
_STATE = {"depth": 0, "limiter": None, "controller": None}


@contextmanager
def single_threaded_blas():
    """Run the block with BLAS on one thread (reentrant and thread-safe).

    The first entry limits BLAS, the last exit restores it, so nested or
    concurrent uses (a transformer calling a pure function, joblib threads)
    never switch BLAS back to several threads while a computation runs.
    Entering costs microseconds (the thread pools are inspected once).
    """
    with _LOCK:
        if _STATE["depth"] == 0:
            if _STATE["controller"] is None:
                _STATE["controller"] = ThreadpoolController()
            _STATE["limiter"] = _STATE["controller"].limit(
                limits=1, user_api="blas"
            )
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                _STATE["limiter"].restore_original_limits()
                _STATE["limiter"] = None
