"""`python -m ctxlint ARGS`: runs the `ctxlint` binary that this wheel installed, with ARGS (the way ruff's does).

On POSIX the interpreter is replaced by the binary (`os.execvp`), so stdin, signals and the exit code are the
binary's own; on Windows it runs as a child process and its exit code is passed on.
"""

import os
import sys

from ctxlint._find_ctxlint import find_ctxlint_bin


def main():
    """Run the binary with this process's arguments; never returns."""
    try:
        ctxlint = os.fsdecode(find_ctxlint_bin())
    except FileNotFoundError as missing:
        sys.stderr.write(f"error: the ctxlint binary is not installed (looked for {missing}); reinstall the wheel\n")
        sys.exit(2)
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([ctxlint, *sys.argv[1:]]).returncode)
    os.execvp(ctxlint, [ctxlint, *sys.argv[1:]])


if __name__ == "__main__":
    main()
