"""Keep the files the package ships in step with their sources.

    python .ci/package_files.py sync    # copy data/ and notebooks/ into the package
    python .ci/package_files.py check   # exit 1 and list what differs

``data/`` (the sample and real data, the quizzes) and ``notebooks/`` (the
lessons) are where they are edited.  An installed package has no checkout
around it, so it carries copies: ``kamwidgets/data/`` and
``kamwidgets/lessons/``, read through ``importlib.resources`` the same way
in an editable install and from a wheel.  A test runs ``check``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    (ROOT / "data", ROOT / "kamwidgets" / "data", ("*.csv", "quizzes.json", "real/*.csv")),
    (ROOT / "notebooks", ROOT / "kamwidgets" / "lessons", ("*.ipynb",)),
]


def differences() -> list[tuple[Path, Path]]:
    """(source, copy) pairs whose copy is missing, different, or left over."""
    out = []
    for source, copy, patterns in PAIRS:
        wanted = {p.relative_to(source) for pattern in patterns for p in source.glob(pattern)}
        present = {p.relative_to(copy) for pattern in patterns for p in copy.glob(pattern)} if copy.exists() else set()
        for rel in sorted(wanted | present):
            a, b = source / rel, copy / rel
            if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
                out.append((a, b))
    return out


def sync() -> None:
    for a, b in differences():
        if a.exists():
            b.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(a, b)
        else:
            b.unlink()


def main(argv: list[str]) -> int:
    if argv[:1] == ["sync"]:
        sync()
        return 0
    if argv[:1] == ["check"]:
        wrong = differences()
        for a, b in wrong:
            print(f"differs: {b.relative_to(ROOT)} (from {a.relative_to(ROOT)})")
        if wrong:
            print("run: python .ci/package_files.py sync")
        return 1 if wrong else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
