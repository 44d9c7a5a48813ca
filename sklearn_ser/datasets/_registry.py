"""The one table of corpora: every :class:`CorpusSpec` row, by name.

The command line (``sklearn-ser list``, ``--corpus``), the quick start and
the benchmarks read this table; ``load_corpus(name, ...)`` calls the row's
loader ``load_<name>``. To add a corpus, add its row here (see the README's
"Adding a corpus").
"""

from ..utils._lookup import lookup
from ._corpora import CREMA_D, EMODB, TUREV_DB
from ._mer import MER_4Q
from ._ravdess_tess import RAVDESS, RAVDESS_TESS, TESS
from ._spec import CorpusSpec

__all__ = ["CORPORA", "get_corpus_spec", "list_corpora", "load_corpus"]

SAMPLE = CorpusSpec(
    name="sample",
    description="120 RAVDESS clips shipped with the package (8 actors)",
    needs_data_home=False,
)
FOLDER = CorpusSpec(
    name="folder",
    description="one sub-folder per class (speakers only from a speaker regex)",
    target="label",
    speakers=False,
)

#: name -> :class:`CorpusSpec` of every corpus, in display order; the loader
#: of row ``name`` is ``sklearn_ser.datasets.load_<name>``.
CORPORA = {
    spec.name: spec
    for spec in (
        RAVDESS,
        TESS,
        RAVDESS_TESS,
        CREMA_D,
        EMODB,
        TUREV_DB,
        MER_4Q,
        SAMPLE,
        FOLDER,
    )
}


def list_corpora():
    """Corpus name -> :class:`CorpusSpec`, in display order (a copy of :data:`CORPORA`).

    Examples
    --------
    >>> from sklearn_ser.datasets import list_corpora
    >>> list(list_corpora())  # doctest: +NORMALIZE_WHITESPACE
    ['ravdess', 'tess', 'ravdess_tess', 'crema_d', 'emodb', 'turev_db', 'mer_4q',
     'sample', 'folder']
    """
    return dict(CORPORA)


def get_corpus_spec(name):
    """The :class:`CorpusSpec` called ``name`` (ValueError naming the choices)."""
    return lookup(CORPORA, name, "corpus")


def load_corpus(name, data_home=None, *, speaker=None, on_bad_name="raise"):
    """Load the corpus called ``name`` with its loader ``load_<name>``.

    Parameters
    ----------
    name : str
        A key of :data:`CORPORA`.
    data_home : str or None
        The corpus folder or the folder holding it (``folder``: the root with
        one sub-folder per class). Not used by ``sample``.
    speaker : str or None
        ``folder`` only: regular expression giving the speaker of each file.
    on_bad_name : {"raise", "warn"}, default="raise"
        What the loader does with files that break the corpus' name scheme.

    Returns
    -------
    sklearn.utils.Bunch
    """
    from .. import datasets

    spec = get_corpus_spec(name)
    loader = getattr(datasets, spec.loader)
    if not spec.needs_data_home:
        return loader()
    if not spec.speakers:
        return loader(data_home, speaker=speaker, on_bad_name=on_bad_name)
    return loader(data_home, on_bad_name=on_bad_name)
