"""Learning from the test speakers' unlabelled audio (transductive inference).

:class:`TransductiveSelfTraining` pseudo-labels the batch it is asked to
predict (a new speaker's recordings, as in enrolment) and refits on the
training data plus its most confident pseudo-labels before predicting. Its
predictions depend on the batch: report them apart from strict results,
like :class:`sklearn_ser.preprocessing.SpeakerNormalizer`'s
``mode="transductive"``.
"""

from ._self_training import TransductiveSelfTraining

__all__ = ["TransductiveSelfTraining"]
