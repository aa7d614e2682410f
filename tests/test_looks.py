"""A tool's widgets share their layouts and styles (kamwidgets/widgets/_looks.py): fewer models on the page."""

from __future__ import annotations

import ipywidgets as W
import pytest

import kamwidgets as kw
from kamwidgets.widgets._base import KamWidget
from kamwidgets.widgets._looks import SharedLookError, is_shared, shared_layout


def _tree(widget: W.Widget, found: dict | None = None) -> list[W.Widget]:
    """The widget and every widget its state names (children, layout, style...)."""
    found = {} if found is None else found
    if id(widget) in found:
        return list(found.values())
    found[id(widget)] = widget
    for name in widget.keys:
        value = getattr(widget, name, None) if name in ("layout", "style", "children") else None
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, W.Widget):
                _tree(item, found)
    return list(found.values())


@pytest.fixture
def unit() -> kw.DecisionUnit:
    return kw.DecisionUnit(kw.sample_path("account_dmu"))


def _drawn(tool: W.Widget) -> list[W.Widget]:
    """The tool's widgets that have a layout (a chart's ``layout`` is its figure's)."""
    return [w for w in _tree(tool) if isinstance(getattr(w, "layout", None), W.Layout)]


def _plain(widget: W.Widget) -> bool:
    """Whether the widget's layout sets nothing."""
    return all(getattr(widget.layout, name) is None for name in widget.layout.keys if not name.startswith("_"))


def test_a_tools_widgets_without_a_layout_of_their_own_share_one(unit):
    widgets = _drawn(unit)
    plain = [w for w in widgets if _plain(w) and not isinstance(w, KamWidget)]  # a tool's own box keeps its own
    layouts = {id(w.layout) for w in widgets}
    models = _tree(unit)
    # every widget whose layout is empty has the one shared empty layout
    assert len(plain) > 20 and len({id(w.layout) for w in plain}) == 1
    assert all(is_shared(w.layout) for w in plain)
    # the table's inputs of one column share a layout: far fewer layouts than widgets, and most models are widgets
    assert len(layouts) < len(widgets) / 3
    assert sum(isinstance(m, (W.Layout, W.Style)) for m in models) < len(widgets) / 2


def test_a_tools_widgets_of_one_kind_share_a_style(unit):
    buttons = [w for w in _tree(unit) if type(w) is W.Button]
    assert len(buttons) > 3
    assert len({id(b.style) for b in buttons}) == 1 and is_shared(buttons[0].style)


def test_changing_a_shared_layout_is_refused_and_says_how_to_give_the_widget_its_own(unit):
    note = next(w for w in _drawn(unit) if type(w) is W.HTML and _plain(w))
    others = [w for w in _drawn(unit) if w is not note and w.layout is note.layout]
    assert len(others) > 5
    with pytest.raises(SharedLookError, match=r"widget.layout = ipywidgets.Layout\(display='none'\)"):
        note.layout.display = "none"
    assert all(w.layout.display is None for w in [note, *others])  # nothing changed
    note.layout = W.Layout(display="none")  # as the message says: its own
    assert note.layout.display == "none" and all(w.layout.display is None for w in others)


def test_changing_a_shared_style_is_refused(unit):
    button = next(w for w in _tree(unit) if type(w) is W.Button)
    with pytest.raises(SharedLookError, match="style"):
        button.style.button_color = "red"
    assert button.style.button_color is None


def test_widgets_made_outside_a_tool_have_their_own_layout_and_style(unit):
    # after a build, even the workbook's own widget classes: the sharing ends with the build
    made = [W.Button(), W.Button(), kw.DownloadButton("Get it", "a.txt", lambda: b"x")]
    assert len({id(w.layout) for w in made}) == 3 and len({id(w.style) for w in made[:2]}) == 2
    assert not any(is_shared(w.layout) for w in made) and not any(is_shared(w.style) for w in made[:2])
    made[0].layout.width = "99px"
    assert made[1].layout.width is None


def test_a_tools_own_box_keeps_its_own_layout_for_a_participant_to_size_and_place(unit):
    assert not is_shared(unit.layout)
    unit.layout.width = "100%"
    assert unit.layout.width == "100%"
    page = W.AppLayout(header=W.HTML("h"), center=unit)  # sets the grid area of each part
    assert unit.layout.grid_area == "center" and page.center is unit
    grid = W.GridspecLayout(1, 2)
    grid[0, 1] = kw.DecisionUnit(kw.sample_path("account_dmu"))
    assert grid[0, 1].layout.grid_area
    assert is_shared(next(w for w in _drawn(unit) if w is not unit and _plain(w)).layout)  # its insides share


def test_a_layout_given_to_a_widget_in_a_tool_stays_its_own():
    picker = kw.DataPicker()
    sheet = picker.controls["sheet"]
    assert not is_shared(sheet.layout)
    picker_hides_it = sheet.layout.display
    assert picker_hides_it == "none"  # no file yet: the picker hid its own layout, no other widget's


def test_shared_layouts_are_one_per_settings_and_a_closed_one_is_replaced():
    one = shared_layout(width="123px", flex="0 0 auto")
    assert shared_layout(flex="0 0 auto", width="123px") is one
    assert shared_layout(width="124px", flex="0 0 auto") is not one
    one.close()
    again = shared_layout(width="123px", flex="0 0 auto")
    assert again is not one and again.comm is not None and again.width == "123px"


def test_the_workbenchs_weight_sliders_share_one_layout_and_one_style():
    bench = kw.ClassificationWidget(kw.samples.sample_portfolio(), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    sliders = [w for w in bench.controls.values() if isinstance(w, W.FloatSlider) and "weight" in (w.tooltip or "")]
    assert len(sliders) >= 4
    assert len({id(s.layout) for s in sliders}) == 1 and is_shared(sliders[0].layout)
    assert sliders[0].layout.width == "330px"
    assert len({id(s.style) for s in sliders}) == 1


def test_a_progress_bar_a_tool_shows_while_it_loads_a_large_file_keeps_its_own_looks(monkeypatch):
    import tqdm.auto
    import tqdm.notebook

    from kamwidgets.model.load import _bytes

    bars = []
    printer = tqdm.notebook.tqdm.status_printer

    def recorded(*args, **kwargs):
        bars.append(printer(*args, **kwargs))
        return bars[-1]

    monkeypatch.setattr(tqdm.notebook.tqdm, "status_printer", staticmethod(recorded))
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm)  # as in a kernel: the bar is made of widgets
    monkeypatch.setattr(_bytes, "PROGRESS_FROM", 0)  # every file is large
    tool = kw.RuleClassifier(kw.sample_path(), kw.SAMPLE_RULES)  # tqdm sets the bar's colour, and hides it at the end
    assert bars and not is_shared(bars[0].layout)
    assert all(not is_shared(w.style) for w in bars[0].children if hasattr(w, "style"))
    assert is_shared(tool.message.style)  # the tool's own widgets still share theirs


def test_the_widgets_of_a_function_given_to_a_tool_keep_their_own_looks():
    choice = kw.AccountChoice(kw.samples.sample_portfolio())
    mine = kw.ForAccount(choice, lambda account: W.VBox([kw.DownloadButton(account, "a.txt", lambda: b"x")]))
    button = mine.tool.children[0]  # a workbook class, made by the participant's function
    assert not is_shared(button.layout)
    button.layout.width = "300px"
    box = kw.ForAccount(choice, lambda account: W.VBox([W.HTML(account), W.Button(description="go")]))
    assert not is_shared(box.tool.layout) and not is_shared(box.tool.children[1].style)
    box.tool.layout.border = "1px solid"  # as ipywidgets' own
    assert box.tool.layout.border_top == "1px solid"
    grid = kw.ForAccount(choice, lambda account: W.AppLayout(header=W.HTML("h"), center=W.HTML(account)))
    assert grid.tool.header.layout.grid_area == "header"  # AppLayout places its parts by their layouts


def test_the_message_of_a_refused_change_keeps_the_shared_layouts_settings():
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    cell = next(w for w in unit.controls.values() if isinstance(w, W.Text) and is_shared(w.layout))
    width = cell.layout.width
    with pytest.raises(SharedLookError) as refused:
        cell.layout.display = "none"
    assert f"width={width!r}" in str(refused.value) and "flex='0 0 auto'" in str(refused.value)
    cell.layout.display = None  # what it already is: nothing to refuse
    with pytest.raises(SharedLookError) as refused:
        cell.layout.border = "1px solid"  # four settings in one
    assert "border='1px solid'" in str(refused.value) and "border_top" not in str(refused.value)
