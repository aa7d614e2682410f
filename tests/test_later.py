"""In Voila, a tool's widgets reach the page when the reader reaches the tool (kamwidgets/widgets/_later.py).

Every message to the page is recorded (``sent``): what a widget sends when it
is made, with the state it has at that moment.
"""

from __future__ import annotations

import json
import re

import ipywidgets as W
import pytest
from comm import DummyComm
from ipywidgets.widgets import widget as widget_module
from ipywidgets.widgets.widget import _instances

import kamwidgets as kw
from kamwidgets.widgets import _later
from kamwidgets.widgets._chart import charts_in, plotly_library
from kamwidgets.widgets._later import Later, LaterMark, is_unsent
from kamwidgets.widgets._looks import is_shared

VIEW = "application/vnd.jupyter.widget-view+json"


class Sent(list):
    """The state of every widget sent to the page, in order; ``before``: the widgets on it before the test."""

    before: set[str] = set()


@pytest.fixture
def sent(monkeypatch) -> Sent:
    """The state of every widget sent to the page, in order."""
    states = Sent()
    states.before = set(_instances)

    def create_comm(*args, **kwargs):
        states.append(kwargs["data"]["state"])
        return DummyComm(*args, **kwargs)

    monkeypatch.setattr(widget_module.comm, "create_comm", create_comm)
    return states


@pytest.fixture
def voila(monkeypatch, sent):
    """A kernel as Voila starts it, showing no tool yet."""
    plotly_library()  # the kernel's shared widgets exist before the lesson's tools (as after any first chart)
    kw.widgets._chart.page_helper()
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setattr(_later, "_shown", 0)
    sent.clear()


def _tree(widget: W.Widget, found: dict | None = None) -> list[W.Widget]:
    """The widget and every widget its state names (children, layout, style...), but the kernel's shared ones
    (the chart helpers, and the layouts and styles tools share, see kamwidgets/widgets/_looks.py)."""
    found = {} if found is None else found
    shared = (plotly_library(), kw.widgets._chart.page_helper())
    if id(widget) in found or widget in shared or is_shared(widget):
        return list(found.values())
    found[id(widget)] = widget
    for name in widget.keys:
        value = widget._trait_values.get(name)  # not getattr: it would make a default layout or style now
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, W.Widget):
                _tree(item, found)
    return list(found.values())


def _dangling(sent: Sent) -> list[str]:
    """References from a widget the test put on the page to one that is not on it (the page could not draw it)."""
    bad = []
    for key, widget in list(_instances.items()):
        if key in sent.before:
            continue
        for ref in re.findall(r"IPY_MODEL_(\w+)", json.dumps(widget.get_state(), default=str)):
            if ref not in _instances:
                bad.append(f"{type(widget).__name__} -> {ref}")
    return bad


def _shown_model(tool: W.Widget) -> W.Widget:
    return _instances[tool._repr_mimebundle_()[VIEW]["model_id"]]


def test_outside_voila_a_tool_is_sent_as_it_is_made(sent, monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    assert not is_unsent(unit)
    assert all(w.comm is not None for w in _tree(unit))
    assert len(sent) >= len(_tree(unit))
    assert _shown_model(unit) is unit


def test_in_voila_a_tool_is_made_and_works_without_sending_anything(sent, voila):
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    assert sent == []
    assert all(w.comm is None for w in _tree(unit)) and is_unsent(unit)
    before = unit.value
    unit.controls["row0.influence"].value = 1.0  # driven from Python as usual
    assert unit.value is not before and 1.0 in set(unit.value["influence"])
    assert sent == []
    unit.controls["rowadd"].click()  # a row added from Python goes to the page on its own: harmless
    assert len(unit.editor.rows()) == len(before) + 1 and is_unsent(unit)
    assert _dangling(sent) == []


def test_the_first_tool_goes_with_the_page_and_the_others_wait_for_the_reader(sent, voila):
    tools = [kw.DecisionUnit(kw.sample_path("account_dmu")) for _ in range(3)]
    shown = [_shown_model(t) for t in tools]
    first = _later.FIRST_TOOLS
    assert first >= 1 and shown[:first] == tools[:first]
    assert all(w.comm is not None for t in tools[:first] for w in _tree(t))
    for tool, on_page in zip(tools[first:], shown[first:], strict=True):
        assert isinstance(on_page, Later) and isinstance(on_page.children[0], LaterMark)
        assert on_page.tool is tool and is_unsent(tool)
        # the text kept in a saved notebook still says what was there
        assert "DecisionUnit" in tool._repr_mimebundle_()["text/plain"]
    assert _dangling(sent) == []


def test_when_the_page_asks_the_tool_is_sent_with_its_state_of_now(sent, voila):
    _later._shown = _later.FIRST_TOOLS  # below the first screen
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    later = _shown_model(unit)
    mark = later.children[0]
    unit.controls["row0.person"].value = "Zed <b>Neto</b>"  # typed in another lesson, restored before drawing
    count = len(sent)
    # the placeholder's message, as the page sends it when the reader comes near
    mark._handle_msg({"content": {"data": {"method": "custom", "content": {"draw": True}}}, "buffers": []})
    assert later.children == (unit,) and mark.comm is None
    assert all(w.comm is not None for w in _tree(unit))
    assert len(sent) - count >= len(_tree(unit)) - 1  # (the page's shared helper was there already)
    assert "Zed <b>Neto</b>" in [state.get("value") for state in sent[count:]]  # the box as it is now
    assert _dangling(sent) == []
    # its charts are listed for the page once they are on it
    assert {c._uid for c in charts_in(unit)} <= set(plotly_library().on_page)
    later.draw()  # asked twice: nothing more
    assert later.children == (unit,)


def test_a_waiting_widget_is_sent_whenever_the_page_needs_it(sent, voila):
    contacts = kw.ContactMatrix(kw.sample_path("account_contacts"))
    assert is_unsent(contacts)
    box = W.VBox([W.HTML("around"), contacts])  # a box made outside a tool is sent, and takes the tool with it
    assert box.comm is not None and not is_unsent(contacts)
    assert _dangling(sent) == []
    people = kw.StakeholderMap(kw.sample_path("account_stakeholders"), contacts=contacts)
    text = people.controls["row0.person"]
    assert text.comm is None
    assert text._repr_mimebundle_()[VIEW]["model_id"] == text.model_id  # displayed on its own: sent
    assert _dangling(sent) == []


def test_saved_work_brought_back_to_a_waiting_tool_waits_with_it(sent, voila, tmp_path):
    store = kw.open_store(tmp_path / "w.sqlite", workbook="ana")
    first = kw.SwotGrid([{"quadrant": "threat", "text": "Cheap imports", "importance": 4}], subject="Istmar")
    first.controls["itemadd"].click()
    first.save(store)
    sent.clear()
    again = kw.SwotGrid(subject="Istmar").keep(store)
    assert len(again.value) == len(first.value) and sent == []
    assert is_unsent(again)


def test_draw_at_once_can_be_asked_for(sent, voila, monkeypatch):
    monkeypatch.setenv("KAMWIDGETS_DRAW_AT_ONCE", "1")
    _later._shown = 10
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    assert not is_unsent(unit) and _shown_model(unit) is unit


def test_a_widget_closed_before_it_was_sent_is_never_sent(sent, voila):
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    removed = unit.controls["rowremove0"]
    gone = unit.controls["row5.person"]
    removed.click()  # the last line's widgets are closed while the tool waits
    assert not is_unsent(gone) and gone.comm is None
    _later._shown = _later.FIRST_TOOLS
    _shown_model(unit).draw()
    assert gone.comm is None and "row5.person" not in unit.controls
    assert _dangling(sent) == []


def test_a_tool_that_cannot_be_sent_says_so_instead_of_waiting_for_ever(sent, voila):
    _later._shown = _later.FIRST_TOOLS
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    later = _shown_model(unit)
    unit.controls["row0.person"].close()  # closed while still in the tool: the tool cannot go to the page
    later.draw()
    assert len(later.children) == 1 and "could not be drawn" in later.children[0].value
    assert "kam-later-box" not in later._dom_classes and later.children[0].comm is not None


def test_a_link_or_an_output_made_inside_a_tool_goes_to_the_page_at_once(sent, voila):
    from ipywidgets.widgets.widget_link import Link

    with _later.unsent():
        slider, text = W.IntSlider(), W.IntText()
        out = W.Output()  # what a `with out:` block prints is caught by the page's copy: it must be there
        link = W.jslink((slider, "value"), (text, "value"))  # acts only on the page
    assert isinstance(link, Link) and link.comm is not None and out.comm is not None
    assert not is_unsent(slider) and not is_unsent(text)  # the link names them: they went with it
    assert _dangling(sent) == []
    with _later.unsent():
        alone = W.IntSlider()
    assert is_unsent(alone)  # a drawn widget on its own still waits


def test_the_kernels_shared_widgets_go_with_the_page_even_when_a_waiting_tool_makes_them(sent, monkeypatch):
    from kamwidgets.widgets import _chart

    monkeypatch.setenv("VOILA_PREHEAT", "False")  # a fresh kernel as Voila starts it: no chart made yet
    monkeypatch.setattr(_later, "_shown", 0)
    monkeypatch.setattr(_chart, "_library", None)
    monkeypatch.setattr(_chart, "_HELPER", [])
    contacts = kw.ContactMatrix(kw.sample_path("account_contacts"))
    assert is_unsent(contacts) and list(charts_in(contacts))
    assert _chart.plotly_library().comm is not None and _chart.page_helper().comm is not None
    assert all(chart._library is _chart.plotly_library() for chart in charts_in(contacts))


def test_a_view_spec_asked_for_a_waiting_widget_sends_it(sent, voila):
    with _later.unsent():
        slider = W.IntSlider(description="Weight")
    assert is_unsent(slider)
    spec = slider.get_view_spec()
    assert spec["model_id"] == slider.comm.comm_id and not is_unsent(slider)
    assert _dangling(sent) == []


def test_every_waiting_tool_can_be_drawn_from_the_kernel(sent, voila):
    _later._shown = _later.FIRST_TOOLS
    tools = [kw.DecisionUnit(kw.sample_path("account_dmu")), kw.SwotGrid(subject="Istmar")]
    boxes = [_shown_model(t) for t in tools]
    assert all(isinstance(b, Later) for b in boxes)
    assert _later.draw_waiting() >= 2  # (and any an earlier test left waiting)
    assert [b.children for b in boxes] == [(t,) for t in tools] and not any(is_unsent(t) for t in tools)
    assert _later.draw_waiting() == 0 and _dangling(sent) == []


def test_a_waiting_tools_chart_is_made_when_it_is_sent_with_the_figure_of_then(sent, voila, monkeypatch):
    from kamwidgets.widgets import dmu

    made = []

    def counting_chart(frame):
        made.append(len(frame))
        return kw.charts.dmu_chart(frame)

    monkeypatch.setattr(dmu, "dmu_chart", counting_chart)
    _later._shown = _later.FIRST_TOOLS  # below the first screen
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    unit.controls["row0.influence"].value = 1.0
    unit.controls["rowremove1"].click()  # shown three times: nothing drawn yet, no figure made
    assert made == [] and unit.figure.waiting and unit.figure._spec == ""
    later = _shown_model(unit)
    later.draw()  # the reader comes near: the figure is made once, from the table as it is now
    assert made == [len(unit.value)] and not unit.figure.waiting
    state = next(s for s in sent if s.get("_uid") == unit.figure._uid)
    assert json.loads(state["_spec"]) == json.loads(kw.charts.dmu_chart(unit.value).to_json())
    unit.controls["row0.influence"].value = 2.0  # on the page: made at once, as anywhere else
    assert made == [len(unit.value)] * 2


def test_reading_a_waiting_charts_figure_makes_it(sent, voila):
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    assert unit.figure.waiting
    names = {str(n) for n in unit.value["person"]}
    assert names <= set(map(str, unit.figure.data[-1].y))  # tests and notebooks read it (names have no markup)
    assert not unit.figure.waiting and unit.figure._spec != ""
    assert is_unsent(unit) and sent == []  # made, still not sent


def test_with_log_draws_the_kernel_logs_each_ask_and_draw_to_its_own_stderr(sent, voila, monkeypatch, capfd):
    """KAMWIDGETS_LOG_DRAWS=1 (the test servers): the server's log says what the kernel was asked and drew."""
    ask = {"content": {"data": {"method": "custom", "content": {"draw": True}}}, "buffers": []}
    _later._shown = _later.FIRST_TOOLS
    quiet = _shown_model(kw.DecisionUnit(kw.sample_path("account_dmu")))
    quiet.children[0]._handle_msg(ask)
    assert "kamwidgets draws" not in capfd.readouterr().err  # off unless asked for
    monkeypatch.setenv("KAMWIDGETS_LOG_DRAWS", "1")
    later = _shown_model(kw.DecisionUnit(kw.sample_path("account_dmu")))
    mark = later.children[0]
    key, comm = mark.key, mark.model_id
    mark._handle_msg(ask)
    logged = [line for line in capfd.readouterr().err.splitlines() if "kamwidgets draws" in line]
    said = [line for line in logged if "asked for" in line or "drew" in line]
    assert len(said) == 2 and f"asked for {key}: drawing it" in said[0]
    charts = [c._uid for c in charts_in(later.children[0])]  # the charts the page is now to wait for
    assert charts and all(any(f"chart {uid} on the page: " in line for line in logged) for uid in charts)
    sent_now = int(re.search(r"drew \w+: (\d+) widgets sent", said[1]).group(1))
    assert said[1].endswith(f"then closed {comm}") and sent_now == len(_tree(later.children[0]))
    monkeypatch.setenv("KAMWIDGETS_LOG_DRAWS", "yes")  # refused where it is seen, not when the page asks
    with pytest.raises(kw.KamDataError, match="KAMWIDGETS_LOG_DRAWS"):
        Later(W.HTML("x"))


ASK = {"content": {"data": {"method": "custom", "content": {"draw": True}}}, "buffers": []}


def test_in_voila_an_accounts_tool_is_made_when_the_page_draws_it_for_the_account_chosen_then(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur", "Acme"])
    made: list[str] = []

    def build(account):
        made.append(account)
        return kw.DecisionUnit(kw.sample_path("account_dmu"))

    _later._shown = _later.FIRST_TOOLS  # below the first screen
    unit = kw.ForAccount(choice, build)
    later = _shown_model(unit)
    assert isinstance(later, Later) and made == []  # the page shows a placeholder: nothing made for it yet
    assert "account's tool" in unit._repr_mimebundle_()["text/plain"]  # named without being made
    choice.controls["account"].value = "Bodega Sur"
    assert made == []  # the choice changed while it waited: still nothing made
    later.children[0]._handle_msg(ASK)  # the reader comes near
    assert made == ["Bodega Sur"] and later.children == (unit,)
    assert unit.account == "Bodega Sur" and isinstance(unit.tool, kw.DecisionUnit)
    assert all(w.comm is not None for w in _tree(unit))  # sent whole, with its tool
    assert {c._uid for c in charts_in(unit)} and {c._uid for c in charts_in(unit)} <= set(plotly_library().on_page)
    assert _dangling(sent) == []
    choice.controls["account"].value = "Acme"  # on the page: made anew at once, as anywhere else
    assert made == ["Bodega Sur", "Acme"] and unit.account == "Acme"


def test_in_voila_an_accounts_tool_read_by_a_later_cell_is_made_then(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur"])
    made: list[str] = []
    _later._shown = _later.FIRST_TOOLS

    def contacts_for(account):
        made.append(f"contacts {account}")
        return kw.ContactMatrix()

    contacts = kw.ForAccount(choice, contacts_for)
    people = kw.ForAccount(choice, lambda a: made.append(f"people {a}") or kw.StakeholderMap(contacts=contacts.tool))
    assert made == []
    assert people.value is not None  # read by a cell: made now, and the tool it reads with it
    assert made == ["people Istmar S.A.", "contacts Istmar S.A."]
    assert people.tool._contacts is contacts.tool and is_unsent(people.tool)  # made, still not sent
    choice.controls["account"].value = "Bodega Sur"  # both made: both follow
    assert made[2:] == ["contacts Bodega Sur", "people Bodega Sur"] and people.tool._contacts is contacts.tool
    assert sent == []  # nothing went to the page


def test_in_voila_an_accounts_tool_among_the_first_is_made_as_the_page_shows_it(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A."])
    made: list[str] = []
    swot = kw.ForAccount(choice, lambda a: made.append(a) or kw.SwotGrid(subject=a))
    assert made == []
    assert _shown_model(swot) is swot  # the first tools go with the page: made for it
    assert made == ["Istmar S.A."] and swot.tool.subject == "Istmar S.A."
    assert "SwotGrid" in swot._repr_mimebundle_()["text/plain"]
    assert _dangling(sent) == []


def test_in_voila_an_accounts_tool_that_fails_to_be_made_says_so_where_it_would_be(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A."])
    _later._shown = _later.FIRST_TOOLS

    def broken(account):
        raise kw.KamDataError(f"no file for {account}")

    later = _shown_model(kw.ForAccount(choice, broken))
    later.draw()
    assert "could not be drawn" in later.children[0].value and "no file for Istmar S.A." in later.children[0].value


def test_in_voila_an_accounts_tool_that_fails_keeps_waiting_and_says_why_each_time(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur"])
    _later._shown = _later.FIRST_TOOLS

    def build(account):
        if account == "Istmar S.A.":
            raise kw.KamDataError(f"the saved buyers of {account} cannot be read")
        return kw.SwotGrid(subject=account)

    buyers = kw.ForAccount(choice, build)
    plan = kw.ForAccount(choice, lambda a: kw.Notes(a, {"why": "Why?"}) if buyers.tool else None)
    plan_later, buyers_later = _shown_model(plan), _shown_model(buyers)
    plan_later.draw()  # the plan reads the buyers: it says what went wrong
    assert "the saved buyers of Istmar S.A. cannot be read" in plan_later.children[0].value
    buyers_later.draw()  # and so does the buyers' own place, not an empty box
    assert "the saved buyers of Istmar S.A. cannot be read" in buyers_later.children[0].value
    for read in (lambda: buyers.value, buyers.report, lambda: buyers.account):
        with pytest.raises(kw.KamDataError, match="cannot be read"):
            read()  # every read says it again, never a quiet None or "no account is chosen"
    choice.controls["account"].value = "Bodega Sur"
    assert buyers.tool.subject == "Bodega Sur" and buyers.account == "Bodega Sur"


def test_in_voila_an_attribute_error_in_an_accounts_build_keeps_its_words(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A."])
    _later._shown = _later.FIRST_TOOLS
    typo = kw.ForAccount(choice, lambda a: kw.SwotGrid(subject=a).kep())  # a participant's typo
    with pytest.raises(RuntimeError, match="'SwotGrid' object has no attribute 'kep'"):
        _ = typo.tool
    later = _shown_model(typo)
    later.draw()
    assert "has no attribute &#x27;kep&#x27;" in later.children[0].value  # (escaped for the page)


def test_in_voila_an_accounts_box_put_in_a_lessons_own_box_comes_with_its_tool(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur"])
    _later._shown = _later.FIRST_TOOLS
    made: list[str] = []
    swot = kw.ForAccount(choice, lambda a: made.append(a) or kw.SwotGrid(subject=a))
    side = W.HBox([W.HTML("Your SWOT"), swot])  # made outside a tool: sent at once, with what it holds
    assert side.comm is not None and made == ["Istmar S.A."]
    assert swot.children == (swot.tool,) and all(w.comm is not None for w in _tree(swot))
    assert _dangling(sent) == []
    choice.controls["account"].value = "Bodega Sur"
    assert made == ["Istmar S.A.", "Bodega Sur"] and swot.tool.comm is not None and _dangling(sent) == []


def test_in_voila_a_tool_holding_an_accounts_box_that_fails_can_be_shown_once_the_box_works(sent, voila):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur"])

    def build(account):
        if account == "Istmar S.A.":
            raise kw.KamDataError(f"the saved work of {account} cannot be read")
        return kw.SwotGrid(subject=account)

    class Side(kw.widgets._base.KamWidget):  # a tool of a lesson's own, holding an account's box in a row
        @kw.widgets._base.held_while_built
        def __init__(self):
            super().__init__()
            self.row = W.HBox([W.HTML("Beside it"), kw.ForAccount(choice, build)])
            self.children = (self.row,)
            self._start()

        def recompute(self):
            pass

    side = Side()
    with pytest.raises(kw.KamDataError, match="cannot be read"):
        side._repr_mimebundle_()  # among the first tools: the cell says why
    assert is_unsent(side) and is_unsent(side.row)  # not left half sent: they still wait
    choice.controls["account"].value = "Bodega Sur"
    shown = side._repr_mimebundle_()[VIEW]["model_id"]
    assert shown == side.model_id and side.row.children[1].tool.subject == "Bodega Sur"
    assert all(w.comm is not None for w in _tree(side)) and _dangling(sent) == []
