"""Corpus loaders returning scikit-learn Bunches with speaker groups."""

from ._base import DATA_HOME_ENV, get_data_home

__all__ = ["DATA_HOME_ENV", "get_data_home"]
