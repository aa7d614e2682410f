"""The lessons and data a wheel carries, and where they come from in the project (their one source).

``notebooks/`` (the lessons) and ``data/`` (the sample and real data, the
quizzes) are edited at the top of the project.  A wheel carries copies as
``kamwidgets/lessons`` and ``kamwidgets/data``, made at build time by the
project's ``setup.py``; the workshop server's runtime copy of the workbook
(``deploy/jupyterhub_config.py``) makes them the same way.  A checkout reads
the top folders in place (:mod:`kamwidgets.samples`).  Standard library
only: ``setup.py`` loads this file before anything is installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: project folder -> (folder inside the package, files taken from it)
SHIPPED: dict[str, tuple[str, tuple[str, ...]]] = {
    "data": ("data", ("*.csv", "quizzes.json", "real/*.csv")),
    "notebooks": ("lessons", ("*.ipynb",)),
}


def copy_shipped(project: Path, package: Path) -> list[Path]:
    """Copy the lessons and data from ``project`` into the package folder ``package``; return what was written.

    What an earlier copy left there is removed first, so the package holds exactly the project's files.
    """
    written = []
    for source, (inside, patterns) in SHIPPED.items():
        shutil.rmtree(package / inside, ignore_errors=True)
        for pattern in patterns:
            for path in sorted((project / source).glob(pattern)):
                target = package / inside / path.relative_to(project / source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                written.append(target)
    return written


def _shipped(source: str) -> Path:
    """Where the package's lessons or data are: in a checkout (the project's ``pyproject.toml`` beside the
    package), the project's own folder, their one source; in an installed wheel, inside the package."""
    project = Path(__file__).resolve().parent.parent
    if (project / "pyproject.toml").is_file() and (project / source).is_dir():
        return project / source
    return Path(__file__).resolve().parent / SHIPPED[source][0]


#: The data the package ships (the project's ``data/``), from a checkout or an installed wheel alike.
DATA_DIR = _shipped("data")
#: The lessons the package ships (the project's ``notebooks/``); ``kamwidgets lessons DIR`` copies them out.
LESSONS_DIR = _shipped("notebooks")
