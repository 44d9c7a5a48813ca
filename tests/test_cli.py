"""The command line end to end on real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sklearn_ser._persistence import load_model
from sklearn_ser.cli import main
from sklearn_ser.datasets import load_sample


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "model.joblib"
    rc = main(
        [
            "train",
            "--corpus",
            "sample",
            "--pipeline",
            "mfcc-svm",
            "--protocol",
            "speaker",
            "--out",
            str(out),
            "-q",
        ]
    )
    assert rc == 0
    return out


def test_train_prints_held_out_table_and_saves(trained, capsys):
    model, header = load_model(trained, return_header=True)
    assert header["metadata"]["protocol"] == "speaker-holdout-67-33"
    assert header["metadata"]["n_files"] == 120
    assert set(header["classes"]) == set(load_sample().target)
    scores = header["metadata"]["test_scores"]
    assert 0 <= scores["accuracy"] <= 1
    # the saved model predicts quietly (progress was only for training)
    assert all(v == 0 for k, v in model.get_params().items() if k.endswith("__verbose"))


def test_train_output_format(tmp_path, capsys):
    out = tmp_path / "m.joblib"
    rc = main(
        [
            "train",
            "--corpus",
            "sample",
            "--protocol",
            "paper",
            "--limit",
            "64",
            "--set",
            "svc__estimator__C=10",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert rc == 0
    assert "held-out test part of s0-random-67-33" in captured.out
    assert "macro avg" in captured.out and f"saved {out}" in captured.out
    assert "corpus sample: 64 files, 8 classes" in captured.err
    assert "random split over files" in captured.err
    model = load_model(out)
    assert model.get_params()["svc__estimator__C"] == 10


def test_evaluate_writes_scores_and_pngs(tmp_path, capsys):
    out = tmp_path / "eval"
    rc = main(
        [
            "evaluate",
            "--corpus",
            "sample",
            "--pipeline",
            "mfcc-svm",
            "--protocol",
            "speaker-kfold",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert rc == 0
    assert "[speaker-independent]" in captured.out
    assert "weighted avg" in captured.out
    assert "[evaluate] fold 5" in captured.err
    data = json.loads((out / "scores.json").read_text())
    assert data["protocol"]["name"] == "speaker-kfold"
    assert data["n_folds"] == 5 and data["corpus"] == "sample"
    cm = np.array(data["confusion_matrix"])
    assert cm.sum() == 120
    assert data["pooled_scores"]["accuracy"] == pytest.approx(np.trace(cm) / 120)
    # every fold tests whole speakers unseen in training
    assert all(f["n_shared_speakers"] == 0 for f in data["folds"])
    for name in (
        "confusion_matrix",
        "confusion_matrix_normalized",
        "precision_recall",
        "roc",
    ):
        png = (out / f"{name}.png").read_bytes()
        assert png[:4] == b"\x89PNG" and len(png) > 5000
    assert "| **macro avg** |" in (out / "report.md").read_text()


@pytest.mark.data
def test_evaluate_ravdess_actor_subset(ravdess_root, tmp_path, capsys):
    out = tmp_path / "rav"
    rc = main(
        [
            "evaluate",
            "--corpus",
            "ravdess",
            "--data-home",
            str(ravdess_root),
            "--speakers",
            "1,2,3,4,5,6",
            "--pipeline",
            "mfcc-tree",
            "--protocol",
            "loso",
            "--out",
            str(out),
            "-q",
        ]
    )
    assert rc == 0
    data = json.loads((out / "scores.json").read_text())
    assert data["n_folds"] == 6
    assert sum(f["n_test"] for f in data["folds"]) == 360


@pytest.mark.data
def test_predict_good_and_bad_files(trained, bad_inputs_dir, capsys):
    good = sorted(
        str(p) for p in Path(load_sample().filenames[0]).parent.glob("*.flac")
    )[:3]
    bad = [str(bad_inputs_dir / "empty.wav"), str(bad_inputs_dir / "text_named.wav")]
    files = [good[0], bad[0], good[1], bad[1], good[2]]
    rc = main(["predict", str(trained), *files])
    captured = capsys.readouterr()
    assert rc == 1
    lines = captured.out.strip().splitlines()
    assert [ln.split("\t")[0] for ln in lines] == good
    model = load_model(trained)
    expected = model.predict(np.asarray(good, dtype=object))
    proba = model.predict_proba(np.asarray(good, dtype=object))
    for ln, lab, p in zip(lines, expected, proba):
        path, rest = ln.split("\t")
        assert rest.split()[0] == lab
        shown = dict(kv.split("=") for kv in rest.split()[1:])
        np.testing.assert_allclose(
            [float(shown[str(c)]) for c in model.classes_], p, atol=5e-4
        )
    errors = [ln for ln in captured.err.splitlines() if ": error: " in ln]
    assert len(errors) == 2
    assert bad[0] in errors[0] and "empty" in errors[0]
    assert bad[1] in errors[1]
    assert "2 of 5 file(s) failed" in captured.err
    assert "Traceback" not in captured.err


def test_predict_json_all_good(trained, capsys):
    files = list(load_sample().filenames[:2])
    assert main(["predict", str(trained), "--json", *files]) == 0
    recs = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in recs] == files
    assert all(abs(sum(r["probabilities"].values()) - 1) < 1e-3 for r in recs)


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["train", "--corpus", "nope", "--out", "x"], "invalid choice: 'nope'"),
        (["train", "--corpus", "sample"], "required: --out"),
        (
            ["evaluate", "--corpus", "sample", "--limit", "0", "--out", "x"],
            "expected a positive integer",
        ),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, needle, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0]


@pytest.mark.parametrize(
    "argv,needle",
    [
        (
            [
                "train",
                "--corpus",
                "tess",
                "--data-home",
                "/nonexistent/dir",
                "--out",
                "x",
            ],
            "/nonexistent/dir",
        ),
        (
            ["train", "--corpus", "tess", "--data-home", "/nonexistent/dir"]
            + ["--out", "x"],
            # the whole message, folded onto the one line: how to fix it too
            "set the SER_DATA environment variable",
        ),
        (
            ["train", "--corpus", "sample", "--pipeline", "nope", "--out", "x"],
            "Unknown pipeline",
        ),
        (
            ["evaluate", "--corpus", "sample", "--protocol", "nope", "--out", "{tmp}"],
            "Unknown protocol",
        ),
        (
            ["train", "--corpus", "sample", "--set", "svc__bogus=1", "--out", "x"],
            "Unknown parameter",
        ),
        (["predict", "/nonexistent/model.joblib", "a.wav"], "no such model file"),
        (["train", "--corpus", "folder", "--out", "x"], "needs --data-home"),
    ],
)
def test_user_errors_exit_1_with_one_line(argv, needle, capsys, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv + ["-q"] if argv[0] != "predict" else argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0] and "Traceback" not in err[0]


@pytest.mark.parametrize("cmd", [[], ["train"], ["evaluate"], ["predict"], ["list"]])
def test_help_on_every_command(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*cmd, "--help"])
    assert exc.value.code == 0
    assert "usage: sklearn-ser" in capsys.readouterr().out


def test_module_entry_point_and_lazy_tensorflow():
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    r = subprocess.run(
        [sys.executable, "-m", "sklearn_ser", "predict", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0 and "usage: sklearn-ser predict" in r.stdout
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sklearn_ser.cli as c; c.main(['list']);"
            "print('tensorflow' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0
    for word in (
        "mfcc-svm",
        "stft-emotionunet",
        "speaker-kfold",
        "s2-random-65-10-25",
        "ravdess_tess",
    ):
        assert word in r.stdout
    assert r.stdout.strip().endswith("False")


def test_evaluate_keras_pipeline_uses_validation_and_draws_curves(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    out = tmp_path / "dense"
    rc = main(
        [
            "evaluate",
            "--corpus",
            "sample",
            "--pipeline",
            "mfcc-dense",
            "--protocol",
            "speaker-holdout-65-10-25",
            "--epochs",
            "3",
            "--set",
            "denseclassifier__hidden_layer_sizes=(16,)",
            "--out",
            str(out),
            "-q",
        ]
    )
    assert rc == 0
    data = json.loads((out / "scores.json").read_text())
    fold = data["folds"][0]
    assert fold["used_validation"] and fold["n_validation"] > 0
    assert len(fold["history"]["loss"]) == 3 and len(fold["history"]["val_loss"]) == 3
    png = (out / "training_curves.png").read_bytes()
    assert png[:4] == b"\x89PNG" and len(png) > 5000


def test_pipeline_registry_entries_build_and_point_at_real_protocols():
    from sklearn_ser.model_selection import get_protocol
    from sklearn_ser.pipelines import get_pipeline, list_pipelines

    specs = list_pipelines()
    assert {
        "mfcc-svm",
        "mfcc-tree",
        "mfcc-autoencoder-svm",
        "spectrogram-alexnet",
        "spectrogram-squeezenet",
        "spectrogram-mobilenet",
        "spectrogram-resnet50",
        "stft-emotionunet",
        "mfcc-dense",
        "lmfb-dense",
        "mfcc-lstm",
        "music-lstm",
        "music-cnn20",
        "mfcc-windows-gru",
    } <= set(specs)
    for name, spec in specs.items():
        # paper "" = a toolkit system, evaluated speaker-independently only
        assert spec.description and spec.paper in {"", "S0", "S1", "S2", "S3", "S4"}
        assert not get_protocol(spec.protocol).speaker_independent or spec.paper in {
            "S1",
            "",
        }
        assert get_protocol(spec.speaker_protocol).speaker_independent
    pipe = get_pipeline("mfcc-tree", decisiontreeclassifier__max_depth=3)
    assert pipe.get_params()["decisiontreeclassifier__max_depth"] == 3
    assert pipe.steps[1][1].stats == ("mean",)  # S0: mean MFCC vector
    assert get_pipeline("mfcc-tree") is not get_pipeline("mfcc-tree")
    with pytest.raises(ValueError, match="Unknown pipeline.*Received: pipeline='x'"):
        get_pipeline("x")


def test_keras_pipelines_build():
    pytest.importorskip("tensorflow")
    from sklearn_ser.pipelines import get_pipeline, list_pipelines

    for name, spec in list_pipelines().items():
        if spec.uses_keras:
            pipe = get_pipeline(name, random_state=1)
            seeds = {
                k: v for k, v in pipe.get_params().items() if k.endswith("random_state")
            }
            assert seeds and set(seeds.values()) == {1}, (name, seeds)
