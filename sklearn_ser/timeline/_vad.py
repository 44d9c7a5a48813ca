"""A streaming energy voice-activity detector."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["EnergyVAD"]


class EnergyVAD:
    """Speech / non-speech decisions on 10 ms frames, computed as audio arrives.

    Criterion
    ---------
    1. Each frame of ``frame_length = round(sr / 100)`` samples gets its
       energy ``e = 10 log10(mean(x**2) + 1e-12)`` (dB re full scale) and a
       50 ms trailing average ``a`` of ``e`` (5 frames).
    2. The noise floor is the minimum of ``a`` over the trailing
       ``floor_window`` seconds (minimum statistics, so it follows slow
       changes of the background and needs no look-ahead).
    3. A frame is *loud* when ``a > max(floor + margin_db, min_db)``: at
       least ``margin_db`` above the recent background and above an absolute
       ``min_db`` (so that digital silence with faint noise is never speech).
    4. Runs of loud frames shorter than ``min_speech`` seconds are dropped
       and quiet gaps shorter than ``min_pause`` seconds inside speech are
       filled, so decisions come ``max(min_speech, min_pause)`` seconds after
       the audio (the detector's latency).

    Parameters
    ----------
    sr : int
    margin_db : float, default=12.0
    min_db : float, default=-70.0
    floor_window : float, default=3.0
    min_speech : float, default=0.15
    min_pause : float, default=0.3
    """

    def __init__(
        self,
        sr,
        *,
        margin_db=12.0,
        min_db=-70.0,
        floor_window=3.0,
        min_speech=0.15,
        min_pause=0.3,
    ):
        self.sr = int(sr)
        self.frame_length = max(1, int(round(self.sr / 100)))
        fps = self.sr / self.frame_length
        self.margin_db = float(margin_db)
        self.min_db = float(min_db)
        self._n_floor = max(1, int(round(floor_window * fps)))
        self._n_avg = 5
        self._min_speech = max(1, int(round(min_speech * fps)))
        self._min_pause = max(1, int(round(min_pause * fps)))
        self._rest = np.zeros(0, dtype=np.float32)
        self._e_hist = np.full(self._n_avg - 1, -120.0)
        self._a_hist = np.full(self._n_floor - 1, np.inf)
        self._speech = False
        self._pending = 0  # frames of the current undecided run

    @property
    def delay_frames(self):
        """Frames by which decisions lag the audio, at most."""
        return max(self._min_speech, self._min_pause)

    def push(self, y):
        """Feed samples; returns the frames decided so far (bool array)."""
        y = np.concatenate([self._rest, np.asarray(y, dtype=np.float32)])
        n = y.shape[0] // self.frame_length
        self._rest = y[n * self.frame_length :]
        if n == 0:
            return np.zeros(0, dtype=bool)
        frames = y[: n * self.frame_length].reshape(n, self.frame_length)
        power = np.einsum("ij,ij->i", frames, frames) / frames.shape[1]
        e = 10.0 * np.log10(power + 1e-12)
        e_all = np.concatenate([self._e_hist, e])
        a = sliding_window_view(e_all, self._n_avg).mean(axis=1)
        self._e_hist = e_all[-(self._n_avg - 1) :] if self._n_avg > 1 else e_all[:0]
        a_all = np.concatenate([self._a_hist, a])
        floor = sliding_window_view(a_all, self._n_floor).min(axis=1)
        self._a_hist = a_all[-(self._n_floor - 1) :] if self._n_floor > 1 else a_all[:0]
        loud = a > np.maximum(floor + self.margin_db, self.min_db)
        return self._decide(loud)

    def flush(self):
        """Decide the frames still pending (end of the audio)."""
        # a loud run too short to be speech, or the quiet tail after speech
        out = np.full(self._pending, False)
        self._pending = 0
        self._speech = False
        if self._rest.size:
            self._rest = np.zeros(0, dtype=np.float32)
        return out

    def _decide(self, loud):
        out = []
        pending = self._pending
        speech = self._speech
        need_on, need_off = self._min_speech, self._min_pause
        # runs of equal values, processed run by run
        change = np.flatnonzero(np.diff(loud.astype(np.int8))) + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [loud.shape[0]]])
        for s, e in zip(starts, ends):
            length = int(e - s)
            value = bool(loud[s])
            if value == speech:  # the pending opposite run was too short
                out.append((speech, pending + length))
                pending = 0
                continue
            # a run of the opposite kind: may flip the state
            if pending + length >= (need_on if value else need_off):
                out.append((value, pending + length))
                pending = 0
                speech = value
            else:
                pending += length
        self._pending, self._speech = pending, speech
        if not out:
            return np.zeros(0, dtype=bool)
        return np.concatenate([np.full(n, v) for v, n in out])
