"""Thin ipywidgets over the model and charts.

Every widget follows one convention (see :mod:`kamwidgets.widgets._base`):
``.value`` (the result), ``.controls`` (inputs by name), ``.settings`` /
``.apply_settings`` (a plain dict) and ``.error``.
"""

from ._base import KamWidget
from .classify import ClassificationWidget

__all__ = ["KamWidget", "ClassificationWidget"]
