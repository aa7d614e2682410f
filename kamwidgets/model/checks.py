"""The checks every input goes through, in the model and in the widgets alike.

One rule per kind of input, so that a value the model refuses is refused by
the widget's trait with the same words, and a value the widget takes the
model takes too.  Each check returns the clean value or raises
:class:`~kamwidgets.errors.KamDataError` saying what is wrong and how to fix
it.

>>> score_pair((6, "5.5"), ("attractiveness", "strength"), "thresholds")
(6.0, 5.5)
>>> hours({"key": 6}, {"key": 4.0, "development": 3.0})
{'key': 6.0, 'development': 3.0}
>>> number("0,3", "the gap"), number("150 000", "the revenue")
(0.3, 150000.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import KamDataError
from .load._numbers import Percent, read_number

__all__ = [
    "HOURS_IN_A_WEEK",
    "number",
    "score",
    "score_pair",
    "whole_number",
    "weight",
    "weights",
    "per_bucket",
    "hours",
    "names",
    "texts",
    "text",
    "choice",
]

#: No bucket can take more hours a week than a week has.
HOURS_IN_A_WEEK = 168.0


def number(
    value: Any,
    what: str,
    *,
    low: float | None = None,
    high: float | None = None,
    fix: str = "",
    percent: Percent = "refuse",
) -> float:
    """A finite number (not a bool), within ``low``-``high`` when given.

    Text is read as a person types it, by the loader's rules for one cell
    (:func:`kamwidgets.model.load._numbers.read_number`): "5.5", "0,3",
    "150 000", "1.200,50"; "1,200" alone could be 1200 or 1.2 and is
    refused, saying both.  A percentage ("30%") is refused unless
    ``percent`` says how to read it ("fraction": 0.3, "points": 30).
    """
    if isinstance(value, str):
        try:
            read = read_number(value, percent=percent)
        except KamDataError as err:
            raise KamDataError(f"{what}: {err.problem}", fix=err.fix) from None
        value = value if read is None else read
    ok = not isinstance(value, bool) and isinstance(value, (int, float, np.number)) and math.isfinite(float(value))
    if ok and (low is None or float(value) >= low) and (high is None or float(value) <= high):
        return float(value)
    if low is not None and high is not None:
        wanted = f"a number from {low:g} to {high:g}"
    elif low is not None:
        wanted = f"a number of {low:g} or more"
    else:
        wanted = "a number"
    raise KamDataError(f"{what} must be {wanted}, not {value!r}", fix=fix or f"Use {wanted}.")


def score(value: Any, what: str) -> float:
    """A score on the workbook's 0-10 scale."""
    return number(value, what, low=0, high=10, fix="Scores run from 0 (lowest) to 10 (highest).")


def score_pair(value: Any, names: tuple[str, str], what: str = "thresholds") -> tuple[float, float]:
    """Two 0-10 scores, such as the (attractiveness, strength) split points."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (Sequence, np.ndarray)) or len(value) != 2:
        raise KamDataError(
            f"{what} must be two numbers ({names[0]}, {names[1]}), not {value!r}",
            fix=f"For example {what}=(5, 5).",
        )
    return score(value[0], f"the {names[0]} {what[:-1]}"), score(value[1], f"the {names[1]} {what[:-1]}")


def whole_number(value: Any, what: str, *, low: int = 0) -> int:
    """A whole number of ``low`` or more (5.0 counts as 5; 5.5 and True do not)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or value != int(value) or value < low:
        raise KamDataError(f"{what} must be a whole number of {low} or more, not {value!r}")
    return int(value)


def weight(value: Any, what: str) -> float:
    """A criterion weight: a number of 0 or more (weights become percentages of their axis)."""
    return number(value, what, low=0, fix="Weights are numbers of 0 or more (they are turned into percentages).")


def weights(values: Any, axis: str) -> dict[str, float]:
    """The weights of one axis by column: each 0 or more, not all 0."""
    if not isinstance(values, Mapping):
        raise KamDataError(f"the {axis} weights must be a mapping {{column: weight}}, not {values!r}")
    out = {str(col): weight(w, f"the weight of {col!r}") for col, w in values.items()}
    if out and sum(out.values()) <= 0:
        raise KamDataError(f"the {axis} weights add up to 0", fix="Give at least one criterion a weight above 0.")
    return out


def per_bucket(
    values: Mapping[str, Any] | Sequence[Any] | None,
    default: Mapping[str, float],
    labels: Sequence[str],
    what: str,
    *,
    high: float | None = None,
) -> np.ndarray:
    """One number per bucket (in ``default``'s order) from a mapping by key or label, or a list of four.

    Buckets not named keep their default; each number is 0 or more (and at
    most ``high``).
    """
    keys = list(default)
    if values is None:
        return np.array([default[k] for k in keys], dtype=float)
    if isinstance(values, Mapping):
        out = dict(default)
        for k, v in values.items():
            if k in out:
                out[k] = v
            elif k in labels:
                out[keys[list(labels).index(k)]] = v
            else:
                raise KamDataError(f"{what}: {k!r} is not a bucket", fix=f"Use {', '.join(map(repr, keys))}.")
        items = [(k, out[k]) for k in keys]
    elif isinstance(values, (Sequence, np.ndarray)) and not isinstance(values, str) and len(values) == len(keys):
        items = list(zip(keys, values))
    else:
        raise KamDataError(
            f"{what} needs {len(keys)} numbers, one per bucket",
            fix=f"Order: {', '.join(keys)}; or a mapping by bucket.",
        )
    return np.array([number(v, f"{what} for {k!r}", low=0, high=high) for k, v in items], dtype=float)


def hours(
    values: Mapping[str, Any] | Sequence[Any] | None, default: Mapping[str, float], labels: Sequence[str] = ()
) -> dict[str, float]:
    """Hours a week per account of each bucket: 0 to 168 each, the defaults for buckets not named."""
    h = per_bucket(values, default, labels, "hours a week", high=HOURS_IN_A_WEEK)
    return {k: float(v) for k, v in zip(default, h)}


def names(values: Any, default: Mapping[str, str], one: str) -> dict[str, str]:
    """The label of each ``one`` (a bucket, a buyer position) by key: the defaults, overridden by ``values``.

    ``values`` maps a key (or a default label) to a new label, or lists the
    labels in the order of ``default``.  Every label is non-empty text, and
    no two are the same.
    """
    out = dict(default)
    keys = list(default)
    if values is None:
        return out
    if isinstance(values, Mapping):
        by_default = {v: k for k, v in default.items()}
        for k, v in values.items():
            key = k if k in out else by_default.get(k)
            if key is None:
                raise KamDataError(f"{k!r} is not a {one}", fix=f"Use the keys {', '.join(map(repr, keys))}.")
            out[key] = v
    elif isinstance(values, Sequence) and not isinstance(values, str):
        if len(values) != len(keys):
            raise KamDataError(
                f"{len(values)} labels were given for {len(keys)} {one}s", fix=f"Give one per {', '.join(keys)}."
            )
        out = dict(zip(keys, values))
    else:
        raise KamDataError(f"{one} labels must be a mapping or a list of texts, not {values!r}")
    for key, v in out.items():
        if not isinstance(v, str) or not v.strip():
            raise KamDataError(f"the label for {key!r} is empty or not text", fix=f"Give each {one} a name.")
    if len(set(out.values())) != len(out):
        raise KamDataError(f"two {one}s have the same label", fix=f"Give each {one} its own name.")
    return out


def flag(value: Any, what: str) -> bool:
    """A yes/no setting: True or False, nothing else (1, "yes" or None are refused, not guessed)."""
    if not isinstance(value, bool):
        raise KamDataError(f"{what} must be True or False, not {value!r}")
    return value


def text(value: Any, what: str) -> str:
    """Free text (it may be empty); anything that is not text, None included, is refused, not turned into text."""
    if not isinstance(value, str):
        raise KamDataError(f"{what} must be text, not {value!r}")
    return value


def choice(value: Any, options: Sequence[Any], what: str) -> Any:
    """One of ``options``."""
    if value not in list(options):
        shown = ", ".join(map(repr, list(options)[:8])) + (" ..." if len(options) > 8 else "")
        raise KamDataError(f"{what}: {value!r} is not an option", fix=f"Use one of {shown}.")
    return value


def texts(values: Any, what: str) -> list[str]:
    """A list of non-empty texts, in order, each once (surrounding spaces removed)."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, (Sequence, np.ndarray, set, frozenset)):
        raise KamDataError(
            f"{what} must be a list of texts, not {values!r}", fix='For example ["Purchasing", "Quality"].'
        )
    out: list[str] = []
    for v in values:
        if not isinstance(v, str) or not v.strip():
            raise KamDataError(f"{what}: {v!r} is not a name", fix="Each entry is a non-empty text.")
        if v.strip() not in out:
            out.append(v.strip())
    return out
