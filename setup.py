"""The lessons and data in the package, built from their one source.

``notebooks/`` (the lessons) and ``data/`` (the sample and real data, the
quizzes) are where they are edited, at the top of the project.  A wheel
carries them as ``kamwidgets/lessons`` and ``kamwidgets/data``: this build
step copies them there at build time, so the repository holds them once.
In a checkout (an editable install) ``kamwidgets.samples`` reads them from
the top folders directly.  Everything else about the build is in
``pyproject.toml``; ``tests/test_wheel.py`` checks that the wheel has them.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: source folder -> (folder in the package, files to take)
SHIPPED = {
    "data": ("data", ("*.csv", "quizzes.json", "real/*.csv")),
    "notebooks": ("lessons", ("*.ipynb",)),
}


class BuildWithLessons(build_py):
    """The usual build, plus the lessons and data copied into the built package."""

    def run(self) -> None:
        super().run()
        for source, (inside, patterns) in SHIPPED.items():
            shutil.rmtree(Path(self.build_lib) / "kamwidgets" / inside, ignore_errors=True)  # an earlier build's
            for pattern in patterns:
                for path in sorted((HERE / source).glob(pattern)):
                    target = Path(self.build_lib) / "kamwidgets" / inside / path.relative_to(HERE / source)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)


setup(cmdclass={"build_py": BuildWithLessons})
