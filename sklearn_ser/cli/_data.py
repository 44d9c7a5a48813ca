"""What train and evaluate share: the corpus, the pipeline, the protocol, the checks.

:func:`_prepare` checks ``--out``, builds the named pipeline, resolves the
protocol, loads the corpus (with ``--speakers`` and ``--limit``) and checks a
speaker-independent protocol has speakers, in that order, so a bad argument
fails before any training.
"""

import ast
import os

import numpy as np

from ._output import UserError, _log


def _prepare(args, *, out_is_dir):
    """``(pipe, protocol, X, y, groups)`` of a train or evaluate command."""
    _check_writable(args.out, is_dir=out_is_dir)
    spec, pipe = _build_pipeline(args)
    proto = _protocol_name(args, spec)
    X, y, groups = _load_corpus(args)
    _check_speakers(args, groups, proto)
    _check_adaptive_groups(args, groups)
    return pipe, proto, X, y, groups


def _load_corpus(args):
    from ..datasets._registry import get_corpus_spec, load_corpus

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
    from ..model_selection import get_protocol

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
    from ..pipelines import get_pipeline, get_pipeline_spec

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
    params = pipe.get_params(deep=True)
    keys = [k for k in params if k.endswith("__verbose")]
    # scikit-learn's own steps (Pipeline, ColumnTransformer) take a bool
    pipe.set_params(**{k: False if isinstance(params[k], bool) else 0 for k in keys})


def _protocol_name(args, spec):
    name = args.protocol
    if name == "speaker":
        return spec.speaker_protocol
    if name == "paper":
        return spec.protocol
    return name


def _adapts(args):
    """Whether ``--pipeline`` adapts to speakers (needs their ids)."""
    from ..pipelines import get_pipeline_spec

    return get_pipeline_spec(args.pipeline).adapts_to_speaker


def _routing(enabled):
    """scikit-learn's metadata routing for a speaker-adaptive model (its
    ``groups`` reach the speaker normaliser and the self-training step)."""
    import contextlib

    import sklearn

    if not enabled:
        return contextlib.nullcontext()
    return sklearn.config_context(enable_metadata_routing=True)


def _check_adaptive_groups(args, groups):
    if _adapts(args) and groups is None:
        raise UserError(
            f"pipeline {args.pipeline!r} adapts to each speaker, so it needs the "
            f"speaker of every training file: --corpus {args.corpus} gives none"
            + (" (pass --speaker-regex RE)" if args.corpus == "folder" else "")
        )


def _load_model(path, load_model):
    if not os.path.exists(path):
        raise UserError(f"{path}: no such model file")
    return load_model(path)
