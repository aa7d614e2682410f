"""Keep the lesson notebooks clean: small, diffable, with only checked outputs.

    python .ci/notebooks.py refresh notebooks/*.ipynb   # run them, keep checked outputs
    python .ci/notebooks.py clean notebooks/*.ipynb     # strip without running
    python .ci/notebooks.py check notebooks/*.ipynb     # exit 1 if any is not clean

Only the outputs of cells tagged ``nbval-check-output`` are kept (nbval
compares those); widget state, execution counts and other volatile metadata
are removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

CHECK_TAG = "nbval-check-output"
KEEP_METADATA = {"kernelspec", "language_info", "voila", "kamwidgets"}  # kamwidgets: {"charts": false}


def checked(cell) -> bool:
    return CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def clean(nb) -> None:
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in KEEP_METADATA}
    nb.metadata.get("language_info", {}).pop("version", None)
    number = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type != "code":
            continue
        number += 1
        if checked(cell):
            cell.outputs = [
                o
                for o in cell.outputs
                if o.get("output_type") != "display_data"
                or "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
            ]
            # nbval skips a cell with no execution count: number it by position
            cell.execution_count = number
            for o in cell.outputs:
                if o.get("output_type") == "execute_result":
                    o["execution_count"] = number
                if "metadata" in o:
                    o["metadata"] = {}
        else:
            cell.outputs = []
            cell.execution_count = None


def is_clean(nb) -> bool:
    before = nbformat.writes(nb)
    copy = nbformat.reads(before, as_version=4)
    clean(copy)
    return nbformat.writes(copy) == before


def refresh(path: Path) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    clean(nb)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("refresh", "clean", "check"):
        print(__doc__)
        return 2
    command, paths = argv[0], [Path(p) for p in argv[1:]]
    dirty = []
    for path in paths:
        if command == "refresh":
            refresh(path)
        elif command == "clean":
            nb = nbformat.read(path, as_version=4)
            clean(nb)
            nbformat.write(nb, path)
        elif not is_clean(nbformat.read(path, as_version=4)):
            dirty.append(str(path))
    if dirty:
        print("not clean (run: python .ci/notebooks.py clean ...):", *dirty, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
