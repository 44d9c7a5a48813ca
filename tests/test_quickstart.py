"""The README's first command: the quickstart on the shipped sample."""

import re

import pytest

from sklearn_ser import quickstart


def test_quickstart_trains_and_reports_on_the_sample(capsys):
    assert quickstart.main([]) == 0
    out = capsys.readouterr().out
    assert "sample: 120 clips, 8 emotions, 8 speakers" in out
    accs = {
        name: float(acc)
        for name, acc in re.findall(r"^\s*(\S+): accuracy ([0-9.]+)", out, re.M)
    }
    assert set(accs) == {"s0-random-67-33", "speaker-holdout-67-33", "speaker-kfold"}
    # A real recogniser: clearly above the 1/8 chance level on unseen speakers.
    assert accs["speaker-kfold"] > 0.2
    # The per-class table lists every emotion with its support.
    for emotion in ("angry", "calm", "neutral", "surprised"):
        assert re.search(
            rf"^\s*{emotion}\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+\d+$", out, re.M
        )


def test_quickstart_missing_corpus_is_a_clean_error(tmp_path, capsys):
    assert quickstart.main(["--corpus", "ravdess", "--data-home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and str(tmp_path) in err


def test_quickstart_offers_speech_corpora_only(capsys):
    # MER 4Q is in the corpus registry with artists as groups; the speech
    # quickstart (emotions, speakers) must not offer it.
    from sklearn_ser.quickstart import main

    with pytest.raises(SystemExit):
        main(["--corpus", "mer_4q"])
    assert "invalid choice: 'mer_4q'" in capsys.readouterr().err
