"""Networks as scikit-learn classifiers (scikeras ``KerasClassifier`` subclasses).

Importing this subpackage imports TensorFlow / Keras (``import sklearn_ser``
does not: the top package loads ``models`` on first attribute access). Every
module of this subpackage imports Keras the same way, at its top
(``import keras`` / ``from keras import layers``). Every network is a pure
builder function ``build_*(input_shape, n_classes, **hyper_parameters) ->
keras.Model`` plus a thin classifier class deriving from
:class:`BaseSERClassifier`.
"""

import os as _os

_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from ._autoencoder import AutoencoderFeatures, build_autoencoder  # noqa: E402
from ._base import BaseSERClassifier  # noqa: E402
from ._cnn20 import CNN20, build_cnn20  # noqa: E402
from ._crops import CropAverageClassifier  # noqa: E402
from ._dilated import DilatedCNN, build_dilated_cnn  # noqa: E402
from ._fusion import FusionClassifier, build_fusion  # noqa: E402
from ._hubert import HuBERTFeatures, load_speech_encoder  # noqa: E402
from ._musicnn import (  # noqa: E402
    MSD_TAGS,
    MTT_TAGS,
    MusicnnFeatures,
    build_musicnn,
    build_musicnn_vgg,
    load_musicnn,
)
from ._image_classifiers import AlexNet, MobileNet, ResNet50, SqueezeNet  # noqa: E402
from ._applications import build_mobilenet, build_resnet50  # noqa: E402
from ._imagenets import build_alexnet, build_squeezenet  # noqa: E402
from ._recurrent import (  # noqa: E402
    LSTM_PRESETS,
    DenseClassifier,
    LSTMClassifier,
    build_dense,
    build_lstm,
)
from ._sequence import SequenceCNN, build_sequence_cnn  # noqa: E402
from ._training import paper_callbacks, transfer_weights  # noqa: E402
from ._unet import (  # noqa: E402
    EMOTIONUNET_PAPER_PARAMS,
    EmotionUnet,
    build_emotionunet,
    emotionunet_search_space,
)
from ._views import ViewArray, ViewStack, flatten_views  # noqa: E402

__all__ = [
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
    "MusicnnFeatures",
    "build_musicnn",
    "build_musicnn_vgg",
    "load_musicnn",
    "MSD_TAGS",
    "MTT_TAGS",
    "DilatedCNN",
    "build_dilated_cnn",
    "CropAverageClassifier",
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


def __getattr__(name):
    # skopt is imported only when the search space is asked for (see _unet)
    if name == "EMOTIONUNET_SEARCH_SPACE":
        from . import _unet

        return _unet.EMOTIONUNET_SEARCH_SPACE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
