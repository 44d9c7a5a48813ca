"""The one list of corpora that the command line, the quickstart and the
benchmarks offer by name.

Each entry maps a short name to its loader in :mod:`sklearn_ser.datasets`
and a one-line description. ``load_corpus(name, ...)`` calls that loader
with the options it accepts.
"""

from dataclasses import dataclass

__all__ = ["CorpusSpec", "get_corpus_spec", "list_corpora", "load_corpus"]


@dataclass(frozen=True)
class CorpusSpec:
    """Registry entry: ``name`` -> ``loader`` (a function of ``datasets``).

    ``needs_data_home`` is False for the sample shipped in the package;
    ``folder`` corpora take their root as the first argument.
    """

    name: str
    loader: str
    description: str
    needs_data_home: bool = True
    speakers: bool = True


_SPECS = [
    CorpusSpec(
        "ravdess",
        "load_ravdess",
        "RAVDESS audio-only speech (24 actors, 8 emotions)",
    ),
    CorpusSpec("tess", "load_tess", "TESS (2 speakers, 7 emotions)"),
    CorpusSpec(
        "ravdess_tess",
        "load_ravdess_tess",
        "RAVDESS + TESS merged as in S0 (26 speakers)",
    ),
    CorpusSpec("crema_d", "load_crema_d", "CREMA-D (91 actors, 6 emotions)"),
    CorpusSpec("emodb", "load_emodb", "EMO-DB, Berlin (10 speakers, 7 emotions)"),
    CorpusSpec("turev_db", "load_turev_db", "TurEV-DB, Turkish (4 emotions)"),
    CorpusSpec(
        "sample",
        "load_sample",
        "120 RAVDESS clips shipped with the package (8 actors)",
        needs_data_home=False,
    ),
    CorpusSpec(
        "folder",
        "load_folder",
        "one sub-folder per class (speakers only from a speaker regex)",
        speakers=False,
    ),
]
_REGISTRY = {s.name: s for s in _SPECS}


def list_corpora():
    """Corpus name -> :class:`CorpusSpec`, in display order."""
    return dict(_REGISTRY)


def get_corpus_spec(name):
    """The :class:`CorpusSpec` called ``name`` (ValueError naming the choices)."""
    if name not in _REGISTRY:
        raise ValueError(
            f"Unknown corpus. Choose one of {sorted(_REGISTRY)}. Received: "
            f"corpus={name!r}"
        )
    return _REGISTRY[name]


def load_corpus(name, data_home=None, *, speaker=None, on_bad_name="raise"):
    """Load the corpus called ``name`` with its loader.

    Parameters
    ----------
    name : str
        A key of :func:`list_corpora`.
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
    if name == "folder":
        return loader(data_home, speaker=speaker, on_bad_name=on_bad_name)
    return loader(data_home, on_bad_name=on_bad_name)
