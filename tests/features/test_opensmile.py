"""OpenSmileFunctionals against openSMILE's own process_file, on real RAVDESS."""

import json
import subprocess
import sys

import numpy as np
import pytest

from sklearn_ser.features import OPENSMILE_FEATURE_SETS, OpenSmileFunctionals
from sklearn_ser.io import AudioLoadError, load_audio

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def few_ravdess(ravdess_files):
    # 4 actors, different emotions and lengths
    return [ravdess_files[i] for i in (0, 77, 500, 1439)]


_REFERENCE = """
import json, sys
import numpy as np
import opensmile
feature_set, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]
smile = opensmile.Smile(
    feature_set=getattr(opensmile.FeatureSet, feature_set),
    feature_level=opensmile.FeatureLevel.Functionals,
)
np.save(out, np.concatenate([smile.process_file(f).to_numpy() for f in files]))
with open(out + ".json", "w") as f:
    json.dump(list(smile.feature_names), f)
"""


def _reference(feature_set, files, tmp_path, prelude=""):
    """openSMILE's own ``process_file`` in a fresh interpreter.

    (openSMILE's library aborts when first loaded after TensorFlow, which
    other tests import into this process.)
    """
    out = str(tmp_path / f"ref_{feature_set}.npy")
    res = subprocess.run(
        [sys.executable, "-c", prelude + _REFERENCE, feature_set, out, *files],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    with open(out + ".json") as f:
        names = json.load(f)
    return np.load(out), names


@pytest.mark.parametrize("feature_set", ["eGeMAPSv02", "ComParE_2016"])
def test_matches_opensmile_process_file(feature_set, few_ravdess, tmp_path):
    """The corpus is 16 kHz 16-bit FLAC, so our decoding (soundfile, float32)
    and openSMILE's (audiofile) give the same samples: agreement is to float32
    rounding (rtol 1e-5, atol 1e-6; measured: identical)."""
    ref, names = _reference(feature_set, few_ravdess, tmp_path)
    est = OpenSmileFunctionals(feature_set=feature_set)
    out = est.fit_transform(few_ravdess)
    assert out.dtype == np.float32
    assert out.shape == (4, OPENSMILE_FEATURE_SETS[feature_set])
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(est.get_feature_names_out(), names)


def test_works_after_tensorflow_was_imported(few_ravdess, tmp_path):
    """openSMILE's library aborts when first loaded after TensorFlow; the
    transformer then runs it in worker processes, with the same numbers."""
    pytest.importorskip("tensorflow")
    ref, _ = _reference("eGeMAPSv02", few_ravdess[:2], tmp_path)
    code = (
        "import sys, numpy as np, tensorflow\n"
        "from sklearn_ser.features import OpenSmileFunctionals\n"
        "np.save(sys.argv[1], OpenSmileFunctionals().fit_transform(sys.argv[2:]))\n"
    )
    out = str(tmp_path / "after_tf.npy")
    res = subprocess.run(
        [sys.executable, "-c", code, out, *few_ravdess[:2]],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    np.testing.assert_allclose(np.load(out), ref, rtol=1e-5, atol=1e-6)


def test_worker_processes_leave_joblib_parallel_working(few_ravdess):
    """The worker processes are joblib's own pool: a process pool made by
    loky directly was reused by the next joblib.Parallel(n_jobs=2), which then
    failed with AttributeError (seen in CI, in evaluate(n_jobs=2))."""
    pytest.importorskip("tensorflow")
    code = (
        "import sys, tensorflow\n"
        "from joblib import Parallel, delayed\n"
        "from sklearn_ser.features import OpenSmileFunctionals\n"
        "X = OpenSmileFunctionals(n_jobs=2).fit_transform(sys.argv[1:])\n"
        "assert X.shape == (2, 88), X.shape\n"
        "print(Parallel(n_jobs=2)(delayed(abs)(-i) for i in range(4)))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, *few_ravdess[:2]], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip().endswith("[0, 1, 2, 3]")


def test_paths_equal_waveforms_and_n_jobs_does_not_matter(few_ravdess, tmp_path):
    est = OpenSmileFunctionals()
    by_path = est.fit_transform(few_ravdess)
    waves = [load_audio(f, sr=16000) for f in few_ravdess]
    np.testing.assert_array_equal(est.transform(waves), by_path)
    mixed = [few_ravdess[0], waves[1], few_ravdess[2], waves[3]]
    np.testing.assert_array_equal(est.transform(mixed), by_path)
    threaded = OpenSmileFunctionals(n_jobs=2, memory=tmp_path).fit_transform(
        few_ravdess * 5
    )
    np.testing.assert_array_equal(threaded, np.tile(by_path, (5, 1)))
    assert any(tmp_path.rglob("output.pkl"))  # cached


def test_pandas_output_uses_opensmile_names(few_ravdess):
    df = OpenSmileFunctionals().set_output(transform="pandas").fit_transform(
        few_ravdess[:1]
    )
    assert df.columns[0] == "F0semitoneFrom27.5Hz_sma3nz_amean"


def test_bad_input_errors(bad_inputs_dir, few_ravdess):
    with pytest.raises(AudioLoadError, match="empty.wav"):
        OpenSmileFunctionals().fit_transform([str(bad_inputs_dir / "empty.wav")])
    with pytest.raises(ValueError, match="feature_set='IS09'"):
        OpenSmileFunctionals(feature_set="IS09").fit_transform(few_ravdess[:1])
    with pytest.raises(AudioLoadError, match="wrap it in a list"):
        OpenSmileFunctionals().fit_transform(few_ravdess[0])


def test_import_does_not_load_opensmile():
    code = (
        "import sys, sklearn_ser, sklearn_ser.features, sklearn_ser.preprocessing;"
        "print('opensmile' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_verbose_shows_openSMILE_progress_and_changes_nothing(few_ravdess, capsys):
    """A long extraction from waveforms (e.g. speed-perturbed copies, which
    are never decoded) still shows progress: one bar over openSMILE's chunks."""
    waves = [load_audio(p, sr=16000) for p in few_ravdess]
    waves = [w[0] if isinstance(w, tuple) else w for w in waves]
    quiet = OpenSmileFunctionals().fit_transform(waves)
    assert capsys.readouterr().err == ""
    loud = OpenSmileFunctionals(verbose=1).fit_transform(waves)
    err = capsys.readouterr().err
    assert f"openSMILE eGeMAPSv02 ({len(waves)} signals" in err
    np.testing.assert_array_equal(loud, quiet)
