"""Reading audio in bounded blocks, resampled seamlessly across blocks."""

from math import gcd

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from ..io import AudioLoadError
from ..io._audio import (
    _check_file,
    _clip_out_of_range,
    _open_file,
    _truncated_error,
    _wav_shortfall,
)

__all__ = ["StreamResampler", "iter_audio_blocks"]


class StreamResampler:
    """Polyphase resampling of a signal that arrives in pieces.

    Gives the same samples as :func:`sklearn_ser.io.resample` (scipy's
    ``resample_poly``) applied to the whole signal, up to float rounding,
    whatever the sizes of the pieces: each piece is resampled together with
    enough input context on both sides to cover the filter, cut at input
    positions that are multiples of the decimation factor, and only the
    output that the context fully determines is returned. The last
    ``margin`` input samples wait for the next piece (or :meth:`flush`).

    Parameters
    ----------
    orig_sr, target_sr : int
    """

    def __init__(self, orig_sr, target_sr):
        orig_sr, target_sr = int(orig_sr), int(target_sr)
        if orig_sr <= 0 or target_sr <= 0:
            raise ValueError(
                "Sampling rates must be positive. Received: "
                f"orig_sr={orig_sr}, target_sr={target_sr}"
            )
        g = gcd(orig_sr, target_sr)
        self.up, self.down = target_sr // g, orig_sr // g
        self.identity = self.up == self.down
        # resample_poly's default filter has 10 * max(up, down) taps on each
        # side in the upsampled domain, i.e. that / up input samples
        half = -(-10 * max(self.up, self.down) // self.up) + 1
        self.margin = -(-half // self.down) * self.down
        self._ctx = np.zeros(self.margin, dtype=np.float32)
        self._buf = np.zeros(0, dtype=np.float32)

    def push(self, x):
        """Resample the next piece; returns the output it determines (maybe empty)."""
        x = np.asarray(x, dtype=np.float32)
        if self.identity:
            return x
        m, down = self.margin, self.down
        buf = np.concatenate([self._buf, x])
        n = (buf.shape[0] - m) // down * down
        if n <= 0:
            self._buf = buf
            return np.zeros(0, dtype=np.float32)
        y = self._resample(np.concatenate([self._ctx, buf[: n + m]]))
        a = m * self.up // down
        out = y[a : a + n * self.up // down]
        self._ctx = np.concatenate([self._ctx, buf[:n]])[-m:]
        self._buf = buf[n:]
        return out

    def flush(self):
        """The output of the input still held back (call once, at the end)."""
        if self.identity or self._buf.shape[0] == 0:
            self._buf = np.zeros(0, dtype=np.float32)
            return np.zeros(0, dtype=np.float32)
        y = self._resample(np.concatenate([self._ctx, self._buf]))
        self._buf = np.zeros(0, dtype=np.float32)
        return y[self.margin * self.up // self.down :]

    def _resample(self, seg):
        return resample_poly(seg, self.up, self.down).astype(np.float32, copy=False)


def iter_audio_blocks(path, *, sr, block_frames=1 << 18, clip=True):
    """Yield a file's audio as mono ``float32`` blocks at rate ``sr``.

    The file is read ``block_frames`` frames (at the file's own rate) at a
    time, so memory stays bounded whatever the file's length; channels are
    averaged and blocks are resampled with :class:`StreamResampler`, so the
    blocks joined together equal :func:`sklearn_ser.io.load_audio` of the
    whole file (up to float rounding). Samples beyond [-1, 1] are clipped
    with one :class:`~sklearn_ser.io.OutOfRangeAudioWarning`, as
    :func:`~sklearn_ser.io.load_audio` does.

    Raises
    ------
    AudioLoadError
        Naming the file: it cannot be opened, holds no samples, or cannot be
        decoded past some point (a damaged or truncated file; the blocks
        before the damage have been yielded by then) or holds NaN/inf.
    """
    block_frames = int(block_frames)
    if block_frames < 1:
        raise ValueError(f"block_frames must be >= 1. Received: {block_frames}")
    name = _check_file(path)
    f = _open_file(name)
    with f:
        res = StreamResampler(f.samplerate, sr)
        done = 0
        warned = False
        damage = None
        while True:
            if damage is not None:
                raise _damaged(name, done / f.samplerate, damage)
            try:
                data = f.read(frames=block_frames, dtype="float32", always_2d=True)
            except (sf.LibsndfileError, RuntimeError) as exc:
                # re-read the block in small pieces to keep what precedes the damage
                data, damage = _salvage(f, done, min(block_frames, 4096), exc)
                if data is None:
                    raise _damaged(name, done / f.samplerate, damage) from exc
            if data.shape[0] == 0:
                break
            if not np.isfinite(data).all():
                raise AudioLoadError(
                    f"{name}: NaN or infinite samples after "
                    f"{done / f.samplerate:.2f} s; the file is corrupt",
                    name,
                )
            done += data.shape[0]
            y = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
            y = res.push(np.ascontiguousarray(y, dtype=np.float32))
            if clip:
                warned |= _clip_out_of_range(y, name, warn=not warned, stacklevel=3)
            if y.size:
                yield y
        if done == 0:
            raise AudioLoadError(f"{name}: contains no audio samples", name)
        y = res.flush()
        if clip:
            _clip_out_of_range(y, name, warn=not warned, stacklevel=3)
        if y.size:
            yield y
        short = _wav_shortfall(name)
        if short is not None:  # what the file holds has been yielded
            raise _truncated_error(name, *short)


def _salvage(f, done, piece, exc):
    """Frames from ``done`` up to the damage, read ``piece`` at a time.

    Returns ``(frames or None, the error that stopped reading or None)``.
    """
    try:
        f.seek(done)
    except (sf.LibsndfileError, RuntimeError):
        return None, exc
    parts = []
    err = None
    while True:
        try:
            d = f.read(frames=piece, dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError) as e:
            err = e
            break
        if d.shape[0] == 0:
            break
        parts.append(d)
    if not parts:
        return None, err or exc
    return np.concatenate(parts), (exc if err is not None else None)


def _damaged(name, seconds, exc):
    msg = (getattr(exc, "error_string", None) or str(exc)).strip()
    return AudioLoadError(
        f"{name}: cannot be decoded after {seconds:.2f} s ({msg}); the file is "
        "damaged or truncated",
        name,
    )
