"""Command line: ``sklearn-ser`` / ``python -m sklearn_ser``.

Commands
--------
``list``
    Pipelines, protocols and corpora.
``train``
    Fit a named pipeline on a corpus and save it. With a protocol other than
    ``all`` the model is fitted on the training (and validation) part of the
    protocol's first split and its test part is reported; ``--protocol all``
    fits on every file.
``evaluate``
    Run a protocol, print the summary and per-class table, write
    ``scores.json``, ``report.md`` and PNG figures into ``--out``.
``predict``
    Label and class probabilities per audio file from a saved model. A file
    longer than the model uses whole gets the label pooled over its speech
    windows (see :func:`sklearn_ser.timeline.predict_recording`), with a note.
``timeline``
    Emotion segments of a long recording or of raw audio on stdin.

Exit codes: 0 success; 1 a user error (missing corpus, bad model file,
unwritable output...) reported as one line on stderr, or for ``predict`` at
least one file that could not be predicted (each gets an error line on
stderr; the others are still predicted); 2 bad command-line arguments,
including unknown corpus, pipeline or protocol names (one line, checked
before any data is read). Set ``SER_DEBUG=1`` to see tracebacks.

Output: warnings become one ``warning:`` line each on stderr; TensorFlow's
start-up logging (CUDA probing, oneDNN notices) is filtered out unless
``--verbose`` is given.
"""

import argparse
import ast
import difflib
import json
import os
import re
import sys
import threading
import time
import warnings

import numpy as np

from .datasets._registry import list_corpora
from .utils._validation import to_builtin

__all__ = ["main"]

PROG = "sklearn-ser"


class UserError(Exception):
    """An error caused by the user's input: reported as one line, exit 1."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as one line (exit 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _choice(kind, choices):
    """argparse ``type``: a case-insensitive name with a "did you mean"."""
    names = {c.lower(): c for c in choices}

    def parse(text):
        key = text.strip().lower()
        if key in names:
            return names[key]
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        hint = ""
        if close:
            hint = f"; did you mean {' or '.join(repr(names[c]) for c in close)}?"
        raise argparse.ArgumentTypeError(
            f"unknown {kind} {text!r}{hint} (choose from {', '.join(names.values())})"
        )

    parse.__name__ = kind
    return parse


def _pipeline_names():
    from .pipelines import list_pipelines

    return list(list_pipelines())


def _protocol_names(allow_all):
    from .model_selection import PROTOCOL_ALIASES, list_protocols

    extra = ["speaker", "paper"] + (["all"] if allow_all else [])
    return extra + [n for n in [*list_protocols(), *PROTOCOL_ALIASES] if n not in extra]


def _add_output_options(p):
    p.add_argument(
        "-q", "--quiet", action="store_true", help="no progress output on stderr"
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show TensorFlow's own logging and full Python warnings",
    )


def _add_data_options(p, allow_all=False):
    g = p.add_argument_group("data")
    g.add_argument(
        "--corpus",
        required=True,
        type=_choice("corpus", list(list_corpora())),
        metavar="NAME",
        help="which corpus to load: " + ", ".join(list_corpora()),
    )
    g.add_argument(
        "--data-home",
        metavar="DIR",
        help="corpus folder or the folder holding it (default: $SER_DATA)",
    )
    g.add_argument(
        "--speaker-regex",
        metavar="RE",
        help="--corpus folder: regular expression giving the speaker "
        "from each file name",
    )
    g.add_argument(
        "--speakers",
        metavar="LIST",
        help="keep only these speakers, comma separated (e.g. "
        "Actor_01,Actor_02 or 1,2 for RAVDESS actors)",
    )
    g.add_argument(
        "--on-bad-name",
        choices=("raise", "warn"),
        default="raise",
        help="files whose names break the corpus' name scheme: stop with an "
        "error (raise, default) or skip them with a warning (warn)",
    )
    g.add_argument(
        "--limit",
        type=_positive_int,
        metavar="N",
        help="keep N files, balanced over classes (quick runs)",
    )
    m = p.add_argument_group("model")
    m.add_argument(
        "--pipeline",
        default="compare-logreg",
        type=_choice("pipeline", _pipeline_names()),
        metavar="NAME",
        help="named pipeline (see `list`; default: compare-logreg, the best "
        "speaker-independent one)",
    )
    m.add_argument(
        "--protocol",
        default="speaker",
        type=_choice("protocol", _protocol_names(allow_all)),
        metavar="NAME",
        help="'speaker' (the pipeline's speaker-independent protocol), "
        "'paper' (its paper's protocol), a protocol name from "
        "`list`, or for train 'all' (default: speaker)",
    )
    m.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="overrides",
        help="pipeline parameter, e.g. --set svc__estimator__C=10 "
        "(repeatable; values are Python literals or strings)",
    )
    m.add_argument(
        "--epochs",
        type=_positive_int,
        metavar="N",
        help="set every *epochs parameter of the pipeline",
    )
    m.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    m.add_argument(
        "--n-jobs", type=int, default=None, metavar="N", help="parallel jobs for folds"
    )
    _add_output_options(p)


def _positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return v


def build_parser():
    parser = _Parser(
        prog=PROG,
        description="Speech and music emotion recognition: "
        "train, evaluate and use the paper systems.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    p = sub.add_parser(
        "list",
        help="list pipelines, protocols and corpora",
        description="List named pipelines, protocols and corpora.",
    )
    _add_output_options(p)
    p.set_defaults(func=_cmd_list)
    p = sub.add_parser(
        "train",
        help="fit a pipeline and save it",
        description="Fit a named pipeline on a corpus and save it "
        "(joblib, with a version header). Unless --protocol all, "
        "the fit uses the training part of the protocol's first "
        "split and the held-out part is reported.",
    )
    _add_data_options(p, allow_all=True)
    p.add_argument(
        "--out",
        required=True,
        metavar="MODEL",
        help="where to save the model (e.g. model.joblib)",
    )
    p.set_defaults(func=_cmd_train)
    p = sub.add_parser(
        "evaluate",
        help="evaluate a pipeline under a protocol",
        description="Evaluate a named pipeline on a corpus under a "
        "protocol; print the per-class table; write scores.json, "
        "report.md and PNG figures into --out.",
    )
    _add_data_options(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.set_defaults(func=_cmd_evaluate)
    p = sub.add_parser(
        "predict",
        help="predict emotions of audio files",
        description="Print label and class probabilities per file, one line "
        "each, followed by what the user must know about the file: clipped "
        "(with its peak), silent or too short (then 'no speech' instead of a "
        "label: the loudest 25 ms frame is below -60 dBFS, or the file is "
        "shorter than 0.1 s; see sklearn_ser.io.inspect_audio), or longer "
        "than the model reads whole (then labelled from all of it: the mean "
        "of its speech windows; see the timeline command). Files that fail get "
        "an error line on stderr; the rest are still predicted; the exit "
        "code is 1 if any failed.",
    )
    p.add_argument("model", help="a model saved by `train` or save_model")
    p.add_argument("files", nargs="+", metavar="FILE", help="audio files")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    _add_output_options(p)
    p.set_defaults(func=_cmd_predict)
    _add_timeline_parser(sub)
    return parser


def _version():
    from . import __version__

    return __version__


def _log(args, msg):
    if not getattr(args, "quiet", False):
        print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# data and pipeline
# --------------------------------------------------------------------------- #


def _load_corpus(args):
    from .datasets._registry import get_corpus_spec, load_corpus

    spec = get_corpus_spec(args.corpus)
    if not spec.needs_data_home and args.data_home:
        raise UserError(f"--data-home is not used with --corpus {args.corpus}")
    if args.corpus == "folder" and not args.data_home:
        raise UserError(
            "--corpus folder needs --data-home DIR (the folder "
            "holding one sub-folder per class)"
        )
    try:
        bunch = load_corpus(
            args.corpus,
            args.data_home,
            speaker=args.speaker_regex,
            on_bad_name=args.on_bad_name,
        )
    except FileNotFoundError as exc:
        raise UserError(_missing_corpus_message(args.corpus, exc)) from exc
    except ValueError as exc:
        raise UserError(_cli_words(str(exc))) from exc
    X = np.asarray(
        bunch.filenames if "filenames" in bunch else bunch.data, dtype=object
    )
    y = np.asarray(bunch.target)
    groups = None if bunch.get("groups") is None else np.asarray(bunch.groups)
    if args.speakers:
        if groups is None:
            raise UserError(
                "--speakers needs a corpus with speakers (for --corpus folder "
                "give --speaker-regex)"
            )
        wanted = {s.strip() for s in args.speakers.split(",") if s.strip()}
        keys = np.array([_speaker_keys(g) for g in groups], dtype=object)
        keep = np.array([bool(k & wanted) for k in keys])
        if not keep.any():
            raise UserError(
                f"--speakers {args.speakers}: no such speaker (known: "
                f"{', '.join(map(str, np.unique(groups)[:30]))})"
            )
        X, y, groups = X[keep], y[keep], groups[keep]
    if args.limit and args.limit < len(y):
        idx = _balanced_subset(y, args.limit, args.seed)
        X, y = X[idx], y[idx]
        groups = None if groups is None else groups[idx]
    n_spk = "no" if groups is None else len(np.unique(groups))
    _log(
        args,
        f"corpus {args.corpus}: {len(y)} files, {len(np.unique(y))} classes, "
        f"{n_spk} speakers",
    )
    return X, y, groups


def _missing_corpus_message(corpus, exc):
    """The loader's "not found, looked at ..." with the command line's remedy."""
    found = str(exc).split("Point at it with", 1)[0].strip()
    msg = (
        f"{found} Pass --data-home DIR (the corpus folder or the folder holding "
        f"it) or set the SER_DATA environment variable."
    )
    if corpus in ("ravdess", "ravdess_tess"):
        msg += (
            " To download RAVDESS speech: python -c 'from sklearn_ser.datasets "
            "import fetch_ravdess; fetch_ravdess()'."
        )
    return msg


def _cli_words(msg):
    """Loader messages name Python arguments; say the command line's flags."""
    return msg.replace("pass on_bad_name='warn'", "pass --on-bad-name warn").replace(
        "(on_bad_name='warn')", "(--on-bad-name warn)"
    )


def _check_speakers(args, groups, proto):
    """A speaker-independent protocol on a corpus without speakers: say how."""
    if groups is not None or proto == "all":
        return
    from .model_selection import get_protocol

    if not get_protocol(proto).speaker_independent:
        return
    hint = (
        "pass --speaker-regex RE (a regular expression matched against each "
        "file name; its first group, or a group named 'speaker', is the "
        "speaker, e.g. --speaker-regex '^([A-Z]+)_')"
        if args.corpus == "folder"
        else "choose a corpus with speakers"
    )
    raise UserError(
        f"--corpus {args.corpus} gives no speakers, so protocol {proto!r} "
        f"(speaker-independent) cannot split by speaker: {hint}, or use a "
        f"random-split protocol such as --protocol paper or s0-random-67-33 "
        f"(speakers then appear in both training and test)"
    )


def _check_writable(path, is_dir):
    """Find an unusable --out before any training (UserError naming it)."""
    target = os.path.abspath(path)
    folder = target if is_dir else os.path.dirname(target)
    if not is_dir and os.path.isdir(target):
        raise UserError(f"--out {path}: is a folder; give a file name (model.joblib)")
    try:
        os.makedirs(folder, exist_ok=True)
        import tempfile

        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"--out {path}: cannot write there ({reason})") from exc
    if os.path.exists(target) and not is_dir and not os.access(target, os.W_OK):
        raise UserError(f"--out {path}: the existing file is not writable")


def _speaker_keys(g):
    """Ways a user may name speaker ``g``: 'Actor_01', '01', '1'."""
    s = str(g)
    keys = {s}
    digits = "".join(ch for ch in s if ch.isdigit())
    if digits:
        keys |= {digits, str(int(digits))}
    return keys


def _balanced_subset(y, n, seed):
    """``n`` indices, round-robin over classes, random within each class."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    rank = np.empty(len(y), dtype=int)
    for label in np.unique(y):
        members = order[y[order] == label]
        rank[members] = np.arange(len(members))
    chosen = sorted(order, key=lambda i: rank[i])[:n]
    return np.sort(np.asarray(chosen))


def _parse_value(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _build_pipeline(args):
    from .pipelines import get_pipeline, get_pipeline_spec

    spec = get_pipeline_spec(args.pipeline)
    overrides = {}
    for item in args.overrides:
        if "=" not in item:
            raise UserError(f"--set expects KEY=VALUE. Received: {item!r}")
        key, value = item.split("=", 1)
        overrides[key.strip()] = _parse_value(value.strip())
    if spec.uses_keras:
        _log(args, f"building {spec.name} (loading TensorFlow)...")
    pipe = get_pipeline(args.pipeline, random_state=args.seed, **overrides)
    if args.epochs:
        keys = [
            k
            for k in pipe.get_params(deep=True)
            if k.endswith("epochs") and not k.endswith("n_epochs")
        ]
        if not keys:
            raise UserError(
                f"--epochs: pipeline {args.pipeline!r} has no epochs parameter"
            )
        pipe.set_params(**{k: args.epochs for k in keys})
    if not args.quiet:
        params = pipe.get_params(deep=True)
        verbose = {}
        for k in params:
            if not k.endswith("__verbose"):
                continue
            owner = params[k.rsplit("__", 1)[0]]
            is_net = type(owner).__module__.startswith("sklearn_ser.models")
            if type(owner).__module__.startswith("sklearn_ser.features") or is_net:
                verbose[k] = 2 if is_net else 1
        pipe.set_params(**verbose)
    return spec, pipe


def _quiet(pipe):
    """Set every ``*verbose`` parameter to 0 (so a saved model predicts quietly)."""
    keys = [k for k in pipe.get_params(deep=True) if k.endswith("__verbose")]
    pipe.set_params(**{k: 0 for k in keys})


def _protocol_name(args, spec):
    name = args.protocol
    if name == "speaker":
        return spec.speaker_protocol
    if name == "paper":
        return spec.protocol
    return name


# --------------------------------------------------------------------------- #
# commands
# --------------------------------------------------------------------------- #


def _cmd_list(args):
    from .model_selection import PROTOCOL_ALIASES, list_protocols
    from .pipelines import list_pipelines

    print("pipelines:")
    for name, spec in list_pipelines().items():
        print(f"  {name:<24} {spec.paper}  {spec.description}")
        print(
            f"  {'':<24}     protocols: paper={spec.protocol}, "
            f"speaker={spec.speaker_protocol}"
        )
    print("protocols:")
    for name, desc in list_protocols().items():
        print(f"  {name:<26} {desc}")
    for alias, target in PROTOCOL_ALIASES.items():
        if alias == "speaker":  # on the command line it means the pipeline's own
            continue
        print(f"  {alias:<26} alias of {target}")
    print(
        "  paper / speaker            the pipeline's paper protocol / its "
        "speaker-independent counterpart"
    )
    print("corpora (--data-home DIR or $SER_DATA):")
    for name, spec in list_corpora().items():
        print(f"  {name:<26} {spec.description}")
    return 0


def _cmd_train(args):
    from ._persistence import save_model
    from .metrics import classification_table, score_all
    from .model_selection import fit_with_validation, get_protocol, predict_with_proba

    _check_writable(args.out, is_dir=False)
    spec, pipe = _build_pipeline(args)
    proto = _protocol_name(args, spec)
    X, y, groups = _load_corpus(args)
    _check_speakers(args, groups, proto)
    meta = {
        "corpus": args.corpus,
        "pipeline": args.pipeline,
        "protocol": proto,
        "overrides": args.overrides,
        "n_files": int(len(y)),
    }
    t0 = time.perf_counter()
    if proto == "all":
        _log(args, f"training {args.pipeline} on all {len(y)} files")
        pipe.fit(X, y)
        table = None
    else:
        protocol = get_protocol(proto, random_state=args.seed)
        notes = protocol.explain(groups)
        for n in notes:
            _log(args, f"note: {n}")
        train, val, test = next(iter(protocol.split_with_validation(X, y, groups)))
        _log(
            args,
            f"training {args.pipeline} on {len(train)} files"
            + (f" ({len(val)} validation)" if len(val) else "")
            + f", {len(test)} held out ({proto})",
        )
        fit_with_validation(
            pipe, X[train], y[train], X[val] if len(val) else None, y[val]
        )
        y_pred, proba = predict_with_proba(pipe, X[test])
        scores = score_all(
            y[test], y_pred, proba, labels=pipe.classes_ if proba is not None else None
        )
        table = classification_table(
            y[test], y_pred, labels=np.unique(y), title=f"held-out test part of {proto}"
        )
        meta.update({"test_scores": scores, "protocol_notes": notes})
    meta["fit_seconds"] = round(time.perf_counter() - t0, 2)
    _quiet(pipe)
    save_model(pipe, args.out, metadata=meta)
    if table is not None:
        print(table.to_text())
        s = meta["test_scores"]
        print(
            f"\naccuracy {s['accuracy']:.4f}  UAR {s['uar']:.4f}  "
            f"macro F1 {s['f1_macro']:.4f}"
        )
    print(f"saved {args.out}")
    return 0


def _cmd_evaluate(args):
    from .model_selection import evaluate

    _check_writable(args.out, is_dir=True)
    spec, pipe = _build_pipeline(args)
    proto = _protocol_name(args, spec)
    X, y, groups = _load_corpus(args)
    _check_speakers(args, groups, proto)
    result = evaluate(
        pipe,
        X,
        y,
        groups,
        protocol=proto,
        n_jobs=args.n_jobs,
        verbose=0 if args.quiet else 1,
        random_state=args.seed,
    )
    print(result.summary())
    print()
    print(result.table().to_text())
    data = result.to_dict()
    data.update(
        {"corpus": args.corpus, "pipeline": args.pipeline, "overrides": args.overrides}
    )
    with open(os.path.join(args.out, "scores.json"), "w") as f:
        json.dump(data, f, indent=2)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(
            f"# {args.pipeline} on {args.corpus}\n\n```\n{result.summary()}\n```\n\n"
        )
        f.write(result.table().to_markdown() + "\n")
    try:
        from .plotting import save_all_figures

        written = save_all_figures(result, args.out)
    except ImportError as exc:
        _log(args, f"warning: no figures written ({exc})")
        written = {}
    files = ["scores.json", "report.md"] + [
        os.path.basename(p) for p in written.values()
    ]
    print(f"\nwrote {', '.join(files)} into {args.out}")
    return 0


def _cmd_predict(args):
    from ._persistence import load_model
    from .io import AudioLoadError, OutOfRangeAudioWarning, inspect_audio
    from .timeline import predict_recording

    model = _load_model(args.model, load_model)
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
        with warnings.catch_warnings():
            # reported per file by inspect_audio instead
            warnings.simplefilter("ignore", OutOfRangeAudioWarning)
            labels, proba, details = predict_recording(model, X)
        proba = [None] * len(paths) if proba is None else proba
        return labels, proba, details

    todo = [p for p in args.files if p in quality and not quality[p].no_speech]
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


def _add_timeline_parser(sub):
    p = sub.add_parser(
        "timeline",
        help="emotion segments of a long recording or a live stream",
        description="Emotion segments (start, end, label, class "
        "probabilities) of a recording of any length, read in blocks, or "
        "of raw float32 mono audio on stdin ('-', e.g. ffmpeg -i IN -f f32le "
        "-ac 1 -ar 16000 - | sklearn-ser timeline MODEL - --sr 16000). "
        "Non-speech is skipped with an energy VAD.",
    )
    p.add_argument("model", help="a model saved by `train` or save_model")
    p.add_argument("audio", metavar="AUDIO", help="audio file, or - for stdin")
    p.add_argument("--out", metavar="CSV", help="write the segments as CSV "
                   "(default: print them)")
    p.add_argument("--plot", metavar="PNG", help="save a picture of the timeline")
    p.add_argument("--window", type=float, default=2.0, metavar="S",
                   help="seconds per classified window (default 2.0)")
    p.add_argument("--hop", type=float, default=0.5, metavar="S",
                   help="seconds between windows (default 0.5)")
    p.add_argument("--smooth", type=float, default=2.0, metavar="S",
                   help="moving-average width in seconds (default 2.0)")
    p.add_argument("--no-vad", action="store_true",
                   help="classify all audio, speech or not")
    p.add_argument("--stream", action="store_true",
                   help="print each segment as soon as it is decided "
                   "(always so for -)")
    p.add_argument("--sr", type=_positive_int, metavar="HZ",
                   help="sampling rate of the raw float32 samples on stdin")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(func=_cmd_timeline)


def _cmd_timeline(args):
    from ._persistence import load_model
    from .timeline import TimelineReadError, iter_timeline
    from .timeline._timeline import _iter_file, _write_csv

    stdin = args.audio == "-"
    if stdin and args.sr is None:
        raise UserError("reading raw samples from stdin (-) needs --sr")
    for target in (args.out, args.plot):
        folder = os.path.dirname(os.path.abspath(target)) if target else None
        if folder and not os.path.isdir(folder):
            raise UserError(f"{target}: folder {folder} does not exist")
    model = _load_model(args.model, load_model)
    opts = dict(window=args.window, hop=args.hop, smooth=args.smooth,
                vad=not args.no_vad, batch_size=64)
    if stdin:
        gen = iter_timeline(model, _stdin_chunks(args.sr), args.sr, **opts)
    else:
        gen = _iter_file(model, args.audio, block_frames=1 << 18, **opts)
    live = args.stream or stdin
    columns = ["start", "end", "label", *[f"p_{c}" for c in model.classes_]]
    if live or not args.out:
        _write_csv(sys.stdout, columns, [], header=True)
    segments, error = [], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            while True:
                seg = next(gen)
                segments.append(seg)
                if live:
                    _write_csv(sys.stdout, columns, [seg], header=False)
                    sys.stdout.flush()
        except StopIteration as stop:
            tl = stop.value
        except TimelineReadError as exc:
            tl, error = exc.timeline, exc
    if not live and not args.out:
        _write_csv(sys.stdout, columns, tl.segments, header=False)
    if args.out:
        tl.to_csv(args.out)
    if args.plot:
        from .plotting import plot_timeline

        plot_timeline(tl, path=args.plot, title=os.path.basename(args.audio))
    written = ", ".join(p for p in (args.out, args.plot) if p)
    if error is not None:
        raise UserError(
            f"{_one_line(error)} ({len(tl)} segment(s) before the damage"
            + (f" written to {written})" if written else ")")
        )
    _log(args, f"{len(tl)} segment(s), {tl.speech_seconds():.1f} s of speech in "
         f"{tl.duration:.1f} s of audio" + (f"; wrote {written}" if written else ""))
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


def _emit(args, path, classes, label, proba, quality, notes):
    """One line per file: label and probabilities, then what to know."""
    if args.json:
        rec = {"file": path, "label": None if quality.no_speech else to_builtin(label)}
        if proba is not None:
            rec["probabilities"] = {
                str(c): round(float(p), 6) for c, p in zip(classes, proba)
            }
        q = quality.to_dict()
        rec["quality"] = {
            k: q[k]
            for k in ("duration", "peak", "loudest_frame_dbfs", "flags", "no_speech")
        }
        rec["notes"] = notes
        print(json.dumps(rec), flush=True)
        return
    if quality.no_speech:
        text = "no speech"
    else:
        text = str(label)
        if proba is not None:
            text += "  " + " ".join(f"{c}={p:.3f}" for c, p in zip(classes, proba))
    if notes:
        text += "\t[" + "; ".join(notes) + "]"
    print(f"{path}\t{text}", flush=True)




def _load_model(path, load_model):
    if not os.path.exists(path):
        raise UserError(f"{path}: no such model file")
    return load_model(path)


def _one_line(exc):
    """The whole message of ``exc`` folded onto one line (never truncated)."""
    text = " ".join(part.strip() for part in str(exc).strip().splitlines())
    return text or type(exc).__name__


# TensorFlow's C++ start-up logging, written to the process' stderr before
# TF_CPP_MIN_LOG_LEVEL is read (absl "before InitializeLog"), plus known
# harmless notices. Anything else on stderr passes through.
_TF_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|[IW]\d{4} [\d:.]+\s+\d+ \S+:\d+\] "
    r"|E\d{4} [\d:.]+\s+\d+ \S+:\d+\] failed call to cuInit"
    r"|.*(Could not find cuda drivers|NodeDef mentions attribute "
    r"use_unbounded_threadpool|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered|TF-TRT Warning|cpu_feature_guard"
    r"|oneDNN custom operations are on))"
    r"|To enable the following instructions: .* rebuild TensorFlow"
)


class _FilteredStderr:
    """Route file descriptor 2 through a thread that drops TensorFlow noise.

    C++ logging bypasses ``sys.stderr``, so it is filtered at the descriptor;
    used only when ``sys.stderr`` is the process' real stderr.
    """

    def __enter__(self):
        sys.stderr.flush()
        self._real = os.dup(2)
        read, write = os.pipe()
        os.dup2(write, 2)
        os.close(write)
        self._thread = threading.Thread(target=self._pump, args=(read,), daemon=True)
        self._thread.start()
        return self

    def _pump(self, read):
        with os.fdopen(read, "rb") as pipe:
            for line in pipe:
                if not _TF_NOISE.match(line.decode("utf-8", "replace")):
                    os.write(self._real, line)

    def __exit__(self, *exc):
        sys.stderr.flush()
        os.dup2(self._real, 2)  # closes our end of the pipe
        # child processes (joblib workers) may still hold it: do not wait long
        self._thread.join(timeout=0.5)
        return False


def _real_stderr():
    try:
        return sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        return False


def _one_line_warnings(command):
    """``warnings.showwarning`` printing one ``warning:`` line, once per text."""
    seen = set()

    def show(message, category, filename, lineno, file=None, line=None):
        text = _one_line(message)
        if text in seen:
            return
        seen.add(text)
        print(f"{PROG} {command}: warning: {text}", file=sys.stderr, flush=True)

    return show


def main(argv=None):
    """Run the command line; returns the exit code (``sys.exit(main())``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False)
    if not verbose:
        # read by TensorFlow when it is imported (lazily, by Keras models)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if verbose or not _real_stderr():
        return _run(args)
    with _FilteredStderr():
        return _run(args)


def _run(args):
    debug = os.environ.get("SER_DEBUG") == "1"
    verbose = getattr(args, "verbose", False)
    try:
        with warnings.catch_warnings():
            from .model_selection import SpeakerIndependenceWarning

            if not verbose:
                warnings.showwarning = _one_line_warnings(args.command)
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", PendingDeprecationWarning)
                warnings.simplefilter("ignore", FutureWarning)
            # printed as "note:" lines / in the result instead of as warnings
            warnings.simplefilter("ignore", SpeakerIndependenceWarning)
            return args.func(args)
    except (UserError, ValueError, OSError, ImportError, KeyError) as exc:
        if debug:
            raise
        msg = _one_line(exc)
        if isinstance(exc, KeyError):
            msg = f"missing key {msg}"
        print(f"{PROG} {args.command}: error: {msg}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
