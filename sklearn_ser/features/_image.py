"""Spectrograms as fixed-size RGB images (S0's CNN input), built in memory.

Layout
------
An image is ``(height, width, 3)`` (channels last, as Keras expects); a
batch is ``(n_samples, height, width, 3)``. Rows are frequency with the
*highest* frequency in row 0 (the picture a spectrogram plot shows:
low frequencies at the bottom), columns are time, left to right.

S0 plotted each file's dB spectrogram, saved it as an image file and read
it back resized to 227 x 227 x 3 (AlexNet) or 224 x 224 x 3 (ResNet50,
SqueezeNet, MobileNet). Here the same picture is computed directly: dB
spectrogram -> resize (matrix products with precomputed interpolation
matrices) -> per-image min-max scaling -> grey replicated to three
channels or a colour map. No file round trip, no matplotlib needed.
"""

import os
import struct
import zlib
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseAudioTransformer
from ._framing import Framing
from ._frontend import mel_basis, mel_head, spectral_frames, stft_head

__all__ = ["SpectrogramImage", "colormap_lut", "resize_matrix"]

_KINDS = ("stft", "mel")
_INTERPOLATIONS = ("auto", "bilinear", "area")
_DTYPES = ("uint8", "float32")
# A picture whose dB values span less than this is constant (silence); float32
# rounding in the resize would otherwise be stretched to the full 0-255 range.
_MIN_SPAN_DB = 1e-3


# ------------------------------------------------------------ resizing
def resize_matrix(*, n_in, n_out, method="auto"):
    """Matrix ``M`` of shape ``(n_out, n_in)`` that resizes an axis: ``y = M @ x``.

    ``"bilinear"``: linear interpolation at the output pixel centres
    (half-pixel convention, ``src = (i + 0.5) * n_in / n_out - 0.5``,
    clamped at the edges), as OpenCV's ``INTER_LINEAR`` and
    ``scipy.ndimage.zoom(..., grid_mode=True, mode="nearest", order=1)``.
    ``"area"``: each output pixel is the mean of the input it covers
    (fractional overlaps weighted), an anti-aliased reduction like OpenCV's
    ``INTER_AREA``. ``"auto"`` picks ``"area"`` when shrinking and
    ``"bilinear"`` when enlarging. Every row sums to 1.
    """
    n_in, n_out = int(n_in), int(n_out)
    if n_in < 1 or n_out < 1:
        raise ValueError(
            f"Sizes must be positive. Received: n_in={n_in}, n_out={n_out}"
        )
    if method not in _INTERPOLATIONS:
        raise ValueError(
            f"method must be one of {_INTERPOLATIONS}. Received: method={method!r}"
        )
    if method == "auto":
        method = "area" if n_out < n_in else "bilinear"
    M = np.zeros((n_out, n_in), dtype=np.float64)
    rows = np.arange(n_out)
    if method == "bilinear":
        src = np.clip((rows + 0.5) * (n_in / n_out) - 0.5, 0.0, n_in - 1)
        i0 = np.floor(src).astype(np.int64)
        i1 = np.minimum(i0 + 1, n_in - 1)
        w = src - i0
        np.add.at(M, (rows, i0), 1.0 - w)
        np.add.at(M, (rows, i1), w)
        return M
    scale = n_in / n_out
    lo = rows * scale
    hi = lo + scale
    k = np.arange(n_in)
    overlap = np.minimum(hi[:, None], k[None, :] + 1.0) - np.maximum(
        lo[:, None], k[None, :]
    )
    M = np.maximum(overlap, 0.0)
    return M / M.sum(axis=1, keepdims=True)


# ------------------------------------------------------------ colour maps
def _jet(x):
    # MATLAB's jet, piecewise linear (the classic analytic definition)
    r = np.clip(1.5 - np.abs(4.0 * x - 3.0), 0.0, 1.0)
    g = np.clip(1.5 - np.abs(4.0 * x - 2.0), 0.0, 1.0)
    b = np.clip(1.5 - np.abs(4.0 * x - 1.0), 0.0, 1.0)
    return np.stack([r, g, b], axis=-1)


def colormap_lut(colormap=None):
    """256 x 3 lookup table (float64 in [0, 1]) for a colour map name.

    ``None`` or ``"gray"``/``"grey"``: the grey level on all three channels.
    ``"jet"``: built in (no dependency). Any other name is looked up in
    matplotlib (``matplotlib.colormaps[name]``, e.g. ``"viridis"``,
    ``"magma"``), which must then be installed (the ``plot`` extra).
    """
    x = np.linspace(0.0, 1.0, 256)
    if colormap in (None, "gray", "grey"):
        return np.repeat(x[:, None], 3, axis=1)
    if colormap == "jet":
        return _jet(x)
    if not isinstance(colormap, str):
        raise ValueError(
            f"colormap must be None, 'gray', 'jet' or a matplotlib colormap name. "
            f"Received: colormap={colormap!r}"
        )
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            f"colormap={colormap!r} needs matplotlib (pip install sklearn-ser[plot]); "
            "colormap=None (grey) and 'jet' work without it"
        ) from exc
    try:
        cmap = matplotlib.colormaps[colormap]
    except KeyError as exc:
        raise ValueError(
            f"Unknown matplotlib colormap. Received: colormap={colormap!r}"
        ) from exc
    return np.asarray(cmap(x))[:, :3]


# ------------------------------------------------------------ PNG output
def _png_chunk(tag, data):
    body = tag + data
    return (
        struct.pack(">I", len(data))
        + body
        + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    )


def _write_png(path, image):
    """Write an 8-bit grey ``(H, W)`` or RGB ``(H, W, 3)`` image as a PNG file.

    Private: ``SpectrogramImage(save_dir=...)`` writes its pictures with it
    so that saving needs no imaging library. It is the smallest valid PNG
    (zlib, filter type 0); to write images yourself use
    ``matplotlib.pyplot.imsave`` or Pillow. Float images in [0, 1] are
    scaled to 0-255.

    Returns
    -------
    path : str
    """
    img = np.asarray(image)
    if img.dtype != np.uint8:
        img = np.clip(np.rint(img.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)
    if img.ndim == 2:
        color_type, channels = 0, 1
    elif img.ndim == 3 and img.shape[2] == 3:
        color_type, channels = 2, 3
    else:
        raise ValueError(
            f"image must be (H, W) or (H, W, 3). Received: shape={img.shape}"
        )
    h, w = img.shape[:2]
    raw = np.zeros((h, 1 + w * channels), dtype=np.uint8)  # filter byte 0 per row
    raw[:, 1:] = img.reshape(h, w * channels)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + _png_chunk(b"IEND", b"")
    )
    path = os.fspath(path)
    with open(path, "wb") as f:
        f.write(data)
    return path


# ------------------------------------------------------------ numerics
def _db_spectrograms(waves, *, kind, sr, n_fft, hop_length, n_mels, top_db):
    """List of time-major dB spectrograms (per-signal ``top_db`` floor)."""
    framing = Framing(n_fft=n_fft, hop_length=hop_length)
    if kind == "mel":
        fb = mel_basis(framing, sr=sr, n_mels=n_mels)
        head = mel_head(fb, db=True, top_db=top_db)
    else:
        head = stft_head(db=True, top_db=top_db)
    return spectral_frames(waves, framing, head)


def _gather_form(M):
    """``(idx, w)`` of shape ``(n_out, K)`` with ``M @ x == (x[idx] * w).sum(1)``.

    Resize matrices have at most a few non-zeros per row (2 for bilinear,
    ``ceil(n_in / n_out) + 1`` for area), so gathering those inputs is far
    cheaper than a dense matrix product and needs no BLAS threads.
    """
    nz = M != 0
    K = max(int(nz.sum(axis=1).max()), 1)
    idx = np.zeros((M.shape[0], K), dtype=np.intp)
    w = np.zeros((M.shape[0], K), dtype=np.float32)
    for r in range(M.shape[0]):
        cols = np.flatnonzero(nz[r])
        idx[r, : cols.size] = cols
        w[r, : cols.size] = M[r, cols]
    return idx, w


def _apply(idx, w, x, axis):
    """Resize ``x`` along ``axis`` (0 or 1) with the gather form of a resize matrix."""
    out = None
    for k in range(idx.shape[1]):
        if axis == 1:
            term = x[:, idx[:, k]] * w[:, k]
        else:
            term = x[idx[:, k]] * w[:, k, None]
        out = term if out is None else out.__iadd__(term)
    return out


def _images(db_list, *, size, interpolation, lut, dtype, out):
    """Resize, normalise and colour a list of dB spectrograms into ``out``."""
    height, width = size
    n_bins = db_list[0].shape[1]
    # frequency axis: bins -> rows, highest frequency first
    f_idx, f_w = _gather_form(
        resize_matrix(n_in=n_bins, n_out=height, method=interpolation)[::-1]
    )
    cache = {}
    for i, db in enumerate(db_list):
        n = db.shape[0]
        if n not in cache:
            cache[n] = _gather_form(
                resize_matrix(n_in=n, n_out=width, method=interpolation)
            )
        rows = _apply(f_idx, f_w, db, axis=1)  # (n_frames, height)
        img = _apply(*cache[n], rows, axis=0).T  # (height, width)
        lo, hi = float(img.min()), float(img.max())
        span = hi - lo
        if span > _MIN_SPAN_DB:
            img = (img - lo) * (1.0 / span)
        else:  # a constant picture (silence): all zero, not amplified rounding
            img = np.zeros_like(img)
        np.clip(img, 0.0, 1.0, out=img)
        idx = np.rint(img * 255.0).astype(np.uint8)
        if lut is None:  # grey
            if dtype == "uint8":
                out[i] = idx[..., None]
            else:
                out[i] = img[..., None]
        else:
            out[i] = lut[idx]


def _lut_for(colormap, dtype):
    if colormap in (None, "gray", "grey"):
        return None
    lut = colormap_lut(colormap)
    if dtype == "uint8":
        return np.rint(lut * 255.0).astype(np.uint8)
    return lut.astype(np.float32)


class SpectrogramImage(BaseAudioTransformer):
    """Spectrogram pictures ``(n_samples, height, width, 3)`` for CNNs (S0).

    Each clip's dB spectrogram (``10 log10`` of the power STFT or of a Slaney
    mel spectrogram, floored at ``max - top_db``) is resized to ``size``
    (sparse interpolation weights gathered per axis: anti-aliased
    ``"area"`` averaging along axes that shrink, bilinear along axes that
    grow), min-max normalised per image (a picture spanning less than
    0.001 dB, i.e. silence, becomes all zeros), and either replicated to three grey
    channels or mapped through a colour map. Rows are frequency (highest in
    row 0), columns time. Images are built in memory; ``save_dir`` also
    writes one PNG per clip.

    Memory: ``transform`` preallocates the output array and fills it
    ``batch_size`` clips at a time, decoding only those files, so the peak
    is the output (``n * height * width * 3`` bytes for uint8) plus one
    batch of spectrograms; ``benchmarks/image_memory.py`` measures it.

    Parameters
    ----------
    kind : {"stft", "mel"}, default="stft"
        Linear-frequency STFT (S0) or mel spectrogram.
    size : (int, int), default=(224, 224)
        ``(height, width)``. S0: 227 x 227 for AlexNet, 224 x 224 otherwise.
    colormap : None, "gray", "jet" or a matplotlib name, default=None
        ``None``/``"gray"`` replicate the grey image to 3 channels; ``"jet"``
        is built in; other names need matplotlib.
    dtype : {"uint8", "float32"}, default="uint8"
        ``uint8`` in 0..255, or ``float32`` in [0, 1] (4x the memory).
    interpolation : {"auto", "bilinear", "area"}, default="auto"
    top_db : float or None, default=80.0
        Dynamic range kept below each clip's peak.
    sr : int, default=22050
        librosa's default rate, which S0 loaded its files at.
    n_fft : int, default=2048
    hop_length : int, default=512
    n_mels : int, default=128
        ``kind="mel"`` only.
    save_dir : str, path or None, default=None
        Also write ``{index:05d}_{file stem}.png`` (``{index:05d}.png`` for
        waveforms) per clip into this folder (created if missing).
    batch_size : int, default=64
        Clips decoded and transformed at once.
    n_jobs : int or None, default=None
        Threads for decoding files.
    memory : None, str or joblib.Memory, default=None
        Caches each batch's images.
    verbose : int, default=0

    Attributes
    ----------
    n_features_in_ : int
        1 (one column of audio).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_ser.features import SpectrogramImage
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.standard_normal(22050).astype(np.float32)]
    >>> img = SpectrogramImage(size=(227, 227)).fit_transform(X)
    >>> img.shape, img.dtype, int(img.min()), int(img.max())
    ((1, 227, 227, 3), dtype('uint8'), 0, 255)
    """

    def __init__(
        self,
        *,
        kind="stft",
        size=(224, 224),
        colormap=None,
        dtype="uint8",
        interpolation="auto",
        top_db=80.0,
        sr=22050,
        n_fft=2048,
        hop_length=512,
        n_mels=128,
        save_dir=None,
        batch_size=64,
        n_jobs=None,
        memory=None,
        verbose=0,
    ):
        self.kind = kind
        self.size = size
        self.colormap = colormap
        self.dtype = dtype
        self.interpolation = interpolation
        self.top_db = top_db
        self.sr = sr
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.n_mels = n_mels
        self.save_dir = save_dir
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.memory = memory
        self.verbose = verbose

    _parameter_constraints: dict = {
        **BaseAudioTransformer._parameter_constraints,
        "kind": [StrOptions(set(_KINDS))],
        "size": [tuple, list],
        "colormap": [str, None],
        "dtype": [StrOptions(set(_DTYPES))],
        "interpolation": [StrOptions(set(_INTERPOLATIONS))],
        "top_db": [Interval(Real, 0, None, closed="neither"), None],
        "n_fft": [Interval(Integral, 1, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "save_dir": [str, os.PathLike, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
    }

    def _check_params(self):
        size = self.size
        if len(size) != 2 or any(
            isinstance(s, bool) or not isinstance(s, Integral) or s < 1 for s in size
        ):
            raise ValueError(
                f"size must be (height, width), two positive integers. "
                f"Received: size={size!r}"
            )
        if self.colormap not in (None, "gray", "grey", "jet"):
            colormap_lut(self.colormap)  # raises with a clear message

    # the per-batch computation (cached by BaseAudioTransformer._compute)
    def _transform_waveforms(self, waves):
        db = _db_spectrograms(
            waves,
            kind=self.kind,
            sr=self.sr,
            n_fft=self.n_fft,
            hop_length=self.hop_length,
            n_mels=self.n_mels,
            top_db=self.top_db,
        )
        out = np.empty((len(waves), *self.size, 3), dtype=self.dtype)
        _images(
            db,
            size=tuple(self.size),
            interpolation=self.interpolation,
            lut=_lut_for(self.colormap, self.dtype),
            dtype=self.dtype,
            out=out,
        )
        return out

    def transform(self, X):
        """Images of every clip in ``X`` (paths and/or waveforms).

        Returns
        -------
        images : ndarray of shape (n_samples, height, width, 3)
            ``uint8`` in 0..255 or ``float32`` in [0, 1].
        """
        self._check_transform_ready()
        if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind in "fiu":
            items = X
        elif isinstance(X, (str, bytes, os.PathLike)):
            items = X  # as_waveforms raises its "wrap it in a list" error
            return self._compute(items)
        else:
            items = list(X)
        n = len(items)
        out = np.empty((n, *self.size, 3), dtype=self.dtype)
        if self.save_dir is not None:
            os.makedirs(self.save_dir, exist_ok=True)
        for lo in range(0, n, self.batch_size):
            batch = items[lo : lo + self.batch_size]
            out[lo : lo + len(batch)] = self._compute(batch)
            if self.save_dir is not None:
                for j, item in enumerate(batch):
                    i = lo + j
                    if isinstance(item, (str, os.PathLike)):
                        stem = os.path.splitext(os.path.basename(os.fspath(item)))[0]
                        name = f"{i:05d}_{stem}.png"
                    else:
                        name = f"{i:05d}.png"
                    _write_png(os.path.join(self.save_dir, name), out[i])
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
