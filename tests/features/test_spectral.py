"""The pure numerics of sklearn_ser.features._spectral against references."""

import numpy as np
import pytest
import python_speech_features as psf
import scipy.fft
import scipy.signal

from sklearn_ser.features import (
    dct_matrix,
    delta,
    frame_signal,
    frame_signals,
    get_window,
    lifter_weights,
    mel_filterbank,
    power_to_db,
    preemphasis,
    stft,
)
from sklearn_ser.features._spectral import n_frames_for_length
from sklearn_ser.io import load_audio


@pytest.fixture(scope="module")
def speech(three_files):
    return load_audio(three_files[0], sr=16000)


# ---------------------------------------------------------------- filter banks
@pytest.mark.parametrize("n_fft,n_mels", [(512, 26), (512, 40), (2048, 128)])
def test_psf_filterbank_is_exact(n_fft, n_mels):
    ours = mel_filterbank(
        sr=16000,
        n_fft=n_fft,
        n_mels=n_mels,
        htk=True,
        norm=None,
        style="psf",
        dtype=np.float64,
    )
    ref = psf.get_filterbanks(n_mels, n_fft, 16000)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("htk,norm", [(False, "slaney"), (True, None), (False, None)])
def test_mel_filterbank_matches_librosa(htk, norm):
    librosa = pytest.importorskip("librosa")
    ours = mel_filterbank(
        sr=22050, n_fft=2048, n_mels=128, fmin=20, fmax=8000, htk=htk, norm=norm
    )
    ref = librosa.filters.mel(
        sr=22050, n_fft=2048, n_mels=128, fmin=20, fmax=8000, htk=htk, norm=norm
    )
    assert ours.shape == (128, 1025) and ours.dtype == np.float32
    # librosa builds the bank in float64 and casts: float32 rounding only
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-7 * ref.max())


def test_filterbank_cached_and_read_only():
    a = mel_filterbank(sr=16000, n_fft=512)
    b = mel_filterbank(sr=16000, n_fft=512)
    assert a is b
    with pytest.raises(ValueError):
        a[0, 0] = 1.0


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(fmax=9000), "fmax=9000"),
        (dict(style="kaldi"), "style"),
        (dict(style="psf"), "htk=True, norm=None"),
        (dict(n_mels=0), "n_mels=0"),
    ],
)
def test_filterbank_errors_name_the_value(kw, match):
    with pytest.raises(ValueError, match=match):
        mel_filterbank(sr=16000, n_fft=512, **kw)


def test_dct_matrix_is_scipy_dct():
    x = np.random.default_rng(0).normal(size=(7, 40))
    D = dct_matrix(n_in=40, n_out=13, dtype=np.float64)
    np.testing.assert_allclose(
        x @ D.T, scipy.fft.dct(x, type=2, norm="ortho")[:, :13], atol=1e-12
    )
    with pytest.raises(ValueError, match="n_out=41"):
        dct_matrix(n_in=40, n_out=41)


def test_lifters_follow_each_reference():
    c = np.random.default_rng(1).normal(size=(5, 13))
    np.testing.assert_allclose(
        c * lifter_weights(n=13, lifter=22, style="psf", dtype=np.float64),
        psf.lifter(c.copy(), 22),
        atol=1e-12,
    )
    k = np.arange(1, 14)
    np.testing.assert_allclose(
        lifter_weights(n=13, lifter=22), 1 + 11 * np.sin(np.pi * k / 22), rtol=1e-6
    )
    assert np.all(lifter_weights(n=13, lifter=0) == 1)


def test_windows():
    w = get_window(window="hann", win_length=400, n_fft=512)
    assert w.shape == (512,) and np.all(w[:56] == 0) and np.all(w[456:] == 0)
    np.testing.assert_allclose(
        w[56:456], scipy.signal.get_window("hann", 400), atol=1e-7
    )
    h = get_window(window=np.hamming(400), win_length=400, n_fft=512, center_pad=False)
    np.testing.assert_allclose(h[:400], np.hamming(400), rtol=1e-6)
    assert np.all(h[400:] == 0)
    with pytest.raises(ValueError, match="window"):
        get_window(window="no-such-window", win_length=10)
    with pytest.raises(ValueError, match="length win_length=10"):
        get_window(window=np.ones(9), win_length=10)


# ---------------------------------------------------------------- framing
def test_frame_signal_librosa_centering():
    y = np.arange(1000, dtype=np.float32)
    F = frame_signal(y=y, frame_length=256, hop_length=100)
    assert F.shape == (11, 256)  # 1 + 1000 // 100
    padded = np.pad(y, 128)
    for t in (0, 3, 10):
        np.testing.assert_array_equal(F[t], padded[t * 100 : t * 100 + 256])
    G = frame_signal(y=y, frame_length=256, hop_length=100, center=False)
    assert G.shape == (8, 256)  # 1 + (1000 - 256) // 100
    np.testing.assert_array_equal(G[7], y[700:956])


def test_frame_signal_reflect_padding_matches_np_pad():
    y = np.random.default_rng(0).normal(size=500).astype(np.float32)
    F = frame_signal(y=y, frame_length=128, hop_length=50, pad_mode="reflect")
    padded = np.pad(y, 64, mode="reflect")
    np.testing.assert_array_equal(F[0], padded[:128])
    np.testing.assert_array_equal(F[-1], padded[500:628])


@pytest.mark.parametrize("n", [1, 80, 400, 401, 16000, 16123])
def test_psf_framing_matches_psf(n):
    y = np.random.default_rng(n).normal(size=n)
    F, counts = frame_signals(
        ys=[y], frame_length=400, hop_length=160, convention="psf"
    )
    ref = psf.sigproc.framesig(y, 400, 160)
    assert F.shape == ref.shape and counts[0] == ref.shape[0]
    np.testing.assert_array_equal(F, ref)
    assert (
        n_frames_for_length(
            n_samples=n, frame_length=400, hop_length=160, convention="psf"
        )
        == ref.shape[0]
    )


def test_frame_signals_of_a_ragged_batch_equal_one_by_one():
    rng = np.random.default_rng(0)
    ys = [rng.normal(size=n).astype(np.float32) for n in (50, 1000, 1601, 3000)]
    F, counts = frame_signals(ys=ys, frame_length=400, hop_length=160)
    parts = np.split(F, np.cumsum(counts)[:-1])
    for y, part in zip(ys, parts, strict=True):
        np.testing.assert_array_equal(
            part, frame_signal(y=y, frame_length=400, hop_length=160)
        )
    batch = np.stack([ys[2][:1500], ys[3][:1500]])
    B = frame_signal(y=batch, frame_length=400, hop_length=160)
    assert B.shape == (2, 10, 400)
    np.testing.assert_array_equal(
        B[1], frame_signal(y=batch[1], frame_length=400, hop_length=160)
    )


# ---------------------------------------------------------------- spectra
@pytest.mark.data
@pytest.mark.parametrize(
    "kw",
    [
        dict(n_fft=512, hop_length=160, win_length=400, window="hann"),
        dict(n_fft=2048, hop_length=512, window="hamming"),
        dict(n_fft=512, hop_length=128, window="hann", center=False),
    ],
)
def test_stft_matches_librosa_on_speech(speech, kw):
    """|float32 - librosa| <= 1e-5 of the largest magnitude (float32 FFT rounding)."""
    librosa = pytest.importorskip("librosa")
    ours = stft(y=speech, **kw)
    ref = np.abs(librosa.stft(speech, **kw)).T
    assert ours.shape == ref.shape and ours.dtype == np.float32
    assert np.max(np.abs(ours - ref)) <= 1e-5 * ref.max()
    ours2 = stft(y=speech, power=2.0, **kw)
    assert np.max(np.abs(ours2 - ref**2)) <= 1e-5 * (ref**2).max()


def test_stft_batch_equals_single(rng):
    Y = rng.normal(size=(3, 4000)).astype(np.float32)
    B = stft(y=Y)
    assert B.shape == (3, 26, 257)
    for i in range(3):
        np.testing.assert_array_equal(B[i], stft(y=Y[i]))


def test_stft_of_a_sine_peaks_at_its_bin():
    sr, f = 16000, 1000.0
    y = np.sin(2 * np.pi * f * np.arange(sr) / sr).astype(np.float32)
    S = stft(y=y, n_fft=512, hop_length=160)
    assert np.all(np.argmax(S[5:-5], axis=1) == round(f * 512 / sr))


def test_power_to_db_matches_librosa_and_floors_per_signal():
    librosa = pytest.importorskip("librosa")
    S = np.random.default_rng(0).random((50, 20)) ** 8
    np.testing.assert_allclose(
        power_to_db(S=S), librosa.power_to_db(S, top_db=80), rtol=1e-10
    )
    quiet = S * 1e-6
    batch = power_to_db(S=np.stack([S, quiet]))
    np.testing.assert_allclose(batch[1], power_to_db(S=quiet), rtol=1e-10)
    zeros = power_to_db(S=np.zeros((4, 3)))
    assert np.all(zeros == -100.0)
    with pytest.raises(ValueError, match="amin=0"):
        power_to_db(S=S, amin=0)


def test_delta_matches_psf():
    X = np.random.default_rng(0).normal(size=(30, 13))
    np.testing.assert_allclose(delta(X=X, width=2, axis=0), psf.delta(X, 2), atol=1e-12)
    np.testing.assert_allclose(
        delta(X=X[None], width=2)[0], psf.delta(X, 2), atol=1e-12
    )


def test_preemphasis_matches_psf():
    y = np.random.default_rng(0).normal(size=100)
    np.testing.assert_allclose(
        preemphasis(y=y, coef=0.97), psf.sigproc.preemphasis(y, 0.97), atol=1e-15
    )


# ------------------------------------------------- streamed framing options
def _ragged(rng, lengths=(300, 1601, 4000, 7777, 160, 5000)):
    return [rng.normal(size=n).astype(np.float32) for n in lengths]


@pytest.mark.parametrize("convention", ["librosa", "psf"])
def test_power_spectrum_pad_to_equals_stacked_then_padded(convention):
    from sklearn_ser.features._spectral import power_spectrum_frames

    ys = _ragged(np.random.default_rng(0))
    kw = dict(ys=ys, n_fft=512, hop_length=160, win_length=400, convention=convention)
    stacked, counts = power_spectrum_frames(**kw)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for pad_to in (int(counts.max()), 20):
        padded, counts2, smax = power_spectrum_frames(
            **kw, pad_to=pad_to, signal_max=True, n_jobs=2
        )
        np.testing.assert_array_equal(counts2, counts)
        assert padded.shape == (len(ys), pad_to, 257)
        for i, n in enumerate(counts):
            own = stacked[starts[i] : starts[i + 1]]
            m = min(n, pad_to)
            np.testing.assert_array_equal(padded[i, :m], own[:m])
            assert not padded[i, m:].any()
            # the maximum covers the frames cut by pad_to too
            assert smax[i] == own.max()


def test_power_spectrum_n_samples_and_preemph_equal_explicit_padding():
    from sklearn_ser.features._spectral import power_spectrum_frames

    ys = _ragged(np.random.default_rng(1))
    n = 3000  # longer than some signals, shorter than others
    kw = dict(n_fft=512, hop_length=160, win_length=400, window="hamming")
    for convention in ("librosa", "psf"):
        explicit = [
            preemphasis(
                y=y[:n] if y.shape[0] >= n else np.pad(y, (0, n - y.shape[0])),
                coef=0.97,
            )
            for y in ys
        ]
        ref, ref_counts = power_spectrum_frames(
            ys=explicit, convention=convention, **kw
        )
        ours, counts = power_spectrum_frames(
            ys=ys, n_samples=n, preemph=0.97, convention=convention, **kw
        )
        np.testing.assert_array_equal(counts, ref_counts)
        np.testing.assert_array_equal(ours, ref)


def test_power_spectrum_reflect_padding_matches_librosa_framing():
    from sklearn_ser.features._spectral import power_spectrum_frames

    y = np.random.default_rng(2).normal(size=3000).astype(np.float32)
    ours, _ = power_spectrum_frames(
        ys=[y], n_fft=512, hop_length=128, pad_mode="reflect", power=1.0
    )
    yp = np.pad(y, 256, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(yp, 512)[::128]
    w = scipy.signal.get_window("hann", 512, fftbins=True)
    ref = np.abs(np.fft.rfft(frames * w, axis=-1))
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4 * ref.max())
