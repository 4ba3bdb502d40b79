"""Finds the `ctxlint` binary that the wheel installed into a scripts directory (`find_ctxlint_bin`)."""

import os
import sys
import sysconfig


def _candidates(exe):
    """The places a wheel's script can be, most likely first: this interpreter's scripts directory, the user scheme
    (`pip install --user`), `bin` beside the package (`pip install --target DIR`) and the scripts directory of the
    prefix the package is installed under (a venv run by another interpreter)."""
    yield os.path.join(sysconfig.get_path("scripts"), exe)
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    elif sys.platform == "darwin" and getattr(sys, "_framework", None):
        user_scheme = "osx_framework_user"
    else:
        user_scheme = "posix_user"
    yield os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), exe)
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    yield os.path.join(package_parent, "bin", exe)
    # <prefix>/lib/pythonX.Y/site-packages/ctxlint (POSIX) or <prefix>/Lib/site-packages/ctxlint (Windows)
    parts = package_parent.split(os.sep)
    for depth in (3, 2):
        if len(parts) > depth:
            prefix = os.sep.join(parts[:-depth])
            yield os.path.join(prefix, "Scripts" if os.name == "nt" else "bin", exe)


def find_ctxlint_bin():
    """Return the path of the installed `ctxlint` binary; raise FileNotFoundError naming the first place looked."""
    exe = "ctxlint" + (sysconfig.get_config_var("EXE") or "")
    first = None
    for path in _candidates(exe):
        first = first or path
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(first)
