"""ctxlint, installed from a wheel: the `ctxlint` binary on PATH, and `python -m ctxlint` that runs it.

The linter itself is the Rust binary that the wheel installs into the environment's scripts directory; this package
only finds it (`find_ctxlint_bin`).
"""

from ctxlint._find_ctxlint import find_ctxlint_bin

__all__ = ["find_ctxlint_bin"]
