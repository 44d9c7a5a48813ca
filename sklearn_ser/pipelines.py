"""Named, ready-to-fit pipelines for each paper system.

``list_pipelines()`` describes them without importing TensorFlow;
``get_pipeline(name, **overrides)`` builds a fresh, unfitted
:class:`sklearn_ser.Pipeline` (features + classifier) and applies
``set_params(**overrides)`` (``"svc__estimator__C": 10``,
``"emotionunet__epochs": 5``).

Choices the papers leave open are written in each entry's ``notes``. Audio is
read at 16 kHz (the corpora's own rate) except where a paper fixes the rate
(S1: 22.05 kHz). Probabilities for SVMs come from
``CalibratedClassifierCV(SVC(), ensemble=False)`` (the replacement of
scikit-learn 1.9 for the deprecated ``SVC(probability=True)``, same Platt
scaling) under the step name ``svc``.
"""

from dataclasses import dataclass

from .utils._lookup import lookup

__all__ = ["PipelineSpec", "get_pipeline", "list_pipelines"]


@dataclass(frozen=True)
class PipelineSpec:
    """Registry entry.

    Attributes
    ----------
    name, description : str
    paper : str
        ``"S0"`` … ``"S4"``.
    protocol : str
        The paper's protocol (a :func:`~sklearn_ser.model_selection.get_protocol` name).
    speaker_protocol : str
        Its speaker-independent counterpart.
    uses_keras : bool
        Whether building it imports TensorFlow.
    notes : str
    adapts_to_speaker : bool
        Transductive (enrolment): ``fit`` and ``predict`` need the speaker of
        every file (``groups``, routed with
        ``sklearn.set_config(enable_metadata_routing=True)``), and a
        prediction adapts to all the files of the batch's speakers.
    """

    name: str
    description: str
    paper: str
    protocol: str
    speaker_protocol: str
    uses_keras: bool
    builder: object
    notes: str = ""
    adapts_to_speaker: bool = False


def _svc(random_state):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    return (
        "svc",
        CalibratedClassifierCV(SVC(random_state=random_state), ensemble=False),
    )


def _pooled_mfcc(**kw):
    from .features import MFCC, FrameStats

    return [MFCC(sr=16000, n_mfcc=40, **kw), FrameStats(stats=("mean",))]


def _mfcc_svm(rs):
    from sklearn.preprocessing import StandardScaler

    from . import Pipeline

    return Pipeline([*_pooled_mfcc(), StandardScaler(), _svc(rs)])


def _mfcc_stats_svm(rs):
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from . import Pipeline
    from .features import MFCC, FrameStats

    return Pipeline(
        [
            MFCC(sr=16000, n_mfcc=40, n_fft=512, hop_length=160, n_mels=40),
            FrameStats(stats=("mean", "std")),
            StandardScaler(),
            SVC(C=10.0, gamma="scale", random_state=rs),
        ]
    )


def _mfcc_tree(rs):
    from sklearn.tree import DecisionTreeClassifier

    from . import Pipeline

    return Pipeline([*_pooled_mfcc(), DecisionTreeClassifier(random_state=rs)])


def _mfcc_autoencoder_svm(rs):
    from sklearn.preprocessing import StandardScaler

    from . import Pipeline
    from .models import AutoencoderFeatures

    return Pipeline(
        [
            *_pooled_mfcc(),
            StandardScaler(),
            AutoencoderFeatures(random_state=rs),
            _svc(rs),
        ]
    )


# Settings S0 leaves open, chosen so the nets train from scratch on a few
# thousand images (measured in tests/models/test_imagenets.py): BatchNorm
# momentum 0.9 (Keras' 0.99 needs far more steps before inference-mode
# predictions are usable) and SqueezeNet's conv10 linear (a ReLU conv10 died,
# loss stuck at ln(n_classes)).
_IMAGE_NET_KW = {
    "AlexNet": {"bn_momentum": 0.9},
    "SqueezeNet": {"conv10_activation": None},
    "MobileNet": {"bn_momentum": 0.9},
    "ResNet50": {"bn_momentum": 0.9},
}


def _image_net(cls_name, size):
    def build(rs):
        from . import Pipeline, models
        from .features import SpectrogramImage

        cls = getattr(models, cls_name)
        return Pipeline(
            [
                SpectrogramImage(size=(size, size), sr=16000),
                cls(random_state=rs, **_IMAGE_NET_KW[cls_name]),
            ]
        )

    return build


def _stft_emotionunet(rs):
    from . import Pipeline
    from .features import STFT
    from .models import EmotionUnet

    # 2 s at a 32 ms hop (63 frames x 257 bins): the Flatten -> Dense(864)
    # head then has 12M weights (the 10 ms hop over 3 s gave 57M, a 651 MB
    # model that did not train). EmotionUnet standardises each bin itself.
    return Pipeline(
        [
            STFT(sr=16000, n_fft=512, win_length=None, hop_length=512, duration=2.0),
            EmotionUnet(
                random_state=rs, reduce_lr_patience=2, early_stopping_patience=6
            ),
        ]
    )


def _pooled_dense(feature):
    def build(rs):
        from sklearn.preprocessing import StandardScaler

        from . import Pipeline
        from .features import LMFB, MFCC, FrameStats
        from .models import DenseClassifier

        feat = MFCC(sr=16000, n_mfcc=40) if feature == "mfcc" else LMFB(sr=16000)
        return Pipeline(
            [feat, FrameStats(), StandardScaler(), DenseClassifier(random_state=rs)]
        )

    return build


def _mfcc_lstm(rs):
    from . import Pipeline
    from .features import MFCC
    from .models import LSTMClassifier

    return Pipeline(
        [MFCC(sr=16000, n_mfcc=40, duration=3.0), LSTMClassifier(random_state=rs)]
    )


def _music(model):
    def build(rs):
        from sklearn.preprocessing import StandardScaler

        from . import Pipeline, models
        from .features import MusicFeatures

        cls = {"lstm": models.LSTMClassifier, "cnn20": models.CNN20}[model]
        return Pipeline([MusicFeatures(), StandardScaler(), cls(random_state=rs)])

    return build


def _mfcc_windows_gru(rs):
    from . import Pipeline
    from .features import MFCC, SlidingWindows
    from .models import SequenceCNN

    return Pipeline(
        [
            MFCC(sr=22050, n_mfcc=40, n_fft=2048, hop_length=512, duration=5.0),
            SlidingWindows(),
            SequenceCNN(head="gru", random_state=rs),
        ]
    )


def _opensmile_logreg(feature_set, C, n_components=None):
    """openSMILE functionals -> standardise [-> PCA] -> class-balanced LogReg."""

    def build(rs):
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        from . import Pipeline
        from .features import OpenSmileFunctionals
        from .preprocessing import CappedPCA

        steps = [OpenSmileFunctionals(feature_set=feature_set), StandardScaler()]
        if n_components:
            steps.append(CappedPCA(n_components=n_components, random_state=rs))
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        return Pipeline([*steps, clf])

    return build


def _four_heads(rs):
    """``(features, heads)`` of the four-head votes: a FeatureUnion of the
    ComParE, eGeMAPS, MFCC-statistics and log-Mel-functionals columns, and
    one class-balanced LogReg per block (ComParE and log-Mel through PCA 300
    with C=0.001, eGeMAPS and MFCC with C=0.1), each picking its columns.

    The features are computed once, before the heads, so refits on subsets
    of the rows (temperature folds, self-training) reuse them instead of
    reading the audio again.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion
    from sklearn.preprocessing import StandardScaler

    from . import Pipeline
    from .features import (
        LOGMEL_STATS,
        MFCC,
        OPENSMILE_FEATURE_SETS,
        FrameStats,
        LogMelFunctionals,
        OpenSmileFunctionals,
    )
    from .preprocessing import CappedPCA

    n_mfcc = 40
    widths = {
        "compare": OPENSMILE_FEATURE_SETS["ComParE_2016"],
        "egemaps": OPENSMILE_FEATURE_SETS["eGeMAPSv02"],
        "mfcc": 2 * n_mfcc,  # mean and std of each coefficient
        "logmel": len(LOGMEL_STATS) * 2 * 64,  # 64 bands and their deltas
    }
    union = FeatureUnion(
        [
            ("compare", OpenSmileFunctionals(feature_set="ComParE_2016")),
            ("egemaps", OpenSmileFunctionals(feature_set="eGeMAPSv02")),
            (
                "mfcc",
                Pipeline(
                    [MFCC(sr=16000, n_mfcc=n_mfcc), FrameStats(stats=("mean", "std"))]
                ),
            ),
            ("logmel", LogMelFunctionals(sr=16000, n_mels=64)),
        ]
    )
    heads, start = [], 0
    for name, width in widths.items():
        block = slice(start, start + width)
        start += width
        steps = [
            ColumnTransformer([(name, "passthrough", block)]),
            StandardScaler(),
        ]
        C = 0.1
        if name in ("compare", "logmel"):
            steps.append(CappedPCA(n_components=300, random_state=rs))
            C = 0.001
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        heads.append((name, Pipeline([*steps, clf])))
    return union, heads


def _speech_front_end():
    """The audio steps of both four-head votes: speech only (silence and
    pauses cut), scaled to -25 dBFS RMS."""
    from .preprocessing import LoudnessNormalizer, TrimSilence

    return [
        ("trim", TrimSilence(pauses=True, sr=16000)),
        ("loudness", LoudnessNormalizer(sr=16000)),
    ]


def _compare_vote_speed(rs):
    """Vote of ComParE / eGeMAPS / MFCC-statistics / log-Mel-functionals
    logistic regressions on the speech of each recording (silence and pauses
    cut, scaled to -25 dBFS RMS), fitted on the training files plus their
    0.9x and 1.1x speed-perturbed copies and their copies pitch-shifted by
    +2 and -2 semitones; each head's probabilities are tempered by a
    temperature fitted across the training speakers
    (``benchmarks/speaker_independent.py``'s row "compare-vote-speed tempered
    + pitch copies (registry settings)").

    ``fit(X, y, groups=speakers)`` fits the temperatures (GroupKFold over the
    training speakers, copies with their originals); without ``groups`` the
    heads are averaged untempered, with a warning.
    """
    import sklearn

    from . import Pipeline
    from .augment import AugmentedClassifier, SpeedPerturbation
    from .ensemble import TemperedVotingClassifier

    union, heads = _four_heads(rs)
    # copies are perturbed first, then every recording (copy, training file or
    # file to predict) is cut to its speech and scaled to a fixed loudness
    with sklearn.config_context(enable_metadata_routing=True):
        vote = TemperedVotingClassifier(heads).set_fit_request(groups=True)
        speech = Pipeline([*_speech_front_end(), ("features", union), ("vote", vote)])
        copies = SpeedPerturbation(rates=(0.9, 1.1), semitones=(2.0, -2.0))
        return AugmentedClassifier(
            speech, copies, groups_param="vote__groups"
        ).set_fit_request(groups=True)


def _compare_vote_enrol(rs):
    """Speaker-adaptive (enrolment) version of the four-head vote: every
    recording is cut to its speech (silence and pauses) and scaled to -25
    dBFS RMS, the ComParE,
    eGeMAPS, MFCC-statistics and log-Mel-functionals columns of every speaker
    are standardised with that speaker's own statistics, then the soft vote
    is self-trained on the batch being predicted
    (``benchmarks/speaker_independent.py``'s row "compare-vote-enrol
    speech-only (registry settings)").
    """
    import sklearn
    from sklearn.ensemble import VotingClassifier

    from . import Pipeline
    from .preprocessing import SpeakerNormalizer
    from .semi_supervised import TransductiveSelfTraining

    union, heads = _four_heads(rs)
    vote = VotingClassifier(heads, voting="soft")
    with sklearn.config_context(enable_metadata_routing=True):
        norm = (
            SpeakerNormalizer(mode="transductive")
            .set_fit_request(groups=True)
            .set_transform_request(groups=True)
        )
    return Pipeline(
        [
            *_speech_front_end(),
            ("features", union),
            ("speaker", norm),
            ("selftraining", TransductiveSelfTraining(vote, fraction=0.5, n_rounds=1)),
        ]
    )


_S0_67, _S0_80 = (
    ("s0-random-67-33", "speaker-holdout-67-33"),
    ("s0-random-80-20", "speaker-holdout-80-20"),
)
_S2 = ("s2-random-65-10-25", "speaker-holdout-65-10-25")
_S4 = ("s4-kfold", "speaker-kfold")
_S1 = ("s1-speaker-10-10", "s1-speaker-10-10")

_SPECS = [
    PipelineSpec(
        "mfcc-svm",
        "mean MFCC (40) -> standardise -> SVM (RBF)",
        "S0",
        *_S0_67,
        False,
        _mfcc_svm,
        "S0 averages MFCCs over time (FrameStats mean); we standardise before the SVM.",
    ),
    PipelineSpec(
        "mfcc-stats-svm",
        "MFCC (40, 32 ms / 10 ms) mean + std -> standardise -> SVM (RBF, C=10)",
        "S0",
        *_S0_67,
        False,
        _mfcc_stats_svm,
        "The quickstart's system: S0's MFCC -> SVM with speech-rate framing "
        "(512-point FFT, 10 ms hop, 40 Mel bands), the per-coefficient standard "
        "deviation beside the mean, and a fixed C=10; no probabilities (plain SVC).",
    ),
    PipelineSpec(
        "mfcc-tree", "mean MFCC (40) -> decision tree", "S0", *_S0_67, False, _mfcc_tree
    ),
    PipelineSpec(
        "mfcc-autoencoder-svm",
        "mean MFCC -> deep autoencoder code (feature II) -> SVM",
        "S0",
        *_S0_67,
        True,
        _mfcc_autoencoder_svm,
    ),
    PipelineSpec(
        "spectrogram-alexnet",
        "spectrogram image 227x227x3 -> AlexNet",
        "S0",
        *_S0_80,
        True,
        _image_net("AlexNet", 227),
    ),
    PipelineSpec(
        "spectrogram-squeezenet",
        "spectrogram image 224x224x3 -> SqueezeNet",
        "S0",
        *_S0_80,
        True,
        _image_net("SqueezeNet", 224),
    ),
    PipelineSpec(
        "spectrogram-mobilenet",
        "spectrogram image 224x224x3 -> MobileNet",
        "S0",
        *_S0_80,
        True,
        _image_net("MobileNet", 224),
    ),
    PipelineSpec(
        "spectrogram-resnet50",
        "spectrogram image 224x224x3 -> ResNet50",
        "S0",
        *_S0_80,
        True,
        _image_net("ResNet50", 224),
    ),
    PipelineSpec(
        "stft-emotionunet",
        "STFT dB spectrogram (2 s, 512-point Hann, 32 ms hop) -> EmotionUnet",
        "S2",
        *_S2,
        True,
        _stft_emotionunet,
        "S2 gives no STFT parameters, clip length or input scaling: 2 s "
        "(TESS median 2.05 s), n_fft 512, hop 512 (63 frames); the network "
        "standardises each frequency bin with training-set statistics and "
        "uses BatchNorm momentum 0.9. Paper TESS hyper-parameters; "
        "ReduceLROnPlateau(2) and EarlyStopping(6) on the validation part.",
    ),
    PipelineSpec(
        "mfcc-dense",
        "mean MFCC -> densely connected network",
        "S3",
        *_S4,
        True,
        _pooled_dense("mfcc"),
        "S3 gives no split; 5-fold CV is our choice.",
    ),
    PipelineSpec(
        "lmfb-dense",
        "mean log Mel filter bank -> dense network",
        "S3",
        *_S4,
        True,
        _pooled_dense("lmfb"),
        "S3 gives no split; 5-fold CV is our choice.",
    ),
    PipelineSpec(
        "mfcc-lstm",
        "MFCC frames (3 s) -> LSTM",
        "S3",
        *_S4,
        True,
        _mfcc_lstm,
        "S3 gives no split; 5-fold CV is our choice.",
    ),
    PipelineSpec(
        "music-lstm",
        "music descriptors -> LSTM (S4 baseline)",
        "S4",
        *_S4,
        True,
        _music("lstm"),
    ),
    PipelineSpec(
        "music-cnn20",
        "music descriptors -> 20-layer CNN",
        "S4",
        *_S4,
        True,
        _music("cnn20"),
    ),
    PipelineSpec(
        "mfcc-windows-gru",
        "MFCC 5 s at 22.05 kHz -> 9x40x40 windows -> CNN + GRU (S1 audio only)",
        "S1",
        *_S1,
        True,
        _mfcc_windows_gru,
    ),
    PipelineSpec(
        "compare-logreg",
        "openSMILE ComParE_2016 functionals -> standardise -> PCA (<= 300) -> LogReg "
        "(class-balanced)",
        "",
        "emobox-ravdess",
        "emobox-ravdess",
        False,
        _opensmile_logreg("ComParE_2016", C=0.001, n_components=300),
        "The best strict single-feature-set system (nothing computed from test "
        "speakers) of benchmarks/speaker_independent.py, with the same fixed "
        "C=0.001; the quickstart's default (it fits 7 models in about a minute). "
        "Needs the opensmile extra.",
    ),
    PipelineSpec(
        "compare-vote-speed",
        "speech only (silence and pauses cut), -25 dBFS, then a soft vote of "
        "ComParE (PCA <= 300), "
        "eGeMAPS, MFCC-statistics and log-Mel functionals (PCA <= 300) LogRegs, "
        "each tempered across the training speakers, "
        "trained on the files plus their 0.9x / 1.1x speed-perturbed and "
        "+-2-semitone pitch-shifted copies",
        "",
        "emobox-ravdess",
        "emobox-ravdess",
        False,
        _compare_vote_speed,
        "`sklearn-ser train`'s default: the best strict registered system of "
        "benchmarks/speaker_independent.py (eGeMAPS / MFCC C=0.1 fixed; "
        "0.660 / 0.634 / 0.380 UAR on EmoBox RAVDESS, TESS LOSO and "
        "cross-corpus against compare-logreg's 0.584 / 0.479 / 0.226; without "
        "the pitch copies 0.652 / 0.602 / 0.357, untempered either 0.644 / "
        "0.602 / 0.359; with leading / trailing trimming "
        "only 0.625 / 0.582 / 0.343, without TrimSilence and LoudnessNormalizer "
        "0.620 / 0.572 / 0.318, without the log-Mel head either 0.595 / 0.507 / "
        "0.281). "
        "fit(X, y, groups=speakers) fits each head's temperature on its "
        "predictions for held-out training speakers (5 speaker folds; `train` "
        "passes the corpus' speakers); without groups, or with fewer than 3 "
        "speakers, the heads are averaged untempered, with a warning. "
        "Training extracts four feature sets from five copies of every file: "
        "about 14 times compare-logreg's training time (21 min against 1.5 on "
        "RAVDESS's 1200-file fold), 4.2 GB. Needs the opensmile and "
        "augment (librosa, for the pitch shifts) extras.",
    ),
    PipelineSpec(
        "compare-vote-enrol",
        "speaker-adaptive: speech only (silence and pauses cut), -25 dBFS, "
        "ComParE + eGeMAPS + "
        "MFCC statistics + log-Mel functionals, each speaker standardised with "
        "its own statistics, soft vote of four LogRegs self-trained on the batch "
        "being predicted (needs speaker ids)",
        "",
        "emobox-ravdess",
        "emobox-ravdess",
        False,
        _compare_vote_enrol,
        "benchmarks/speaker_independent.py's row 'compare-vote-enrol speech-only "
        "(registry settings)': 0.728 / 0.712 / 0.606 UAR on EmoBox RAVDESS, TESS "
        "LOSO and cross-corpus (leading / trailing trimming only 0.735 / 0.708 / "
        "0.573, neither step 0.720 / 0.710 / 0.538, without the log-Mel head "
        "either 0.705 / 0.698 / 0.517). "
        "Enrolment: fit and "
        "predict take groups= (speaker ids) under "
        "sklearn.set_config(enable_metadata_routing=True); each new speaker is "
        "standardised with all of its files in the batch (a speaker with one "
        "file gets the typical training speaker's statistics) and the model "
        "refits once on the training files plus the surest half of the batch "
        "with its predicted labels. On the command line: predict --speaker. "
        "Needs the opensmile extra.",
        adapts_to_speaker=True,
    ),
]
_REGISTRY = {s.name: s for s in _SPECS}


def list_pipelines():
    """The registered pipelines (name -> :class:`PipelineSpec`), no TensorFlow import.

    Examples
    --------
    >>> specs = list_pipelines()
    >>> specs["mfcc-svm"].paper, specs["mfcc-svm"].protocol
    ('S0', 's0-random-67-33')
    """
    return dict(_REGISTRY)


def get_pipeline_spec(name):
    """The :class:`PipelineSpec` called ``name`` (ValueError naming the choices)."""
    return lookup(_REGISTRY, name, "pipeline")


def get_pipeline(name, *, random_state=0, **overrides):
    """Build a fresh, unfitted pipeline from the registry.

    Parameters
    ----------
    name : str
        A key of :func:`list_pipelines`.
    random_state : int or None, default=0
        Seed of every random step.
    **overrides
        ``set_params`` arguments, e.g. ``svc__estimator__C=10``.

    Returns
    -------
    sklearn_ser.Pipeline

    Raises
    ------
    ValueError
        Unknown name or parameter.
    """
    spec = get_pipeline_spec(name)
    pipe = spec.builder(random_state)
    if overrides:
        valid = pipe.get_params(deep=True)
        bad = sorted(k for k in overrides if k not in valid)
        if bad:
            raise ValueError(
                f"Unknown parameter(s) {bad} for pipeline {name!r}; its parameters "
                f"include {sorted(k for k in valid if '__' in k)[:40]}. "
                f"Received: {', '.join(bad)}"
            )
        pipe.set_params(**overrides)
    return pipe
