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
            "--pipeline",
            "mfcc-svm",
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
        (["train", "--corpus", "nope", "--out", "x"], "unknown corpus 'nope'"),
        (["train", "--corpus", "sample"], "required: --out"),
        (
            ["evaluate", "--corpus", "sample", "--limit", "0", "--out", "x"],
            "expected a positive integer",
        ),
        (["frobnicate"], "invalid choice"),
        (
            ["train", "--corpus", "sample", "--pipeline", "nope", "--out", "x"],
            "unknown pipeline 'nope'",
        ),
        (
            ["evaluate", "--corpus", "sample", "--protocol", "nope", "--out", "x"],
            "unknown protocol 'nope'",
        ),
        (
            ["evaluate", "--corpus", "sample", "--protocol", "all", "--out", "x"],
            "unknown protocol 'all'",  # only train fits on everything
        ),
        (
            ["train", "--corpus", "sample", "--on-bad-name", "skip", "--out", "x"],
            "invalid choice: 'skip'",
        ),
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
            [
                "train",
                "--corpus",
                "sample",
                "--pipeline",
                "mfcc-svm",
                "--set",
                "svc__bogus=1",
                "--out",
                "x",
            ],
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


def test_compare_vote_speed_is_the_benchmarks_best_strict_row():
    """The registered pipeline has the row's parts: four LogReg heads on
    ComParE (PCA <= 300, C=0.001), eGeMAPS, MFCC statistics and log-Mel
    functionals (PCA <= 300, C=0.001), a vote tempered across the training
    speakers, 0.9x / 1.1x speed-perturbed and +-2-semitone pitch-shifted
    copies at fit time only (each with its original's speaker), every recording cut to its speech (silence and
    pauses) and scaled to a fixed loudness before the features."""
    from sklearn_ser.augment import AugmentedClassifier, SpeedPerturbation
    from sklearn_ser.ensemble import TemperedVotingClassifier
    from sklearn_ser.pipelines import get_pipeline
    from sklearn_ser.preprocessing import LoudnessNormalizer, TrimSilence

    pipe = get_pipeline("compare-vote-speed", random_state=3)
    assert isinstance(pipe, AugmentedClassifier)
    assert isinstance(pipe.augmenter, SpeedPerturbation)
    assert tuple(pipe.augmenter.rates) == (0.9, 1.1)
    assert tuple(pipe.augmenter.semitones) == (2.0, -2.0)
    assert pipe.groups_param == "vote__groups"
    trim, loudness, features, vote = (step for _, step in pipe.estimator.steps)
    assert isinstance(trim, TrimSilence) and trim.active_db == 35.0 and trim.pauses
    assert isinstance(loudness, LoudnessNormalizer) and loudness.target_db == -25.0
    assert isinstance(vote, TemperedVotingClassifier)
    assert (vote.cv, vote.min_groups) == (5, 3)
    members = dict(vote.estimators)
    assert list(members) == ["compare", "egemaps", "mfcc", "logmel"]
    params = pipe.get_params()
    assert params["estimator__features__compare__feature_set"] == "ComParE_2016"
    assert params["estimator__features__egemaps__feature_set"] == "eGeMAPSv02"
    assert params["estimator__features__logmel__active_db"] == 35.0
    for head in ("compare", "logmel"):
        assert params[f"estimator__vote__{head}__cappedpca__n_components"] == 300
        assert params[f"estimator__vote__{head}__cappedpca__random_state"] == 3
        assert params[f"estimator__vote__{head}__logisticregression__C"] == 0.001
    for head in ("egemaps", "mfcc"):
        assert params[f"estimator__vote__{head}__logisticregression__C"] == 0.1
    for head in ("compare", "egemaps", "mfcc", "logmel"):
        assert params[f"estimator__vote__{head}__logisticregression__class_weight"] == (
            "balanced"
        )
    # each head reads its own block of the feature union's columns
    X = np.arange(7437, dtype=float)[None, :]
    first = {
        name: int(head[0].fit_transform(X)[0, 0]) for name, head in members.items()
    }
    assert first == {"compare": 0, "egemaps": 6373, "mfcc": 6461, "logmel": 6541}


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


# --------------------------------------------------------------------------- #
# The command line speaks command line (issue 9, point 6)
# --------------------------------------------------------------------------- #


def _cli(*argv, env=None, timeout=300):
    """Run the real entry point, ``python -m sklearn_ser``."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "sklearn_ser", *argv],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def test_unknown_names_exit_2_before_the_corpus_loads_with_a_suggestion():
    # the corpus does not exist: had it been loaded first, this would be
    # "tess not found" with exit 1
    r = _cli(
        "train", "--corpus", "tess", "--data-home", "/nonexistent/dir",
        "--pipeline", "MFCC-SVN", "--out", "m.joblib",
    )  # fmt: skip
    assert r.returncode == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "unknown pipeline 'MFCC-SVN'" in err[0]
    assert "did you mean 'mfcc-svm'" in err[0] and "not found" not in err[0]
    r = _cli(
        "evaluate", "--corpus", "tess", "--data-home", "/nonexistent/dir",
        "--protocol", "speaker-kfld", "--out", "out",
    )  # fmt: skip
    assert r.returncode == 2
    assert "did you mean 'speaker-kfold'" in r.stderr


def test_names_are_case_insensitive():
    from sklearn_ser.cli import build_parser

    args = build_parser().parse_args(
        ["evaluate", "--corpus", "Sample", "--pipeline", "MFCC-Tree"]
        + ["--protocol", "Speaker-KFold", "--out", "x"]
    )
    assert (args.corpus, args.pipeline, args.protocol) == (
        "sample",
        "mfcc-tree",
        "speaker-kfold",
    )


def test_missing_corpus_names_the_flag_and_the_variable(tmp_path):
    r = _cli("train", "--corpus", "ravdess", "--data-home", str(tmp_path), "--out",
             str(tmp_path / "m.joblib"), "-q")  # fmt: skip
    assert r.returncode == 1
    err = r.stderr.strip().splitlines()
    assert len(err) == 1, err
    assert str(tmp_path) in err[0]
    assert "--data-home DIR" in err[0] and "SER_DATA" in err[0]
    # no Python calls offered to a shell user
    assert "load_ravdess(" not in err[0] and "data_home=" not in err[0]


def test_unwritable_out_is_found_before_anything_loads(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    r = _cli("train", "--corpus", "sample", "--out", str(blocker / "m.joblib"))
    assert r.returncode == 1
    assert "--out" in r.stderr and "cannot write there" in r.stderr
    assert "corpus sample:" not in r.stderr  # the corpus was never loaded
    r = _cli("evaluate", "--corpus", "sample", "--out", str(blocker / "eval"))
    assert r.returncode == 1 and "cannot write there" in r.stderr


@pytest.fixture
def folder_corpus(tmp_path):
    """Real RAVDESS clips laid out one sub-folder per class, 4 classes."""
    bunch = load_sample()
    root = tmp_path / "by_class"
    for path, label in zip(bunch.filenames, bunch.target):
        if label in ("angry", "calm", "sad", "happy"):
            (root / label).mkdir(parents=True, exist_ok=True)
            os.symlink(path, root / label / Path(path).name)
    return root


def test_folder_corpus_without_speakers_suggests_speaker_regex(folder_corpus, tmp_path):
    out = str(tmp_path / "m.joblib")
    r = _cli("train", "--corpus", "folder", "--data-home", str(folder_corpus),
             "--pipeline", "mfcc-tree", "--out", out, "-q")  # fmt: skip
    assert r.returncode == 1
    err = r.stderr.strip().splitlines()
    assert len(err) == 1
    assert "--speaker-regex" in err[0] and "--protocol paper" in err[0]
    assert "groups=None" not in err[0]
    # following the advice works: RAVDESS names end with the actor number
    r = _cli("train", "--corpus", "folder", "--data-home", str(folder_corpus),
             r"--speaker-regex=-(\d\d)$", "--pipeline", "mfcc-tree",
             "--out", out)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "corpus folder: 64 files, 4 classes, 8 speakers" in r.stderr
    assert "speaker-holdout-67-33" in r.stdout


def test_bad_file_names_point_to_the_on_bad_name_flag(tmp_path):
    bunch = load_sample()
    root = tmp_path / "ravdess_speech"
    for path, group in zip(bunch.filenames, bunch.groups):
        (root / group).mkdir(parents=True, exist_ok=True)
        os.symlink(path, root / group / Path(path).name)
    stray = root / "Actor_01" / "take_2.flac"
    os.symlink(bunch.filenames[0], stray)
    argv = ["evaluate", "--corpus", "ravdess", "--data-home", str(tmp_path),
            "--pipeline", "mfcc-tree", "--protocol", "speaker-holdout-67-33",
            "--out", str(tmp_path / "eval")]  # fmt: skip
    r = _cli(*argv)
    assert r.returncode == 1
    assert str(stray) in r.stderr and "--on-bad-name warn" in r.stderr
    assert "on_bad_name=" not in r.stderr
    r = _cli(*argv, "--on-bad-name", "warn")
    assert r.returncode == 0, r.stderr
    warning = [ln for ln in r.stderr.splitlines() if "warning:" in ln]
    assert len(warning) == 1 and str(stray) in warning[0]
    assert "corpus ravdess: 120 files" in r.stderr


def test_cli_quickstart_and_benchmarks_read_one_registry(capsys):
    from sklearn_ser import quickstart
    from sklearn_ser.datasets._registry import list_corpora
    from sklearn_ser.pipelines import get_pipeline

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in list_corpora():
        assert f"  {name} " in out
    assert {"crema_d", "emodb", "turev_db"} <= set(list_corpora())
    # the quickstart builds a registry pipeline, not its own
    ours = quickstart.build_pipeline().get_params()
    registry = get_pipeline(quickstart.PIPELINE).get_params()
    assert {k: repr(v) for k, v in ours.items()} == {
        k: repr(v) for k, v in registry.items()
    }
    src = (Path(quickstart.__file__)).read_text()
    assert "SVC(" not in src and "MFCC(" not in src


# --------------------------------------------------------------------------- #
# predict says what a user must know per file (issue 9, point 4)
# --------------------------------------------------------------------------- #


@pytest.mark.data
def test_predict_flags_silent_short_and_clipped_files(trained, bad_inputs_dir):
    from sklearn_ser.io import inspect_audio

    names = {
        "silent": "silent_3s_16k.wav",
        "clipped": "tess_float44k_out_of_range_OAF_back_angry.wav",
        "short": "too_short_5ms_48k.wav",
        "good": "ravdess_original48k_03-01-01-01-01-01-01.wav",
    }
    files = {k: str(bad_inputs_dir / v) for k, v in names.items()}
    r = _cli("predict", str(trained), *files.values())
    assert r.returncode == 0, r.stderr
    lines = dict(ln.split("\t", 1) for ln in r.stdout.strip().splitlines())
    assert list(lines) == list(files.values())  # one line per file, in order
    silent = lines[files["silent"]]
    assert silent.startswith("no speech\t[silent: ")
    assert "-inf dBFS < -60 dBFS" in silent and "=" not in silent  # no label/proba
    short = lines[files["short"]]
    assert short.startswith("no speech\t") and "too short: 0.005 s" in short
    label, note = lines[files["clipped"]].split("\t")
    assert label.split()[0] in load_model(trained).classes_
    assert "clipped: peak 2.280" in note
    assert "\t" not in lines[files["good"]]  # nothing to report
    # the Python API gives the same words
    for path in files.values():
        text = inspect_audio(path).describe()
        assert (text in lines[path]) if text else "[" not in lines[path]
    assert r.stderr == ""  # the clipping warning is in the line, not repeated


@pytest.mark.data
def test_predict_json_carries_flags(trained, bad_inputs_dir, capsys):
    files = [
        str(bad_inputs_dir / "silent_3s_16k.wav"),
        str(bad_inputs_dir / "tess_float44k_out_of_range_YAF_beg_sad.wav"),
    ]
    assert main(["predict", "--json", str(trained), *files]) == 0
    silent, clipped = (json.loads(ln) for ln in capsys.readouterr().out.splitlines())
    assert silent["label"] is None and silent["quality"]["no_speech"]
    assert "probabilities" not in silent and silent["quality"]["flags"] == ["silent"]
    assert clipped["label"] is not None and "clipped" in clipped["quality"]["flags"]
    assert clipped["quality"]["peak"] == pytest.approx(2.167, abs=1e-3)


@pytest.mark.data
def test_predict_labels_a_long_recording_from_all_of_it(trained, data_root):
    music = sorted((data_root / "mer_4q").rglob("*.ogg"))
    if not music:
        pytest.skip(f"no mer_4q clips under {data_root}")
    r = _cli("predict", str(trained), str(music[0]))
    assert r.returncode == 0, r.stderr
    note = r.stdout.strip().split("\t")[2]
    assert "labelled from all 30.1 s: mean of" in note
    windows = int(note.split("mean of ")[1].split()[0])
    assert windows > 1  # more than the first window went into the label
    assert "sklearn-ser timeline" in note


# --------------------------------------------------------------------------- #
# Keras commands are quiet by default (issue 9, point 5)
# --------------------------------------------------------------------------- #

_TF_LINES = ("cuda", "cuInit", "NodeDef", "absl", "oneDNN", "I0000", "E0000")


def test_keras_predict_prints_no_tensorflow_noise(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    model = tmp_path / "dense.joblib"
    argv = ["train", "--corpus", "sample", "--pipeline", "mfcc-dense",
            "--protocol", "all", "--epochs", "1", "--out", str(model),
            "-q"]  # fmt: skip
    assert main(argv) == 0
    files = [str(f) for f in load_sample().filenames[:2]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    r = subprocess.run(
        [sys.executable, "-m", "sklearn_ser", "predict", str(model), *files],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == files
    assert r.stderr == "", r.stderr
    # --verbose gives TensorFlow its say again (whatever it has to say here);
    # loading a Keras model does not pay for skopt (the search space is lazy)
    code = (
        "import sys; from sklearn_ser.cli import main; "
        f"rc = main(['predict', '-v', {str(model)!r}, {files[0]!r}]); "
        "print('skopt' in sys.modules, rc)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    out = r.stdout.strip().splitlines()
    assert r.returncode == 0 and out, r.stderr[-2000:]
    assert out[0].startswith(files[0]) and out[-1] == "False 0"


def test_stderr_filter_drops_only_tensorflow_noise():
    from sklearn_ser.cli import _TF_NOISE

    noise = [
        "WARNING: All log messages before absl::InitializeLog() is called are "
        "written to STDERR",
        "I0000 00:00:1796098639.628547    7430 cudart_stub.cc:31] Could not find "
        "cuda drivers on your machine, GPU will not be used.",
        "E0000 00:00:1796098653.382759    7430 cuda_platform.cc:52] failed call to "
        "cuInit: INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)",
        "W0000 00:00:1796098700.1 7430 op_level_cost_estimator.cc:699] Error in "
        'PredictCost() for the op: op: "NodeDef mentions attribute '
        "use_unbounded_threadpool which is not in the op definition",
    ]
    kept = [
        "sklearn-ser predict: error: a.wav: file is empty (0 bytes)",
        "E0000 00:00:1.0 1 some_kernel.cc:10] Out of memory while allocating",
        "Traceback (most recent call last):",
    ]
    assert all(_TF_NOISE.match(x) for x in noise)
    assert not any(_TF_NOISE.match(x) for x in kept)


@pytest.fixture(scope="module")
def enrol_model(tmp_path_factory):
    """compare-vote-enrol trained on six of the sample's eight actors."""
    out = tmp_path_factory.mktemp("enrol") / "enrol.joblib"
    argv = ["train", "--corpus", "sample", "--pipeline", "compare-vote-enrol",
            "--speakers", "1,2,3,4,5,6", "--protocol", "all", "--out", str(out),
            "-q"]  # fmt: skip
    assert main(argv) == 0
    return out


def _sample_files(actor):
    bunch = load_sample()
    return [str(f) for f, g in zip(bunch.filenames, bunch.groups) if g == actor]


def _predict_json(capsys, *argv):
    rc = main(["predict", "--json", *argv])
    captured = capsys.readouterr()
    recs = [json.loads(ln) for ln in captured.out.splitlines()]
    return rc, {r["file"]: r for r in recs}, captured.err


def test_enrolment_model_adapts_to_all_files_of_the_speaker(enrol_model, capsys):
    """``predict --speaker``: the new voice's files are standardised with
    their own statistics and self-trained on as one batch, so a file's
    probabilities depend on the speaker's other files; a file alone falls
    back to the typical training speaker (said on stderr)."""
    files = _sample_files("Actor_07")
    rc, batch, err = _predict_json(capsys, str(enrol_model), *files, "--speaker", "me")
    assert rc == 0
    assert list(batch) == files
    assert "speaker me: 15 file(s), standardised with its own statistics" in err
    assert "fewer than" not in err
    # benchmarks/results/enrolment_size.md: too few files for adaptation to help
    rc, _, err = _predict_json(capsys, str(enrol_model), *files[:4], "--speaker", "me")
    assert rc == 0 and "speaker me: 4 file(s)" in err
    assert "fewer than 8 recordings" in err and "compare-vote-speed" in err
    rc, alone, err = _predict_json(
        capsys, str(enrol_model), files[0], "--speaker", "me"
    )
    assert rc == 0
    assert "one file: standardised with the typical training speaker" in err
    p_batch = np.array(list(batch[files[0]]["probabilities"].values()))
    p_alone = np.array(list(alone[files[0]]["probabilities"].values()))
    assert np.abs(p_batch - p_alone).max() > 1e-3
    # two speakers in one call: each is adapted with its own files only
    both = files + _sample_files("Actor_08")
    rc, mixed, err = _predict_json(
        capsys, str(enrol_model), *both, r"--speaker-regex=-(\d\d)$"
    )
    assert rc == 0
    assert "speaker 07: 15 file(s)" in err and "speaker 08: 15 file(s)" in err
    assert set(mixed) == set(both)
    # enough files of one speaker: no advice
    rc, _, err = _predict_json(capsys, str(enrol_model), *both, "--speaker", "me")
    assert rc == 0 and "speaker me: 30 file(s)" in err and "fewer than" not in err


def test_enrolment_model_needs_the_speaker(enrol_model, trained, capsys):
    files = _sample_files("Actor_07")[:3]
    assert main(["predict", str(enrol_model), *files]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--speaker NAME" in err[0] and "--speaker-regex" in err[0]
    assert main(["predict", str(enrol_model), *files, "--speaker-regex", "zz(x)"]) == 1
    err = capsys.readouterr().err
    assert files[0] in err and "does not match the file name" in err
    # a model that does not adapt says so instead of ignoring the flag
    assert main(["predict", str(trained), *files, "--speaker", "me"]) == 1
    err = capsys.readouterr().err
    assert "--speaker" in err and "does not adapt to speakers" in err


def test_enrolment_pipeline_needs_speakers_to_train(folder_corpus, tmp_path):
    out = str(tmp_path / "m.joblib")
    r = _cli("train", "--corpus", "folder", "--data-home", str(folder_corpus),
             "--pipeline", "compare-vote-enrol", "--protocol", "all",
             "--out", out, "-q")  # fmt: skip
    assert r.returncode == 1
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "adapts to each speaker" in err[0]
    assert "--speaker-regex" in err[0]


def test_compare_vote_enrol_heads_read_their_own_feature_block():
    """The vote's column blocks tile the feature union exactly: ComParE,
    eGeMAPS, MFCC mean + std, then log-Mel functionals, measured on real clips."""
    import sklearn

    from sklearn_ser.pipelines import get_pipeline, list_pipelines
    from sklearn_ser.preprocessing import (
        LoudnessNormalizer,
        SpeakerNormalizer,
        TrimSilence,
    )
    from sklearn_ser.semi_supervised import TransductiveSelfTraining

    assert list_pipelines()["compare-vote-enrol"].adapts_to_speaker
    assert not list_pipelines()["compare-vote-speed"].adapts_to_speaker
    pipe = get_pipeline("compare-vote-enrol")
    union = pipe.named_steps["features"]
    width = union.fit_transform(np.asarray(load_sample().filenames[:2])).shape[1]
    vote = pipe.named_steps["selftraining"].estimator
    blocks = {}
    for name, head in vote.estimators:
        ((_, _, block),) = head.steps[0][1].transformers
        blocks[name] = block
    assert list(blocks) == ["compare", "egemaps", "mfcc", "logmel"]
    assert blocks["compare"].start == 0 and blocks["logmel"].stop == width
    assert blocks["egemaps"].start == blocks["compare"].stop
    assert blocks["mfcc"].start == blocks["egemaps"].stop
    assert blocks["logmel"].start == blocks["mfcc"].stop
    assert blocks["egemaps"].stop - blocks["egemaps"].start == 88
    trim, loudness = pipe.steps[0][1], pipe.steps[1][1]  # before the features
    assert isinstance(trim, TrimSilence) and trim.pauses
    assert isinstance(loudness, LoudnessNormalizer)
    assert isinstance(pipe.named_steps["speaker"], SpeakerNormalizer)
    assert pipe.named_steps["speaker"].mode == "transductive"
    assert isinstance(pipe.named_steps["selftraining"], TransductiveSelfTraining)
    with sklearn.config_context(enable_metadata_routing=True):
        routing = pipe.get_metadata_routing()
        assert "groups" in routing.consumes("fit", {"groups"})
        assert "groups" in routing.consumes("predict", {"groups"})


def test_train_default_is_the_best_strict_registered_pipeline():
    """``sklearn-ser train``'s default is the registered pipeline with the
    highest strict mean UAR in the committed benchmark on every protocol
    (issue 11, point 7)."""
    from sklearn_ser.cli._parser import DEFAULT_PIPELINE, build_parser

    args = build_parser().parse_args(["train", "--corpus", "sample", "--out", "m"])
    assert args.pipeline == DEFAULT_PIPELINE == "compare-vote-speed"
    results = Path(__file__).resolve().parents[1] / "benchmarks" / "results"
    table = json.loads((results / "speaker_independent_paper.json").read_text())
    rows = {r["row"]: r for r in table["rows"]}
    registered = {  # registry pipeline -> its benchmark row (same settings)
        "compare-logreg": "compare-logreg",
        "compare-vote-speed": (
            "compare-vote-speed tempered + pitch copies (registry settings)"
        ),
        "mfcc-svm": "mfcc-svm (baseline)",
    }
    for protocol in ("emobox-ravdess", "tess-loso", "cross-corpus"):
        uar = {
            name: rows[row]["results"][protocol]["uar"]["mean"]
            for name, row in registered.items()
        }
        assert rows[registered[DEFAULT_PIPELINE]]["regime"] == "strict"
        assert max(uar, key=uar.get) == DEFAULT_PIPELINE, (protocol, uar)


def test_evaluate_enrolment_pipeline_routes_speakers_and_says_transductive(
    tmp_path, capsys
):
    out = tmp_path / "ev"
    argv = ["evaluate", "--corpus", "sample", "--pipeline", "compare-vote-enrol",
            "--protocol", "speaker-holdout-67-33", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "adapts to each test speaker" in err and "transductive" in err
    data = json.loads((out / "scores.json").read_text())
    assert data["transductive"] is True
    assert data["folds"][0]["n_test"] == 45
