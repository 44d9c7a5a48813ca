"""The argument parser: commands, their options, names checked before any work.

Unknown corpus, pipeline and protocol names are argparse errors (exit 2, one
line, "did you mean"), checked against the registries before any data is
read; the registries are read without importing TensorFlow.
"""

import argparse
import difflib

from ..datasets._registry import list_corpora
from ._commands import _cmd_evaluate, _cmd_list, _cmd_train
from ._output import PROG
from ._predict import _cmd_predict, _cmd_timeline

#: ``train`` / ``evaluate``'s pipeline when --pipeline is not given: the best
#: strict (speaker-independent) row of benchmarks/speaker_independent.py
DEFAULT_PIPELINE = "compare-vote-speed"


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
    from ..pipelines import list_pipelines

    return list(list_pipelines())


def _protocol_names(allow_all):
    from ..model_selection import PROTOCOL_ALIASES, list_protocols

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
        default=DEFAULT_PIPELINE,
        type=_choice("pipeline", _pipeline_names()),
        metavar="NAME",
        help=f"named pipeline (see `list`; default: {DEFAULT_PIPELINE}, the most "
        "accurate on speakers never heard; compare-logreg trains about 14 times "
        "faster, 8-15 points of UAR lower; compare-vote-enrol adapts to each "
        "speaker given to predict --speaker)",
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
    who = p.add_argument_group(
        "speaker (for models that adapt to speakers, e.g. compare-vote-enrol)"
    )
    who.add_argument(
        "--speaker",
        metavar="NAME",
        help="every file is this one person's: the model adapts to them "
        "from all the files at once (more files, better adaptation)",
    )
    who.add_argument(
        "--speaker-regex",
        metavar="RE",
        help="read each file's speaker from its name (first group, or a group "
        "named 'speaker'; e.g. '^([a-z]+)_')",
    )
    _add_output_options(p)
    p.set_defaults(func=_cmd_predict)
    _add_timeline_parser(sub)
    return parser


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


def _version():
    from .. import __version__

    return __version__
