#!/usr/bin/env python3
"""Copies the ctxlint binary out of a built wheel (`<name>.data/scripts/ctxlint[.exe]`) to OUT, mode 755, so that the
npm platform package ships the very binary of the wheel: `python3 npm/binary-from-wheel.py WHEEL OUT`."""

import os
import shutil
import sys
import zipfile


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: binary-from-wheel.py WHEEL OUT")
    wheel, out = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if n.split("/")[-1] in ("ctxlint", "ctxlint.exe") and "/scripts/" in n]
        if len(names) != 1:
            sys.exit(f"binary-from-wheel: expected one ctxlint script in {wheel}, found {names}")
        with archive.open(names[0]) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    os.chmod(out, 0o755)
    print(out)


if __name__ == "__main__":
    main()
