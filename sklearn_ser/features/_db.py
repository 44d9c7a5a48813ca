"""Log scales of power spectra: decibels with a per-signal ``top_db`` floor, psf's ln.

The one place where power becomes dB: ``10 log10(max(x, amin))``, floored at
each signal's maximum minus ``top_db`` (librosa's ``power_to_db`` with the
floor taken per signal, so a signal's features never depend on its batch).
"""

import numpy as np

__all__ = ["power_to_db"]

_EPS64 = np.finfo(np.float64).eps  # psf replaces zero energies by this


def _to_db(mag, amin=1e-10):
    """``10 log10(max(x, amin))`` in place (the frame-wise part of the dB scale)."""
    np.maximum(mag, mag.dtype.type(amin), out=mag)
    np.log10(mag, out=mag)
    mag *= 10.0
    return mag


def _floor_stacked(x, n_frames, top_db):
    """Floor the stacked dB frames at each signal's maximum minus ``top_db``."""
    offsets = np.concatenate([[0], np.cumsum(n_frames)[:-1]])
    sig_max = np.maximum.reduceat(x.max(axis=1), offsets)
    floor = np.repeat(sig_max - top_db, n_frames).astype(x.dtype)
    np.maximum(x, floor[:, None], out=x)
    return x


def _floor_padded(out, n_frames, floors):
    """Floor the frames of each signal (not its zero padding) at ``floors[i]``."""
    for i, n in enumerate(np.minimum(n_frames, out.shape[1]).tolist()):
        np.maximum(out[i, :n], floors[i], out=out[i, :n])


def _log(x, n_frames, *, convention, top_db):
    if convention == "psf":
        x = np.where(x == 0, x.dtype.type(_EPS64), x)
        return np.log(x)
    out = _to_db(np.array(x))  # a copy: x may be a view of the Mel + energy block
    if top_db is not None:
        # per-signal floor: max over that signal's frames minus top_db
        _floor_stacked(out, n_frames, top_db)
    return out


def power_to_db(*, S, ref=1.0, amin=1e-10, top_db=80.0):
    """``10 log10(max(S, amin) / ref)``, floored at ``max - top_db``.

    Like ``librosa.power_to_db`` with a scalar ``ref``, except that for a
    batch ``(n_signals, n_frames, n_bins)`` the ``top_db`` floor is taken
    per signal (over its last two axes), so a signal's features never
    depend on the rest of its batch. Always finite, also for silence.
    """
    if amin <= 0:
        raise ValueError(f"amin must be > 0. Received: amin={amin}")
    S = np.asarray(S)
    out = np.array(S, dtype=np.result_type(S.dtype, np.float32))
    out = _to_db(out, amin)
    out -= 10.0 * np.log10(max(float(ref), amin))
    if top_db is not None:
        if top_db < 0:
            raise ValueError(f"top_db must be >= 0. Received: top_db={top_db}")
        axes = tuple(range(max(out.ndim - 2, 0), out.ndim))
        floor = out.max(axis=axes, keepdims=True) - top_db
        np.maximum(out, floor, out=out)
    return out
