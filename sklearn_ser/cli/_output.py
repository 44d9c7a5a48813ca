"""What the command line prints: one-line errors and warnings, filtered stderr.

Every user error is one line (:class:`UserError`, exit 1); warnings become
one ``warning:`` line each; TensorFlow's C++ start-up logging is dropped at
file descriptor 2 (:class:`_FilteredStderr`) unless ``--verbose``.
"""

import json
import os
import re
import sys
import threading

from ..utils._validation import to_builtin

PROG = "sklearn-ser"


class UserError(Exception):
    """An error caused by the user's input: reported as one line, exit 1."""


def _log(args, msg):
    if not getattr(args, "quiet", False):
        print(msg, file=sys.stderr, flush=True)


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
