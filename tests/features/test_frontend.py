"""The front end's pieces: one Framing object, one head per kind, their composition."""

import numpy as np
import pytest

from sklearn_ser.features import delta, mel_filterbank, power_to_db, stft
from sklearn_ser.features._dct import cepstra
from sklearn_ser.features._frontend import (
    log_mel_head,
    mel_basis,
    mel_head,
    mfcc_head,
    spectral_frames,
    stft_head,
)
from sklearn_ser.features._mel import apply_mel
from sklearn_ser.features._spectral import Framing, power_spectrum_frames
from sklearn_ser.io import load_audio_batch


@pytest.fixture(scope="module")
def speech3(three_files):
    """Three real RAVDESS utterances of different lengths at 16 kHz."""
    return list(load_audio_batch(three_files, 16000))


def test_framing_object_and_its_fields_frame_alike(speech3):
    fields = dict(
        n_fft=512,
        hop_length=160,
        win_length=400,
        window="hamming",
        convention="psf",
        preemph=0.97,
        n_samples=40000,
    )
    ours, counts = power_spectrum_frames(ys=speech3, framing=Framing(**fields))
    ref, ref_counts = power_spectrum_frames(ys=speech3, **fields)
    np.testing.assert_array_equal(counts, ref_counts)
    np.testing.assert_array_equal(ours, ref)
    with pytest.raises(TypeError, match="not both"):
        power_spectrum_frames(ys=speech3, framing=Framing(**fields), n_fft=256)


@pytest.mark.parametrize(
    "fields, message",
    [
        (dict(n_fft=0, hop_length=160), "Received: n_fft=0"),
        (dict(n_fft=512, hop_length=1.5), "Received: hop_length=1.5"),
        (dict(n_fft=256, hop_length=64, win_length=400), "win_length must be <= n_fft"),
        (dict(n_fft=512, hop_length=160, convention="htk"), "convention='htk'"),
    ],
)
def test_framing_checks_its_fields(fields, message):
    with pytest.raises(ValueError, match=message):
        Framing(**fields)


def test_psf_framing_frames_the_window_not_the_fft():
    # psf frames are win_length long (cut or zero-padded to n_fft at the FFT)
    f = Framing(n_fft=256, hop_length=160, win_length=400, convention="psf")
    assert (f.frame_length, f.left) == (400, 0)
    g = Framing(n_fft=512, hop_length=160, win_length=400)
    assert (g.frame_length, g.left) == (512, 256)


def test_mfcc_head_is_mel_then_db_then_dct(speech3):
    """The head composes the one-place steps: |STFT|^2 -> Mel -> dB (per signal) -> DCT."""
    framing = Framing(n_fft=512, hop_length=160, win_length=400)
    fb = mel_basis(framing, sr=16000, n_mels=40)
    ours = spectral_frames(
        speech3, framing, mfcc_head(framing, fb, n_mfcc=13, top_db=80.0)
    )
    for y, got in zip(speech3, ours):
        P = stft(y=y, n_fft=512, hop_length=160, win_length=400, power=2.0)
        log_mel = power_to_db(S=apply_mel(S=P, fb=fb), top_db=80.0)
        ref = cepstra(log_mel=log_mel, n_mfcc=13)
        assert got.shape == ref.shape
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-4)


def test_log_mel_head_appends_the_log_energy(speech3):
    framing = Framing(
        n_fft=512, hop_length=160, win_length=400, window="boxcar", convention="psf"
    )
    fb = mel_basis(framing, sr=16000, n_mels=26)
    plain = spectral_frames(speech3, framing, log_mel_head(framing, fb))
    with_e = spectral_frames(speech3, framing, log_mel_head(framing, fb, energy=True))
    for a, b, y in zip(plain, with_e, speech3):
        np.testing.assert_array_equal(b[:, :-1], a)
        P, _ = power_spectrum_frames(ys=[y], framing=framing, scale=1 / 512)
        energy = P.sum(axis=1)
        # psf replaces exact zeros (digital silence in RAVDESS) by float64 eps
        ref = np.log(np.where(energy == 0, np.finfo(np.float64).eps, energy))
        np.testing.assert_allclose(b[:, -1], ref, rtol=1e-5)


@pytest.mark.parametrize("db", [False, True])
def test_row_wise_head_into_padded_equals_stacked_then_cut(speech3, db):
    """Written straight into the padded array, the dB floor still sees every frame.

    Equal to float32 rounding, not bit for bit: the two paths multiply
    different numbers of frames at once, and OpenBLAS rounds a float32
    product differently for different row counts on some CPUs (see the
    ``chunked_transform`` fixture). A floor set from the kept frames only
    would move the floored values by decibels, not by 1e-5.
    """
    framing = Framing(n_fft=512, hop_length=160)
    fb = mel_filterbank(sr=16000, n_fft=512, n_mels=40)
    for head in (mel_head(fb, db=db), stft_head(db=db)):
        stacked = spectral_frames(speech3, framing, head)
        pad_to = 120  # shorter than every utterance, so frames are cut
        padded = spectral_frames(speech3, framing, head, pad_to=pad_to)
        for i, f in enumerate(stacked):
            assert f.shape[0] > pad_to
            np.testing.assert_allclose(
                padded[i], f[:pad_to], rtol=1e-5, atol=1e-6 * np.abs(f).max()
            )


def test_deltas_are_taken_per_signal_before_padding(speech3):
    framing = Framing(n_fft=512, hop_length=160, win_length=400)
    fb = mel_basis(framing, sr=16000, n_mels=26)
    head = log_mel_head(framing, fb)
    base = spectral_frames(speech3, framing, head)
    longest = max(f.shape[0] for f in base)
    padded = spectral_frames(speech3, framing, head, deltas=1, pad_to=longest + 5)
    for i, f in enumerate(base):
        n = f.shape[0]
        np.testing.assert_array_equal(padded[i, :n, :26], f)
        # deltas of the signal's own frames (edges repeated), not of the padding
        np.testing.assert_array_equal(padded[i, :n, 26:], delta(X=f, width=2, axis=0))
        assert not padded[i, n:].any()
