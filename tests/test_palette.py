"""The palette is the one home of the workbook's colours.

Python modules take every colour from :mod:`kamwidgets.palette`; the front
end's files, which cannot import it, write only colours that it holds.
"""

from __future__ import annotations

import re
import subprocess
import sys

from kamwidgets import charts, palette
from kamwidgets.model import SEGMENTS, buyers, dmu, stakeholders, swot

from .conftest import ROOT

PACKAGE = ROOT / "kamwidgets"
# a colour code: #rgb, #rrggbb (or with alpha); not an HTML character reference such as &#160;
COLOUR_CODE = re.compile(r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")


def _palette_colours() -> set[str]:
    """Every colour code the palette holds: its names, and the values of its tuples and tables."""
    found: set[str] = set()
    for name, value in vars(palette).items():
        if name.startswith("_"):
            continue
        values = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        found.update(v.lower() for v in values if isinstance(v, str) and COLOUR_CODE.fullmatch(v))
    return found


def _codes(path) -> list[str]:
    return [m.group(0).lower() for m in COLOUR_CODE.finditer(path.read_text(encoding="utf-8"))]


def test_the_colour_code_pattern_finds_codes_and_only_codes():
    text = "a #1b7837 b #FFF c var(--x,#e5e5e5) d &#160; e issue#12 f #12345 g #fff4ce"
    assert [m.group(0) for m in COLOUR_CODE.finditer(text)] == ["#1b7837", "#FFF", "#e5e5e5", "#fff4ce"]


def test_no_python_module_but_the_palette_writes_a_colour_code():
    written = {
        str(path.relative_to(ROOT)): _codes(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "palette.py" and _codes(path)
    }
    assert written == {}, f"take these colours from kamwidgets.palette: {written}"


def test_the_front_ends_files_write_only_the_palettes_colours():
    files = sorted(p for pattern in ("*.js", "*.css") for p in PACKAGE.rglob(pattern))
    assert files, "the front end's files were not found"
    files += sorted(p for p in (ROOT / "jupyter-data").rglob("*") if p.suffix in (".html", ".j2", ".js", ".css"))
    foreign = {str(p.relative_to(ROOT)): sorted(set(_codes(p)) - _palette_colours()) for p in files}
    assert {k: v for k, v in foreign.items() if v} == {}, "add these to kamwidgets/palette.py (with a name) or use one"


def test_every_colour_of_the_palette_is_a_colour_code():
    assert len(_palette_colours()) >= 20
    named = {k: v for k, v in vars(palette).items() if k.isupper() and isinstance(v, str)}
    assert all(COLOUR_CODE.fullmatch(v) for v in named.values()), named


def test_each_thing_that_has_a_colour_has_one():
    assert len(palette.SEGMENT_COLOURS) == len(SEGMENTS)
    assert charts.SEGMENT_COLOURS is palette.SEGMENT_COLOURS
    assert tuple(palette.BUYER_COLOURS) == buyers.QUADRANTS
    assert tuple(palette.ROLE_COLOURS) == dmu.ROLES
    assert len(palette.STANCE_COLOURS) == len(stakeholders.STANCES)
    assert tuple(palette.SWOT_COLOURS) == swot.QUADRANTS
    # the same meaning, the same colour: a key account, a green light and a strength are one green
    assert palette.SEGMENT_COLOURS[0] == palette.LIGHTS["green"] == palette.SWOT_COLOURS["strength"] == palette.GREEN
    assert palette.LIGHTS["red"] == palette.SWOT_COLOURS["weakness"] == palette.STANCE_COLOURS[-1] == palette.RED


def test_the_palette_imports_neither_plotly_nor_ipywidgets():
    code = "import sys, kamwidgets.palette; print('plotly' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


RGB_CODE = re.compile(r"\brgba?\(\s*\d")


def test_no_python_module_but_the_palette_writes_an_rgb_colour():
    """``rgb(...)``/``rgba(...)`` written out are colours too (a palette colour seen through is
    ``palette.translucent``)."""
    written = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "palette.py" and RGB_CODE.search(path.read_text(encoding="utf-8"))
    ]
    assert written == [], f"take these colours from kamwidgets.palette: {written}"
    assert palette.translucent(palette.BLUE, 0.5) == "rgba(33,102,172,0.5)"
