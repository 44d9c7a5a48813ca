"""The README's first code block, run literally on real TESS files.

The block is read from README.md, so the README and this test cannot drift.
"""

import re
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]


def _first_python_block():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match, "README.md has no python code block"
    return match.group(1)


def test_first_block_is_the_small_emotionunet_example():
    code = _first_python_block()
    assert "load_tess()" in code and "EmotionUnet(" in code
    # it shows progress and cannot run for an hour
    assert "verbose=2" in code and "early_stopping_patience" in code


@pytest.mark.slow
@pytest.mark.lean
@pytest.mark.data
def test_readme_first_example_learns(tess_root, monkeypatch, capsys):
    pytest.importorskip("tensorflow")
    monkeypatch.setenv("SER_DATA", str(tess_root.parent))
    namespace = {"__name__": "__readme__"}
    exec(compile(_first_python_block(), "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "Epoch 1/" in out  # one progress line per epoch
    acc = float(re.search(r"accuracy on (\d+) held-out files: ([0-9.]+)", out)[2])
    pipe, X_test, y_test = namespace["pipe"], namespace["X_test"], namespace["y_test"]
    assert acc == pytest.approx(pipe.score(X_test, y_test), abs=1e-3)
    # 7 emotions: chance is 1/7; the held-out files are never seen in training
    assert not set(X_test) & set(namespace["X_train"])
    assert acc > 0.8
    pred = pipe.predict(X_test)
    per_class = [np.mean(pred[y_test == c] == c) for c in np.unique(y_test)]
    assert min(per_class) > 0.5  # every emotion is learned, not just a few


def _block_containing(marker):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if marker in b]
    assert len(blocks) == 1, f"README.md needs one python block with {marker!r}"
    return blocks[0]


@pytest.mark.data
def test_readme_self_training_example_adapts_each_unseen_voice(tess_root, monkeypatch):
    """The README's TransductiveSelfTraining block, run literally on all of TESS.

    Measured beforehand: UAR 0.635 -> 0.673 (test voice OAF) and 0.634 -> 0.694
    (YAF), the same gains as on every second or fourth file (0.014-0.060 per
    voice); the margin asserted is 0.01 on each voice.
    """
    import sklearn

    monkeypatch.setenv("SER_DATA", str(tess_root.parent))
    config = sklearn.get_config()
    namespace = {"__name__": "__readme__"}
    try:
        code = _block_containing("TransductiveSelfTraining(")
        exec(compile(code, "README.md", "exec"), namespace)
    finally:
        sklearn.set_config(**config)
    uar = namespace["uar"]
    voices = sorted({v for v, _ in uar})
    assert voices == ["OAF", "YAF"]
    gains = [uar[v, True] - uar[v, False] for v in voices]
    assert min(gains) > 0.01, gains


@pytest.mark.data
def test_readme_tonal_example_gives_the_benchmarks_columns(mer_root, monkeypatch):
    """The README's TonalStats block, run literally on 4 MER clips: its 51
    columns are the benchmark's ``tonal_features`` on the same chroma frames."""
    import warnings

    from sklearn_ser.features import TruncationWarning
    from sklearn_ser.io import OutOfRangeAudioWarning

    monkeypatch.setenv("SER_DATA", str(mer_root.parent))
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    namespace = {"__name__": "__readme__"}
    with warnings.catch_warnings():
        # MER clips last 30.06 s, and loud masters overshoot [-1, 1]
        warnings.simplefilter("ignore", TruncationWarning)
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)
        exec(compile(_block_containing("TonalStats()"), "README.md", "exec"), namespace)
    X, frames, names = namespace["X"], namespace["frames"], namespace["names"]
    assert X.shape == (4, 51) and X.dtype == np.float32 and len(names) == 51
    import _mer_tonal

    music = np.zeros((4, frames.shape[1], 40), np.float32)
    music[:, :, _mer_tonal.CHROMA] = frames
    np.testing.assert_array_equal(X, _mer_tonal.tonal_features({"music": music}))
    assert set(namespace["mode"]) <= {"major", "minor"}


@pytest.mark.data
def test_readme_melody_example_gives_the_benchmarks_columns(mer_root, monkeypatch):
    """The README's MelodyStats block, run literally on 4 MER clips: its 41
    columns are those ``svm-select-melody`` adds (``_mer_melody.clip_melody``)."""
    import warnings

    from sklearn_ser.io import OutOfRangeAudioWarning

    pytest.importorskip("librosa")
    monkeypatch.setenv("SER_DATA", str(mer_root.parent))
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    namespace = {"__name__": "__readme__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)  # loud masters
        exec(compile(_block_containing("MelodyStats("), "README.md", "exec"), namespace)
    X, names, paths = namespace["X"], namespace["names"], namespace["paths"]
    assert X.shape == (4, 41) and X.dtype == np.float32 and len(names) == 41
    import _mer_melody

    expect = np.vstack([_mer_melody.clip_melody(str(p)) for p in paths])
    np.testing.assert_array_equal(X, expect)


@pytest.mark.data
def test_readme_musicnn_example_tags_the_angry_clip_metal(
    mer_root, musicnn_weights, monkeypatch
):
    """The README's MusicnnFeatures block, run literally on 4 MER clips: the
    Q2 (angry) clip's most likely tag is 'metal', no other clip's is, and its
    tags are the mean taggram columns of the benchmark's embeddings."""
    import warnings

    from sklearn_ser.io import OutOfRangeAudioWarning

    monkeypatch.setenv("SER_DATA", str(mer_root.parent))
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    namespace = {"__name__": "__readme__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfRangeAudioWarning)  # loud masters
        code = _block_containing("MusicnnFeatures(")
        exec(compile(code, "README.md", "exec"), namespace)
    tags, top = namespace["tags"], namespace["top"]
    assert tags.shape == (4, 50) and tags.dtype == np.float32
    assert top[1] == "metal" and "metal" not in (top[0], top[2], top[3])
    import _mer_musicnn

    from sklearn_ser.models import MusicnnFeatures

    waves = [_mer_musicnn._decode(p) for p in namespace["paths"]]
    expect = MusicnnFeatures(outputs=("taggram",), pooling="mean").fit_transform(waves)
    np.testing.assert_allclose(tags, expect, rtol=1e-5, atol=1e-6)
