"""Where corpora live: ``data_home`` resolution."""

import os
from pathlib import Path

__all__ = ["get_data_home", "DATA_HOME_ENV"]

DATA_HOME_ENV = "SER_DATA"


def get_data_home(data_home=None):
    """Return the folder holding the corpora.

    Resolution order: the ``data_home`` argument, then the ``SER_DATA``
    environment variable, then ``~/sklearn_ser_data``. The folder is not
    created; loaders report where they looked when a corpus is missing.
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or "~/sklearn_ser_data"
    return Path(os.path.expanduser(os.fspath(data_home)))
