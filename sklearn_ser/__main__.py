"""``python -m sklearn_ser``: the command line (see :mod:`sklearn_ser.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
