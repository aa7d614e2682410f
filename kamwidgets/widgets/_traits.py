"""The trait types of the widgets' inputs: each kind of input checked in one place, with the model's words.

A widget declares what an input is (``region = Text("", help=...)``, ``extended = Flag(False, ...)``) and the
trait refuses what :mod:`kamwidgets.model.checks` refuses, with the same :class:`~kamwidgets.KamDataError`,
whether the value comes from Python, from a control, or from saved settings.  An input whose check needs the
widget's other state (the criteria there are, the file loaded) keeps a ``@traitlets.validate`` method of its
own, on an :class:`Input`.

``what`` names the input in a message; it is the trait's own name when not given.

>>> import traitlets
>>> class Example(traitlets.HasTraits):
...     region = Text("", what="the region")
...     extended = Flag(False)
>>> Example(region="North").region
'North'
>>> Example(extended=1)
Traceback (most recent call last):
...
kamwidgets.errors.KamDataError: extended must be True or False, not 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from ..model import checks

__all__ = ["Checked", "Choice", "Flag", "Input", "Result", "Score", "ScorePair", "Text", "Texts", "WholeNumber"]

_TABLES = (pd.DataFrame, pd.Series, np.ndarray)


class Result(traitlets.Any):
    """A widget's result: setting a table (a frame, a series or an array), or replacing one, is always a change.

    traitlets compares an old value with the new one (``==``) to leave out changes that change nothing: for
    two tables that compares them cell by cell and ends in a table with no single truth, which traitlets takes
    as a change.  That comparison took about 0.1 s of every slider move at a million accounts; a table is
    therefore not compared.  Any other value is, as by ``traitlets.Any``.
    """

    def set(self, obj: Any, value: Any) -> None:
        old = obj._trait_values.get(self.name, self.default_value)
        if not isinstance(old, _TABLES) and not isinstance(value, _TABLES):
            super().set(obj, value)
            return
        new = self._validate(obj, value)
        obj._trait_values[self.name] = new
        obj._notify_trait(self.name, old, new)  # (traitlets' own set, without the comparison)


class Input(traitlets.Any):
    """A widget's input: every value set, ``None`` included, goes through the widget's validator.

    The validators call :mod:`kamwidgets.model.checks`, so a trait refuses
    what the model refuses, with the same words.
    """

    allow_none = False


class Checked(Input):
    """An input whose every value goes through ``check`` (a function of the model): what it returns is kept."""

    def __init__(self, check: Callable[[Any], Any], default_value: Any = traitlets.Undefined, **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.check = check

    def validate(self, obj: Any, value: Any) -> Any:
        return self.check(value)


class _Named(Input):
    """An input checked by a function of the model that names it in its message (``what``, or the trait's name)."""

    def __init__(self, default_value: Any = traitlets.Undefined, *, what: str | None = None, **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.what = what

    @property
    def said(self) -> str:
        return self.what or str(self.name)


class Text(_Named):
    """Free text (it may be empty; ``strip`` takes the spaces around it away): :func:`checks.text`."""

    def __init__(self, default_value: Any = "", *, strip: bool = False, **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.strip = strip

    def validate(self, obj: Any, value: Any) -> str:
        text = checks.text(value, self.said)
        return text.strip() if self.strip else text


class Texts(_Named):
    """A list of names, each once and trimmed (nothing given: none): :func:`checks.texts`."""

    def validate(self, obj: Any, value: Any) -> list[str]:
        return checks.texts(value, self.said)


class Flag(_Named):
    """True or False, nothing else: :func:`checks.flag`."""

    def validate(self, obj: Any, value: Any) -> bool:
        return checks.flag(value, self.said)


class Score(_Named):
    """A score on the workbook's 0-10 scale: :func:`checks.score`."""

    def validate(self, obj: Any, value: Any) -> float:
        return checks.score(value, self.said)


class WholeNumber(_Named):
    """A whole number of ``low`` or more: :func:`checks.whole_number`."""

    def __init__(self, default_value: Any = traitlets.Undefined, *, low: int = 0, **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.low = low

    def validate(self, obj: Any, value: Any) -> int:
        return checks.whole_number(value, self.said, low=self.low)


class Choice(_Named):
    """One of ``options``: :func:`checks.choice`."""

    def __init__(self, default_value: Any = traitlets.Undefined, *, options: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.options = list(options)

    def validate(self, obj: Any, value: Any) -> Any:
        return checks.choice(value, self.options, self.said)


class ScorePair(Input):
    """Two 0-10 scores, such as split points, named ``names`` in a message: :func:`checks.score_pair`."""

    def __init__(self, default_value: Any = traitlets.Undefined, *, names: tuple[str, str], **kwargs: Any) -> None:
        super().__init__(default_value, **kwargs)
        self.names = names

    def validate(self, obj: Any, value: Any) -> tuple[float, float]:
        return checks.score_pair(value, self.names)
