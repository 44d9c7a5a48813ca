"""The ``predict`` and ``timeline`` commands: a saved model on audio files."""

import os
import sys
import warnings

import numpy as np

from ._data import _load_model, _routing
from ._output import PROG, UserError, _emit, _log, _one_line


def _cmd_predict(args):
    from .._persistence import load_model
    from ..io import AudioLoadError, OutOfRangeAudioWarning, inspect_audio
    from ..timeline import predict_recording
    from ..utils._groups import consumes_groups

    model = _load_model(args.model, load_model)
    with _routing(True):
        adapts = consumes_groups(model, "predict")
    speaker_of = _speaker_of(args, adapts)
    classes = list(getattr(model, "classes_", []))
    failed = 0

    def fail(path, exc):
        nonlocal failed
        failed += 1
        msg = _one_line(exc)
        if path not in msg:
            msg = f"{path}: {msg}"
        print(f"{PROG} predict: error: {msg}", file=sys.stderr, flush=True)

    quality = {}
    for path in args.files:
        try:
            quality[path] = inspect_audio(path)
        except (AudioLoadError, OSError) as exc:
            fail(path, exc)

    def run(paths):
        X = np.asarray(paths, dtype=object)
        groups = None
        if adapts:
            groups = np.asarray([speaker_of(p) for p in paths], dtype=object)
        with warnings.catch_warnings(), _routing(adapts):
            # reported per file by inspect_audio instead
            warnings.simplefilter("ignore", OutOfRangeAudioWarning)
            labels, proba, details = predict_recording(model, X, groups=groups)
        proba = [None] * len(paths) if proba is None else proba
        return labels, proba, details

    todo = [p for p in args.files if p in quality and not quality[p].no_speech]
    if adapts:
        _log_speakers(args, [speaker_of(p) for p in todo])
    results = {}
    if todo:
        try:
            labels, probas, details = run(todo)
            results = dict(zip(todo, zip(labels, probas, details)))
        except Exception:  # noqa: BLE001 - find which files fail, one by one
            for path in todo:
                try:
                    labels, probas, details = run([path])
                except Exception as exc:  # noqa: BLE001
                    fail(path, exc)
                    continue
                results[path] = (labels[0], probas[0], details[0])
    for path in args.files:
        q = quality.get(path)
        if q is None or (path not in results and not q.no_speech):
            continue
        notes = [q.describe()] if q.describe() else []
        label, proba, d = results.get(path, (None, None, None))
        if d is not None and d["method"] == "pooled":
            notes.append(
                f"labelled from all {d['seconds']:.1f} s: mean of {d['windows']} "
                f"windows over {d['speech_seconds']:.1f} s of speech (segments over "
                f"time: {PROG} timeline)"
            )
        _emit(args, path, classes, label, proba, q, notes)
    if failed:
        print(
            f"{PROG} predict: {failed} of {len(args.files)} file(s) failed",
            file=sys.stderr,
        )
    return 1 if failed else 0


def _speaker_of(args, adapts):
    """``path -> speaker id`` for a model that adapts to speakers (else None)."""
    from pathlib import Path

    given = [f for f in ("speaker", "speaker_regex") if getattr(args, f)]
    if not adapts:
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise UserError(
                f"{flag}: model {args.model} does not adapt to speakers, so it "
                "uses no speaker ids (train one with --pipeline compare-vote-enrol)"
            )
        return None
    if len(given) == 2:
        raise UserError("give --speaker or --speaker-regex, not both")
    if not given:
        raise UserError(
            f"model {args.model} adapts to each speaker from all of their files "
            "given at once (enrolment), so it needs to know who speaks: pass "
            "--speaker NAME when every file is the same person's, or "
            "--speaker-regex RE to read the speaker from each file name (its "
            "first group, or a group named 'speaker')"
        )
    if args.speaker:
        return lambda path: args.speaker
    from ..datasets._folder import _speaker_parser

    try:  # the rule --corpus folder applies to training file names
        speaker = _speaker_parser(args.speaker_regex)
    except ValueError as exc:
        raise UserError(f"--speaker-regex {args.speaker_regex!r}: {exc}") from None

    def parse(path):
        try:
            return str(speaker(Path(path)))
        except ValueError:
            raise UserError(
                f"{path}: --speaker-regex {args.speaker_regex!r} does not match "
                f"the file name {Path(path).stem!r}"
            ) from None

    for path in args.files:  # every name checked before any work
        parse(path)
    return parse


#: below this many files per speaker, adaptation is no better than the strict
#: default (benchmarks/results/enrolment_size.md, on the same files: adapted
#: 0.551 / 0.605 / 0.643 / 0.664 / 0.730 with 1 / 4 / 8 / 16 / 60 files,
#: strict compare-vote-speed, tempered + pitch copies, 0.603 / 0.668 / 0.638 /
#: 0.623 / 0.660)
_ENROL_MIN_FILES = 8


def _log_speakers(args, speakers):
    """One line per speaker: how many files it is adapted with."""
    names, counts = np.unique(np.asarray(speakers, dtype=str), return_counts=True)
    for name, n in zip(names, counts):
        how = (
            "standardised with its own statistics"
            if n >= 2
            else "one file: standardised with the typical training speaker's statistics"
        )
        if n < _ENROL_MIN_FILES:
            how += (
                f"; with fewer than {_ENROL_MIN_FILES} recordings of a speaker, "
                "adaptation is no more accurate than the default strict model "
                "(compare-vote-speed): give more of this speaker's recordings at once"
            )
        _log(args, f"speaker {name}: {n} file(s), {how}")


def _cmd_timeline(args):
    from .._persistence import load_model
    from ..timeline import TimelineReadError, iter_timeline
    from ..timeline._segments import write_csv
    from ..timeline._timeline import _iter_file

    stdin = args.audio == "-"
    if stdin and args.sr is None:
        raise UserError("reading raw samples from stdin (-) needs --sr")
    for target in (args.out, args.plot):
        folder = os.path.dirname(os.path.abspath(target)) if target else None
        if folder and not os.path.isdir(folder):
            raise UserError(f"{target}: folder {folder} does not exist")
    model = _load_model(args.model, load_model)
    opts = dict(
        window=args.window,
        hop=args.hop,
        smooth=args.smooth,
        vad=not args.no_vad,
        batch_size=64,
    )
    if stdin:
        gen = iter_timeline(model, _stdin_chunks(args.sr), args.sr, **opts)
    else:
        gen = _iter_file(model, args.audio, block_frames=1 << 18, **opts)
    live = args.stream or stdin
    columns = ["start", "end", "label", *[f"p_{c}" for c in model.classes_]]
    if live or not args.out:
        write_csv(sys.stdout, columns, [], header=True)
    segments, error = [], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            while True:
                seg = next(gen)
                segments.append(seg)
                if live:
                    write_csv(sys.stdout, columns, [seg], header=False)
                    sys.stdout.flush()
        except StopIteration as stop:
            tl = stop.value
        except TimelineReadError as exc:
            tl, error = exc.timeline, exc
    if not live and not args.out:
        write_csv(sys.stdout, columns, tl.segments, header=False)
    if args.out:
        tl.to_csv(args.out)
    if args.plot:
        from ..plotting import plot_timeline

        plot_timeline(tl, path=args.plot, title=os.path.basename(args.audio))
    written = ", ".join(p for p in (args.out, args.plot) if p)
    if error is not None:
        raise UserError(
            f"{_one_line(error)} ({len(tl)} segment(s) before the damage"
            + (f" written to {written})" if written else ")")
        )
    _log(
        args,
        f"{len(tl)} segment(s), {tl.speech_seconds():.1f} s of speech in "
        f"{tl.duration:.1f} s of audio" + (f"; wrote {written}" if written else ""),
    )
    return 0


def _stdin_chunks(sr, seconds=0.1):
    """float32 little-endian mono samples from stdin, ``seconds`` at a time."""
    size = max(1, int(sr * seconds)) * 4
    rest = b""
    stream = sys.stdin.buffer
    while True:
        data = stream.read(size)
        if not data:
            break
        data = rest + data
        n = len(data) // 4 * 4
        rest = data[n:]
        if n:
            yield np.frombuffer(data[:n], dtype="<f4").astype(np.float32)
