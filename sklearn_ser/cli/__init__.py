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

The package: :mod:`._parser` (commands and options), :mod:`._commands`
(list, train, evaluate), :mod:`._predict` (predict, timeline), :mod:`._data`
(corpus, pipeline and protocol of a run), :mod:`._output` (one-line errors
and warnings, TensorFlow's stderr noise filtered). Heavy imports (the
model-selection code, TensorFlow) happen inside the commands.
"""

import os
import sys
import warnings

# _TF_NOISE and build_parser stay importable from sklearn_ser.cli (tests, tools)
from ._output import (
    _TF_NOISE,
    PROG,
    UserError,
    _FilteredStderr,
    _one_line,
    _one_line_warnings,
    _real_stderr,
)
from ._parser import build_parser

__all__ = ["main"]


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
            from ..model_selection import SpeakerIndependenceWarning

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
