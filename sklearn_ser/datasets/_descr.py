"""DESCR texts of the corpus loaders (source, license, citation, name scheme)."""

RAVDESS = """\
RAVDESS: The Ryerson Audio-Visual Database of Emotional Speech and Song
-----------------------------------------------------------------------

Audio-only part: 24 professional actors (12 male, 12 female; odd actor
numbers are male, even are female) speak two lexically matched statements
("Kids are talking by the door", "Dogs are sitting by the door") in 8
emotions, 2 repetitions each; all emotions but neutral at 2 intensities.
Speech: 1440 files (60 per actor; neutral 96, each other emotion 192).
Song: 1012 files (no song for actor 18; 6 emotions, no disgust/surprised).

File names ``MM-VV-EE-II-SS-RR-AA`` (e.g. ``03-01-06-01-02-01-12.wav``):
modality (01 full-AV, 02 video-only, 03 audio-only), vocal channel (01
speech, 02 song), emotion (01 neutral, 02 calm, 03 happy, 04 sad, 05 angry,
06 fearful, 07 disgust, 08 surprised), intensity (01 normal, 02 strong),
statement (01 "Kids ...", 02 "Dogs ..."), repetition (01, 02), actor
(01-24). Files sit in ``Actor_NN/`` folders.

Loader output: target = emotion word; groups = ``'Actor_NN'``; metadata /
frame columns: path, speaker, actor, gender, modality, vocal_channel,
emotion, intensity, statement, repetition.

Source: Zenodo record 1188976 (https://zenodo.org/records/1188976),
``Audio_Speech_Actors_01-24.zip`` (48 kHz 16-bit WAV, about 208 MB) and
``Audio_Song_Actors_01-24.zip``. License: CC BY-NC-SA 4.0 (non-commercial,
attribution, share-alike).

Citation: Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database
of Emotional Speech and Song (RAVDESS): A dynamic, multimodal set of facial
and vocal expressions in North American English. PLoS ONE 13(5): e0196391.
https://doi.org/10.1371/journal.pone.0196391
"""

SAMPLE = (
    """\
Embedded RAVDESS sample (package data of sklearn-ser)
-----------------------------------------------------

120 real RAVDESS speech clips shipped inside the package so that examples
and the quick start run with no corpus installed: 8 actors (Actor_01 ..
Actor_08; 4 male, 4 female) x 15 trials (statement 01, repetition 01, all 8
emotions; neutral at normal intensity, the others at normal and strong).
Per emotion: neutral 8, every other emotion 16. Converted to 16 kHz mono
16-bit FLAC; names and Actor_NN folders are the originals. Eight speakers
allow a speaker-independent split (e.g. GroupKFold on ``groups``).

License: CC BY-NC-SA 4.0, like RAVDESS itself (see sample/SOURCE.txt in the
package): non-commercial use, attribution, share-alike. The package's BSD
license does not cover these audio files.

"""
    + RAVDESS
)

TESS = """\
TESS: Toronto Emotional Speech Set
----------------------------------

Two actresses (OAF, older, aged 64; YAF, younger, aged 26) say "Say the
word ___" with 200 target words in 7 emotions: angry, disgust, fear, happy,
neutral, pleasant surprise, sad. 2800 files in the original (2 x 7 x 200).

File names ``SPEAKER_word_emotion`` (e.g. ``OAF_back_angry.wav``); the
emotion is read from the last field of the file name (``ps`` = pleasant
surprise), never from the folder, whose spelling differs between
distributions (``OAF_Fear``, ``YAF_pleasant_surprised``).

Loader output: target = emotion (angry, disgust, fear, happy, neutral,
pleasant_surprise, sad); groups = speaker (``'OAF'``, ``'YAF'``); metadata /
frame columns: path, speaker, gender, age, word, emotion.

Source: University of Toronto, Borealis, https://doi.org/10.5683/SP2/E8H2MF
License: CC BY-NC-ND 4.0 (non-commercial, attribution, no derivatives).

Citation: Dupuis K, Pichora-Fuller MK (2010) Toronto emotional speech set
(TESS). University of Toronto, Psychology Department.
https://doi.org/10.5683/SP2/E8H2MF
"""

RAVDESS_TESS = """\
RAVDESS + TESS combined table (system S0)
-----------------------------------------

RAVDESS (speech by default; speech and song with vocal_channel='all') and
TESS merged into one table with the columns of S0: path, source, actor,
gender, intensity, statement, repetition, emotion. TESS's speakers become
actors 25 (YAF) and 26 (OAF); both are female.

Emotion vocabulary: RAVDESS's eight words (neutral, calm, happy, sad,
angry, fearful, disgust, surprised). TESS 'fear' becomes 'fearful' and
'pleasant_surprise' (file name field 'ps') becomes 'surprised'; TESS has no
'calm'. groups = ``'Actor_NN'`` (``'Actor_25'``, ``'Actor_26'`` for TESS).

statement is the spoken sentence ("Kids are talking by the door", "Say the
word back"); TESS has no intensity and no repetition (missing values: None
in ``metadata``, NA in ``frame``).

Sizes: RAVDESS speech 1440 + TESS 2800 = 4240 (4238 with this project's
copy of TESS, which leaves out two broken files); S0's 5252 images are
RAVDESS speech + song + TESS (1440 + 1012 + 2800).

Sources, licenses and citations: see ``load_ravdess().DESCR`` and
``load_tess().DESCR``.
"""

TUREV_DB = """\
TurEV-DB: Turkish Emotional Voice Database
------------------------------------------

Turkish words spoken by 6 speakers in 4 emotions: angry, calm, happy, sad
(1735 files: angry 487, calm 408, happy 357, sad 483).

Layout ``<Emotion>/<speaker>_<code>_<word>.wav`` with folders Angry, Calm,
Happy, Sad and emotion codes kz (kizgin, angry), sk (sakin, calm), mt
(mutlu, happy), hl (huzunlu, sad); the first field is the speaker. The
emotion is read from the code; a file whose emotion folder disagrees with its
code is a bad name.

Loader output: target = emotion (angry, calm, happy, sad); groups =
speaker; metadata / frame columns: path, speaker, emotion_code, word,
emotion.

Source: https://github.com/Xeonen/TurEV-DB (see its README for the license
and terms of use).

Citation: Canpolat SF, Ormanoglu Z, Zeyrek D (2020) Turkish Emotion Voice
Database (TurEV-DB). Proceedings of the Joint SLTU-CCURL Workshop, LREC 2020.
"""

CREMA_D = """\
CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset
----------------------------------------------------------

91 actors (ids 1001-1091) speak 12 sentences in 6 emotions (anger, disgust,
fear, happy, neutral, sad); 7442 clips (``AudioWAV/``).

File names ``ActorID_Sentence_Emotion_Level`` (e.g. ``1001_DFA_ANG_XX.wav``):
sentence codes IEO, TIE, IOM, IWW, TAI, MTI, IWL, ITH, DFA, ITS, TSI, WSI;
emotion ANG, DIS, FEA, HAP, NEU, SAD; level LO, MD, HI, XX (unspecified).

Loader output: target = emotion (angry, disgust, fear, happy, neutral,
sad); groups = actor id (``'1001'``); metadata / frame columns: path,
speaker, actor, sentence, statement, emotion_code, level, emotion. Gender is
not in the file names (it is in CREMA-D's VideoDemographics.csv).

Source: https://github.com/CheyneyComputerScience/CREMA-D
License: Open Database License (ODbL) v1.0 / Database Contents License.

Citation: Cao H, Cooper DG, Keutmann MK, Gur RC, Nenkova A, Verma R (2014)
CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset. IEEE
Transactions on Affective Computing 5(4): 377-390.
https://doi.org/10.1109/TAFFC.2014.2336244
"""

EMODB = """\
EMO-DB: Berlin Database of Emotional Speech
-------------------------------------------

10 actors (5 male, 5 female) speak 10 German sentences in 7 emotions; 535
utterances (``wav/``).

File names like ``03a01Fa.wav``: speaker (2 digits: 03, 08, 09, 10, 11, 12,
13, 14, 15, 16), text code (a01, a02, a04, a05, a07, b01, b02, b03, b09,
b10), emotion letter (W Wut/anger, L Langeweile/boredom, E Ekel/disgust,
A Angst/fear, F Freude/happiness, T Trauer/sadness, N neutral), version
letter.

Loader output: target = emotion (anger, boredom, disgust, fear, happiness,
neutral, sadness); groups = speaker (``'03'``); metadata / frame columns:
path, speaker, gender, age, text, emotion_code, version, emotion (gender and
age from the corpus documentation; None for an unknown speaker).

Source: http://emodb.bilderbar.info/ (free for research).

Citation: Burkhardt F, Paeschke A, Rolfes M, Sendlmeier W, Weiss B (2005) A
Database of German Emotional Speech. Proceedings of Interspeech 2005,
1517-1520.
"""

MER_4Q = """\
MER 4Q: music emotion recognition dataset in Russell's four quadrants
--------------------------------------------------------------------

900 clips of about 30 s, 225 per quadrant, from the AllMusic API, annotated
from AllMusic mood tags (Panda, Malheiro & Paiva 2018):

  Q1_happy  positive valence, high arousal (happy, joyful, excited)
  Q2_angry  negative valence, high arousal (angry, aggressive, tense)
  Q3_sad    negative valence, low arousal (sad, depressed)
  Q4_calm   positive valence, low arousal (calm, relaxed, serene)

S4's three classes map to Q1 (joyful), Q2 (aggressive) and Q3 (sad):
``load_mer_4q(quadrants=MER_S4_QUADRANTS)``.

Layout: ``Q1/ .. Q4/`` holding ``MT<10 digits>.<ext>`` (any audio format;
the dataset ships MP3, some copies Ogg Opus) and
``panda_dataset_taffc_metadata.csv`` (Song, Artist, Title, Quadrant, moods,
genres, ...) in the same folder. The quadrant is taken from the folder and
must agree with the metadata.

Loader output: target = quadrant label (``Q1_happy`` ...); groups = artist
(661 named artists, 129 of them with several songs, 28 spanning quadrants;
the three songs with an empty artist field share the group
``<unknown artist>``, which makes 662 groups); metadata / frame columns:
path, song, quadrant, artist (empty for those three), title, moods, genres,
pquad (the share of a song's mood tags in its quadrant).

Evaluation: the authors' protocol is stratified 10-fold cross-validation
over songs; artist-independent 10-fold (``StratifiedGroupKFold`` on
``groups``) keeps every artist's songs in one fold.

Source: http://mir.dei.uc.pt (MER_audio_taffc_dataset), for research use.
Citation: R. Panda, R. Malheiro, R. P. Paiva, "Novel audio features for
music emotion recognition", IEEE Transactions on Affective Computing
11(4): 614-626, 2020 (online 2018), doi:10.1109/TAFFC.2018.2820691.
"""

FOLDER = """\
Audio files from {root}, one sub-folder per class (label = folder name).
{n} files, {k} classes: {classes}.
Groups: {groups}.
"""
