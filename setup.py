"""The lessons and data in the wheel, built from their one source (see kamwidgets/_shipped.py).

Everything else about the build is in ``pyproject.toml``; ``tests/test_wheel.py``
checks that the wheel holds exactly the project's lessons and data.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# loaded by its path: nothing of the package (nor pandas) is installed while it builds
_spec = importlib.util.spec_from_file_location("kamwidgets_shipped", HERE / "kamwidgets" / "_shipped.py")
shipped = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shipped)


class BuildWithLessons(build_py):
    """The usual build, plus the lessons and data copied into the built package."""

    def run(self) -> None:
        super().run()
        shipped.copy_shipped(HERE, Path(self.build_lib) / "kamwidgets")


setup(cmdclass={"build_py": BuildWithLessons})
