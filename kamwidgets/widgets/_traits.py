"""The trait types of the widgets' inputs."""

from __future__ import annotations

import traitlets

__all__ = ["Input"]


class Input(traitlets.Any):
    """A widget's input: every value set, ``None`` included, goes through the widget's validator.

    The validators call :mod:`kamwidgets.model.checks`, so a trait refuses
    what the model refuses, with the same words.
    """

    allow_none = False
