"""Feature extraction speed: sklearn-ser vs python_speech_features vs librosa.

Times MFCC, LMFB (log Mel filter bank) and STFT on the shipped RAVDESS
speech corpus (16 kHz FLAC) with identical parameters in every
implementation, on waveforms decoded beforehand (decoding is timed
separately), plus the end-to-end "paths -> MFCC" time of the toolkit.
librosa is timed warm: one untimed call first (its first call compiles
numba code for ~17 s). Every time is the best (minimum) of ``--repeat`` runs
of wall-clock time, which is the least noisy estimate on a shared machine.

Parameter sets
--------------
librosa
    ``librosa.feature.mfcc`` defaults with 40 coefficients at 16 kHz:
    ``n_fft=2048, hop_length=512``, Hann, 128 Slaney Mel bands, dB with
    ``top_db=80``, orthonormal DCT (S0/S1's features).
psf
    ``python_speech_features.mfcc`` at 16 kHz with 40 filters and 40
    coefficients: 25 ms rectangular frames every 10 ms, ``nfft=512``,
    pre-emphasis 0.97, lifter 22, c0 = log energy; the toolkit runs
    ``MFCC.psf_compatible(n_mfcc=40, n_mels=40)``.
speech
    ``n_fft=512``, 25 ms Hann window, 10 ms hop (STFT magnitude, S2's input).
speech-mfcc
    ``MFCC(sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=40,
    max_frames=400)``: 32 ms Hann frames every 10 ms, 40 Slaney Mel bands,
    dB, 40 coefficients, padded/cut to 4 s (the usual speech front end;
    used for the second end-to-end row).

Rows
----
``decode FLAC``: ``load_audio_batch`` alone. ``MFCC``/``LMFB``/``STFT``:
features of the decoded waveforms (``fit_transform``), toolkit with
``n_jobs=1`` and ``--n-jobs`` threads. ``decode + MFCC``: paths in, features
out, i.e. what a pipeline does (``fit_transform(paths)`` for the librosa set,
whose frame count is learnt from the corpus; ``fit(...).transform(paths)``
for speech-mfcc). JSON keys: ``decode_mfcc_seconds`` (librosa set, n_jobs =
``--n-jobs``), ``decode_mfcc_seconds_1job`` and ``decode_mfcc_speech_seconds``
(speech-mfcc set). The load average is recorded at the start
(``machine.load_average``) and at the end (``load_average_end``): on a shared
machine compare only runs taken under similar load.

Profiles
--------
quick
    240 RAVDESS files (every 6th; ~880 s of audio).
paper
    All 1440 RAVDESS speech files (S0's corpus).

Usage::

    python benchmarks/feature_speed.py --profile quick
    python benchmarks/feature_speed.py --profile paper --json

Writes ``benchmarks/results/feature_speed_<profile>.json`` and ``.md``; with
``--json`` also prints the JSON object (which includes
``mfcc_speedup_vs_librosa`` and ``mfcc_speedup_vs_psf``).
"""

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _machine import machine_info, machine_markdown  # noqa: E402

SR = 16000
SPEECH_MFCC = dict(
    sr=SR, n_fft=512, hop_length=160, n_mels=40, n_mfcc=40, max_frames=400
)
TARGETS = {
    "mfcc_speedup_vs_librosa": 3.0,
    "mfcc_speedup_vs_psf": 5.0,
    "ravdess_decode_mfcc_seconds": 3.0,
}


def _default_data():
    env = os.environ.get("SER_DATA")
    if env:
        return Path(env).expanduser()
    return REPO.parent / "shared" / "data"


def _files(data, profile, n_files=None):
    rav = sorted(str(p) for p in (Path(data) / "ravdess_speech").rglob("*.flac"))
    if not rav:
        raise SystemExit(f"no RAVDESS files under {data}/ravdess_speech (set --data)")
    if n_files is None:
        n_files = 240 if profile == "quick" else len(rav)
    if n_files >= len(rav):
        return rav
    return rav[:: max(1, len(rav) // n_files)][:n_files]


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _psf_stft(psf, y):
    frames = psf.sigproc.framesig(y, 400, 160, winfunc=lambda n: _np.hanning(n))
    return psf.sigproc.magspec(frames, 512)


def run(args):
    global _np
    import numpy as np

    _np = np
    import python_speech_features as psf

    from sklearn_ser.features import LMFB, MFCC, STFT, TruncationWarning
    from sklearn_ser.io import load_audio_batch

    try:
        import librosa
    except ImportError:  # the bench extra is optional
        librosa = None
        warnings.warn("librosa is not installed: its rows are skipped", stacklevel=1)

    files = _files(args.data, args.profile, args.n_files)
    info = machine_info()
    rows = []

    def add(feature, params, impl, seconds, ref=None):
        rows.append(
            {
                "feature": feature,
                "params": params,
                "implementation": impl,
                "seconds": round(seconds, 4),
                "x_real_time": round(audio_s / seconds, 1),
                "toolkit_speedup": None if ref is None else round(seconds / ref, 2),
            }
        )

    # decoding (not part of the feature timings below)
    waves = load_audio_batch(files, SR, n_jobs=args.n_jobs)
    audio_s = sum(w.shape[0] for w in waves) / SR
    t_decode = _best(
        lambda: load_audio_batch(files, SR, n_jobs=args.n_jobs), args.repeat
    )
    add("decode FLAC", "16 kHz", f"sklearn_ser.io (n_jobs={args.n_jobs})", t_decode)
    waves64 = [w.astype(np.float64) for w in waves]
    R = args.repeat

    def toolkit(est):
        est.fit_transform(waves[:2])  # warm caches (filter banks, windows)
        times = {}
        for nj in (1, args.n_jobs):
            est.set_params(n_jobs=nj)
            times[nj] = _best(lambda: est.fit_transform(waves), R)
        return times

    out = {}
    # ---- MFCC, librosa parameters
    lib_kw = dict(sr=SR, n_mfcc=40, n_fft=2048, hop_length=512, n_mels=128)
    tk = toolkit(MFCC(**lib_kw))
    if librosa is not None:
        librosa.feature.mfcc(y=waves[0], **lib_kw)
        t_lib = _best(lambda: [librosa.feature.mfcc(y=w, **lib_kw) for w in waves], R)
    else:
        t_lib = None
    for nj, t in tk.items():
        add("MFCC", "librosa", f"sklearn-ser (n_jobs={nj})", t)
    if t_lib:
        add("MFCC", "librosa", "librosa (warm)", t_lib, ref=tk[args.n_jobs])
        out["mfcc_speedup_vs_librosa"] = round(t_lib / tk[args.n_jobs], 2)
        out["mfcc_speedup_vs_librosa_1job"] = round(t_lib / tk[1], 2)

    # ---- MFCC, psf parameters
    psf_kw = dict(
        samplerate=SR, winlen=0.025, winstep=0.01, numcep=40, nfilt=40, nfft=512
    )
    tk = toolkit(MFCC.psf_compatible(n_mfcc=40, n_mels=40))
    t_psf = _best(lambda: [psf.mfcc(w, **psf_kw) for w in waves64], R)
    for nj, t in tk.items():
        add("MFCC", "psf", f"sklearn-ser (n_jobs={nj})", t)
    add("MFCC", "psf", "python_speech_features", t_psf, ref=tk[args.n_jobs])
    out["mfcc_speedup_vs_psf"] = round(t_psf / tk[args.n_jobs], 2)
    out["mfcc_speedup_vs_psf_1job"] = round(t_psf / tk[1], 2)

    # ---- LMFB, psf parameters
    tk = toolkit(LMFB(n_mels=40))
    t_psf = _best(lambda: [psf.logfbank(w, SR, nfilt=40) for w in waves64], R)
    for nj, t in tk.items():
        add("LMFB", "psf", f"sklearn-ser (n_jobs={nj})", t)
    add("LMFB", "psf", "python_speech_features", t_psf, ref=tk[args.n_jobs])
    out["lmfb_speedup_vs_psf"] = round(t_psf / tk[args.n_jobs], 2)

    # ---- STFT magnitude, speech parameters
    tk = toolkit(STFT(scale="magnitude"))
    for nj, t in tk.items():
        add("STFT", "speech", f"sklearn-ser (n_jobs={nj})", t)
    if librosa is not None:
        kw = dict(n_fft=512, hop_length=160, win_length=400)
        np.abs(librosa.stft(waves[0], **kw))
        t = _best(lambda: [np.abs(librosa.stft(w, **kw)) for w in waves], R)
        add("STFT", "speech", "librosa (warm)", t, ref=tk[args.n_jobs])
        out["stft_speedup_vs_librosa"] = round(t / tk[args.n_jobs], 2)
    t = _best(lambda: [_psf_stft(psf, w) for w in waves64], R)
    add(
        "STFT",
        "speech",
        "python_speech_features (framesig+magspec)",
        t,
        ref=tk[args.n_jobs],
    )

    # ---- end to end: paths -> MFCC (decode + features)
    for nj in (1, args.n_jobs):
        est = MFCC(**lib_kw, n_jobs=nj)
        t_e2e = _best(lambda est=est: est.fit_transform(files), R)
        add("decode + MFCC", "librosa", f"sklearn-ser (n_jobs={nj})", t_e2e)
        out["decode_mfcc_seconds" + ("_1job" if nj == 1 else "")] = round(t_e2e, 3)
    est = MFCC(**SPEECH_MFCC, n_jobs=args.n_jobs).fit(waves[:2])
    with warnings.catch_warnings():  # cutting to max_frames=400 (4 s) is the point
        warnings.simplefilter("ignore", TruncationWarning)
        t_e2e = _best(lambda: est.transform(files), R)
    add("decode + MFCC", "speech-mfcc", f"sklearn-ser (n_jobs={args.n_jobs})", t_e2e)
    out["decode_mfcc_speech_seconds"] = round(t_e2e, 3)

    result = {
        "benchmark": "feature_speed",
        "profile": args.profile,
        "n_files": len(files),
        "audio_seconds": round(audio_s, 1),
        "n_jobs": args.n_jobs,
        "repeat": R,
        "timing": "best of repeat, wall clock",
        **out,
        "targets": TARGETS,
        "rows": rows,
        "machine": info,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "command": "python " + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }
    return result


def to_markdown(res):
    lines = [
        f"# Feature extraction speed ({res['profile']} profile)",
        "",
        f"{res['n_files']} RAVDESS files, {res['audio_seconds']} s of 16 kHz audio; "
        f"{res['timing']} of {res['repeat']} runs; toolkit ratios use n_jobs="
        f"{res['n_jobs']}. Command: `{res['command']}`",
        "",
        "| feature | params | implementation | seconds | x real time "
        "| toolkit speed-up (ref / toolkit) |",
        "|---|---|---|---:|---:|---:|",
    ]
    for r in res["rows"]:
        ratio = "" if r["toolkit_speedup"] is None else f"{r['toolkit_speedup']}x"
        lines.append(
            f"| {r['feature']} | {r['params']} | {r['implementation']} | "
            f"{r['seconds']:.3f} | {r['x_real_time']} | {ratio} |"
        )
    lines += [
        "",
        "Headline numbers (targets: >= 3x librosa, >= 5x psf for MFCC; "
        "1440 files decoded + MFCC <= 3 s on 2 cores):",
        "",
    ]
    for k in (
        "mfcc_speedup_vs_librosa",
        "mfcc_speedup_vs_librosa_1job",
        "mfcc_speedup_vs_psf",
        "mfcc_speedup_vs_psf_1job",
        "lmfb_speedup_vs_psf",
        "stft_speedup_vs_librosa",
        "decode_mfcc_seconds",
        "decode_mfcc_seconds_1job",
        "decode_mfcc_speech_seconds",
    ):
        if k in res:
            lines.append(f"- `{k}`: {res[k]}")
    lines += [
        "",
        "Parameter sets: see `python benchmarks/feature_speed.py --help` "
        "(librosa: n_fft 2048, hop 512, 128 Mel bands; psf: 25 ms / 10 ms, "
        "nfft 512; speech: STFT n_fft 512, 25 ms Hann, 10 ms hop; speech-mfcc: "
        "n_fft 512, hop 160, 40 Mel bands, 40 coefficients, max_frames 400).",
        "",
        "Machine:",
        "",
        machine_markdown(res["machine"]),
    ]
    if "load_average_end" in res:
        end = res["load_average_end"]
        lines.append(f"- load average (1/5/15 min) at the end: {end}")
    lines.append("")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument("--profile", choices=("quick", "paper"), default="quick")
    p.add_argument(
        "--quick",
        dest="profile",
        action="store_const",
        const="quick",
        help="same as --profile quick (240 files)",
    )
    p.add_argument(
        "--full",
        dest="profile",
        action="store_const",
        const="paper",
        help="same as --profile paper (all 1440 files)",
    )
    p.add_argument("--n-files", type=int, default=None, help="override the file count")
    p.add_argument(
        "--data",
        type=Path,
        default=_default_data(),
        help="folder holding ravdess_speech/ (default: $SER_DATA)",
    )
    p.add_argument("--n-jobs", type=int, default=2, help="toolkit threads (default 2)")
    p.add_argument(
        "--repeat", type=int, default=3, help="runs per timing; best is kept"
    )
    p.add_argument("--json", action="store_true", help="print the JSON result")
    p.add_argument(
        "--out",
        type=Path,
        default=HERE / "results",
        help="folder for feature_speed_<profile>.json/.md",
    )
    p.add_argument("--no-save", action="store_true", help="do not write result files")
    args = p.parse_args(argv)
    res = run(args)
    md = to_markdown(res)
    if not args.no_save:
        args.out.mkdir(parents=True, exist_ok=True)
        stem = args.out / f"feature_speed_{res['profile']}"
        stem.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n")
        stem.with_suffix(".md").write_text(md)
    print(md)
    if args.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
