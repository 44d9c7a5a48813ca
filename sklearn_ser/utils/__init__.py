"""Shared helpers: progress reporting and input validation."""

from ._progress import progress

__all__ = ["progress"]
