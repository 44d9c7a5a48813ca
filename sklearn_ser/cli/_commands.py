"""The ``list``, ``train`` and ``evaluate`` commands."""

import json
import os
import time

import numpy as np

from ..datasets._registry import list_corpora
from ._data import _adapts, _prepare, _quiet, _routing
from ._output import _log


def _cmd_list(args):
    from ..model_selection import PROTOCOL_ALIASES, list_protocols
    from ..pipelines import list_pipelines

    print("pipelines:")
    for name, spec in list_pipelines().items():
        print(f"  {name:<24} {spec.paper}  {spec.description}")
        if spec.adapts_to_speaker:
            print(
                f"  {'':<24}     adapts to speakers: give predict --speaker "
                "(all files of one person) or --speaker-regex"
            )
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
    pipe, proto, X, y, groups = _prepare(args, out_is_dir=False)
    with _routing(_adapts(args)):
        return _train(args, pipe, proto, X, y, groups)


def _train(args, pipe, proto, X, y, groups):
    from .._persistence import save_model
    from ..metrics import classification_table, score_all
    from ..model_selection import (
        fit_with_validation,
        get_protocol,
        predict_with_proba,
    )
    from ..utils._groups import fit_groups_kw

    adapts = _adapts(args)
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
        pipe.fit(X, y, **fit_groups_kw(pipe, groups))
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
        g = fit_groups_kw(pipe, None if groups is None else groups[train])
        g_val = groups[val] if adapts and len(val) else None
        fit_with_validation(
            pipe,
            X[train],
            y[train],
            X[val] if len(val) else None,
            y[val],
            groups_val=g_val,
            **g,
        )
        y_pred, proba = predict_with_proba(
            pipe, X[test], groups=groups[test] if adapts else None
        )
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
    pipe, proto, X, y, groups = _prepare(args, out_is_dir=True)
    if _adapts(args):
        _log(
            args,
            f"note: {args.pipeline} adapts to each test speaker from all of that "
            "speaker's test files at once (transductive, as in enrolment): report "
            "its scores apart from those of strict pipelines",
        )
    with _routing(_adapts(args)):
        result = _evaluate(args, pipe, proto, X, y, groups)
    _write_evaluation(args, result)
    return 0


def _evaluate(args, pipe, proto, X, y, groups):
    from ..model_selection import evaluate

    return evaluate(
        pipe,
        X,
        y,
        groups,
        protocol=proto,
        n_jobs=args.n_jobs,
        verbose=0 if args.quiet else 1,
        random_state=args.seed,
    )


def _write_evaluation(args, result):
    print(result.summary())
    print()
    print(result.table().to_text())
    data = result.to_dict()
    data.update(
        {
            "corpus": args.corpus,
            "pipeline": args.pipeline,
            "overrides": args.overrides,
            "transductive": _adapts(args),
        }
    )
    with open(os.path.join(args.out, "scores.json"), "w") as f:
        json.dump(data, f, indent=2)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(
            f"# {args.pipeline} on {args.corpus}\n\n```\n{result.summary()}\n```\n\n"
        )
        f.write(result.table().to_markdown() + "\n")
    try:
        from ..plotting import save_all_figures

        written = save_all_figures(result, args.out)
    except ImportError as exc:
        _log(args, f"warning: no figures written ({exc})")
        written = {}
    files = ["scores.json", "report.md"] + [
        os.path.basename(p) for p in written.values()
    ]
    print(f"\nwrote {', '.join(files)} into {args.out}")
