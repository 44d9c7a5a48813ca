"""Networks as scikit-learn classifiers (scikeras ``KerasClassifier`` subclasses).

Importing this subpackage imports TensorFlow / Keras. Every network is a pure
builder function ``build_*(input_shape, n_classes, **hyper_parameters) ->
keras.Model`` plus a thin classifier class deriving from
:class:`BaseSERClassifier`.
"""

import os as _os

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from ._base import BaseSERClassifier, paper_callbacks, transfer_weights  # noqa: E402
from ._cnn20 import CNN20, build_cnn20  # noqa: E402
from ._recurrent import (  # noqa: E402
    LSTM_PRESETS,
    DenseClassifier,
    LSTMClassifier,
    build_dense,
    build_lstm,
)
from ._unet import (  # noqa: E402
    EMOTIONUNET_PAPER_PARAMS,
    EMOTIONUNET_SEARCH_SPACE,
    EmotionUnet,
    build_emotionunet,
    emotionunet_search_space,
)

__all__ = [
    # C1: base classifier, S2 / S3 / S4 networks
    "BaseSERClassifier",
    "paper_callbacks",
    "transfer_weights",
    "EmotionUnet",
    "build_emotionunet",
    "emotionunet_search_space",
    "EMOTIONUNET_SEARCH_SPACE",
    "EMOTIONUNET_PAPER_PARAMS",
    "LSTMClassifier",
    "LSTM_PRESETS",
    "build_lstm",
    "DenseClassifier",
    "build_dense",
    "CNN20",
    "build_cnn20",
]

# C2: image nets, autoencoder, sequence models, HuBERT
from ._autoencoder import AutoencoderFeatures, build_autoencoder  # noqa: E402
from ._hubert import HuBERTFeatures, load_speech_encoder  # noqa: E402
from ._imagenets import (  # noqa: E402
    AlexNet,
    MobileNet,
    ResNet50,
    SqueezeNet,
    build_alexnet,
    build_mobilenet,
    build_resnet50,
    build_squeezenet,
)
from ._sequence import (  # noqa: E402
    FusionClassifier,
    SequenceCNN,
    ViewArray,
    ViewStack,
    build_fusion,
    build_sequence_cnn,
    flatten_views,
)

__all__ += [
    "AlexNet",
    "SqueezeNet",
    "MobileNet",
    "ResNet50",
    "build_alexnet",
    "build_squeezenet",
    "build_mobilenet",
    "build_resnet50",
    "AutoencoderFeatures",
    "build_autoencoder",
    "SequenceCNN",
    "FusionClassifier",
    "ViewStack",
    "ViewArray",
    "flatten_views",
    "build_sequence_cnn",
    "build_fusion",
    "HuBERTFeatures",
    "load_speech_encoder",
]

# speaker-independent models and training-only augmentation (issue 11)
from ._augment import AttentionPooling, MixupBatches, SpecAugment  # noqa: E402
from ._crnn import CRNN, build_crnn  # noqa: E402

__all__ += [
    "AttentionPooling",
    "CRNN",
    "MixupBatches",
    "SpecAugment",
    "build_crnn",
]
