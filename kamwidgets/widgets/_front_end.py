"""The widgets' front-end modules and style sheets, as the page receives them.

Their sources are ES modules and CSS files in ``js/``: a widget's module imports what it shares with others
(the page's accessibility step ``a11y.js``, the lost-kernel notice ``connection.js``, ``reach.js``) and the
styles it needs.  ``npm run build`` (esbuild, see ``js/build.mjs``) joins each widget's imports into one
module and one style sheet in ``static/``, which are committed and shipped in the wheel; a test
(``tests/test_front_end.py``) fails when they are not what the sources build.

A widget class sends them as anywidget's ``_esm`` and ``_css``, read here as text once, when the class is
defined.  anywidget also takes a :class:`pathlib.Path`, but (0.11) it then makes the attribute a
``FileContents`` and connects a callback holding the widget to that file's change signal for every instance:
nothing ever disconnects it, so no widget made from such a class is freed, and a lesson makes thousands.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC", "module", "style"]

#: Where the built modules and style sheets are (``js/build.mjs`` writes them).
STATIC = Path(__file__).resolve().parent / "static"


def module(name: str) -> str:
    """The built front-end module ``static/<name>.js``, for a widget class's ``_esm``."""
    return (STATIC / f"{name}.js").read_text(encoding="utf-8")


def style(name: str) -> str:
    """The built style sheet ``static/<name>.css``, for a widget class's ``_css``."""
    return (STATIC / f"{name}.css").read_text(encoding="utf-8")
