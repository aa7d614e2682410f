"""Which of the learner's accounts a lesson's exercise is about, and the tools that follow that choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W
import pandas as pd

from ..errors import KamDataError
from ..model.criteria import size_column
from ._base import KamWidget, escape, held_while_built
from ._chart import charts_in, saved_note
from ._later import Later, drawn_when_reached, shown_later
from ._traits import Text

__all__ = ["AccountChoice", "ForAccount"]


def account_names(portfolio: Any) -> list[str]:
    """The portfolio's accounts, biggest first where it has a revenue column (the likely key accounts on top;
    ``Revenue (EUR)``, ``Sales``... count, see :func:`~kamwidgets.model.criteria.size_column`)."""
    if portfolio is None:
        return []
    if isinstance(portfolio, pd.DataFrame):
        if "account" not in portfolio.columns:
            raise KamDataError("the portfolio has no 'account' column", fix="Load your file again in the start page.")
        frame = portfolio
        size = size_column(frame)
        if size is not None:
            frame = frame.sort_values(size, ascending=False, kind="stable")
        names = frame["account"].dropna().astype(str)
    else:
        names = pd.Series([str(n) for n in portfolio])
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


class AccountChoice(KamWidget):
    """The account an exercise is about: one of the learner's own accounts, or a name they type.

    Parameters
    ----------
    portfolio:
        The learner's portfolio (a DataFrame with ``account``), or a list of
        account names: offered in the box, biggest revenue first.
    account:
        The account chosen at first (default: the first offered).

    Attributes
    ----------
    value : str
        The chosen account ("" while none is chosen).
    account : trait
        The same, linked to ``controls["account"]`` (a box that offers the
        portfolio's accounts and takes any name typed).

    Kept with ``.keep(store)`` like every tool, so the choice comes back on a
    reload and in the next lesson: the lessons that work on one account
    (contacts, people, SWOT, account plan) share it.
    """

    kind = "account_choice"
    inputs = ("account",)

    account = Text("", what="the account", strip=True, help="the account the exercise is about")

    def __init__(self, portfolio: Any = None, *, account: str | None = None) -> None:
        super().__init__()
        self.accounts = account_names(portfolio)
        self.account = account if account is not None else (self.accounts[0] if self.accounts else "")
        self.controls["account"] = W.Combobox(
            options=self.accounts,
            description="Your account",
            placeholder="pick one of your accounts, or type its name",
            ensure_option=False,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=W.Layout(width="100%", max_width="460px"),  # narrower in a narrow window
        )
        self._bind("account", "account")
        self.note = W.HTML()
        self.children = (self.controls["account"], self.note, self.message)
        self._start()

    def recompute(self) -> None:
        self.value = self.account
        if not self.account:
            self.note.value = "<p><i>Choose the account to work on: the tools below follow your choice.</i></p>"
        elif self.accounts and self.account not in self.accounts:
            self.note.value = f"<p>{escape(self.account)} is not in your portfolio's list; that is fine.</p>"
        else:
            self.note.value = ""

    @property
    def settings(self) -> dict:
        return {"account": self.account}

    def apply_settings(self, settings: dict) -> None:
        if not isinstance(settings, dict) or "account" not in settings:
            raise KamDataError(f"an account choice needs {{'account': name}}, not {settings!r}")
        self.account = settings["account"]

    def what(self) -> str:
        return "The account chosen for the exercises"


class ForAccount(W.VBox):
    """A tool made for the chosen account, made anew (with that account's saved work) when the choice changes.

    Parameters
    ----------
    choice:
        An :class:`AccountChoice` (or anything with a ``value`` trait that
        holds an account name).
    build:
        ``build(account) -> widget``: makes the tool for one account, for
        example ``lambda a: kw.SwotGrid(subject=a).keep(store, account=a)``.

    Attributes
    ----------
    tool : widget
        The tool of the account chosen now.
    account : str
        That account.
    value
        ``tool.value``.

    ``report()`` and any other attribute are the current tool's, so
    ``kw.Downloads(plan=ForAccount(...))`` always makes the file of the
    account chosen when the button is pressed.

    In a lesson served by Voila (where tools below the first screen are drawn
    when the reader reaches them, see :mod:`kamwidgets.widgets._later`), the
    tool is made when first needed: when the box goes to the page (drawn in
    its placeholder's place, shown among the page's first tools, or inside a
    box of the lesson's own), or when any of the attributes above is read (by
    a later cell, or another box's ``build``).  So a page does not wait for
    tools its reader has not reached.  Anywhere else it is made at once.
    """

    @held_while_built
    def __init__(self, choice: Any, build: Callable[[str], Any]) -> None:
        super().__init__()
        self._choice = choice
        self._build = build
        self._account = ""
        self._tool: Any = None
        self.on_page = False  # displayed (or drawn in its placeholder's place): its charts are the page's to draw
        # in Voila, made when first needed (see the class's text); until then a choice changed only waits
        self._waiting = drawn_when_reached()
        if not self._waiting:
            self._make(choice.value)
        self._error: Exception | None = None  # why the tool of the account chosen now could not be made
        choice.observe(lambda change: self._follow(change["new"]), names="value")

    @property
    def tool(self) -> Any:
        """The tool of the account chosen now (made now if it was waiting).

        Raises the reason when it could not be made for that account: never the previous account's tool.
        """
        self.make_now()
        if self._error is not None:
            err = self._error
            if isinstance(err, KamDataError):
                raise err
            raise KamDataError(
                f"the tool for {self._account!r} could not be made ({type(err).__name__}: {err})",
                fix="Choose another account, or mend what the message names.",
            ) from err
        return self._tool

    @property
    def account(self) -> str:
        """The account the tool is for."""
        self.make_now()
        return self._account

    def make_now(self) -> None:
        """Make the tool if it is waiting to be needed (see the class's text); nothing if it is made.

        If ``build`` fails, the tool still waits: the next read tries again and says the same error.
        An ``AttributeError`` is given as a ``RuntimeError``: raised through the ``tool`` property, Python
        would take it for a missing attribute and drop its message.
        """
        if not self._waiting:
            return
        self._waiting = False
        try:
            self._make(self._choice.value)
        except AttributeError as err:
            self._waiting = True
            account = str(self._choice.value or "").strip()
            raise RuntimeError(f"the tool for {account!r} could not be made: AttributeError: {err}") from err
        except BaseException:
            self._waiting = True
            raise

    def _before_sent(self) -> None:
        """Called by the workbook's sending of a held widget (kamwidgets/widgets/_patches.py): a box sent to
        the page in any way (drawn in its placeholder's place, or inside a box of a lesson's own) has its tool."""
        self.make_now()

    def _follow(self, account: Any) -> None:
        """The choice changed: make the new account's tool; if that fails, the box says why in its place
        (and every read of the tool), instead of keeping the previous account's tool as if it were this one's,
        and the other tools that follow the choice still follow it."""
        try:
            self._make(account)
        except Exception as err:  # noqa: BLE001 - any failure of the build: said in the box
            self._leave_page(self._tool)
            self._account, self._tool, self._error = str(account or "").strip(), None, err
            self.children = (W.HTML(f"<p>The tool for {escape(self._account)} could not be made: {escape(err)}</p>"),)

    def _make(self, account: Any) -> None:
        if self._waiting:  # made for the account chosen when it is needed
            return
        account = str(account or "").strip()
        if account == self._account and self._tool is not None:
            return
        flush = getattr(self._tool, "flush", None)
        if callable(flush):  # what was typed for the account left a moment ago is saved before its tool goes
            flush()
        if not account:  # no account chosen: no tool (reads say so), and the page waits for none of its charts
            self._leave_page(self._tool)
            self._account, self._tool, self._error = "", None, None
            self.children = (W.HTML("<p><i>Choose an account above first.</i></p>"),)
            return
        tool = self._build(account)  # (a build that fails leaves the box as it was)
        self._account, self._error = account, None
        old, self._tool = self._tool, tool
        self.children = (self._tool,)
        self._leave_page(old)
        if self.on_page:  # the page is to draw the new tool's charts
            for chart in charts_in(self._tool):
                chart.mark_on_page()

    def _leave_page(self, tool: Any) -> None:
        """A tool leaves the box: the page no longer waits for its charts (it would for ever, if not drawn yet)."""
        for chart in charts_in(tool):
            chart.mark_off_page()

    def drawn_on_page(self) -> None:
        """The box is on the page (displayed, or drawn where its placeholder was): so are its tool's charts."""
        self.make_now()
        self.on_page = True
        for chart in charts_in(self):
            chart.mark_on_page()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # drawn when the reader reaches it, like the tools themselves (the box is what the page shows); a tool
        # still waiting to be made is not made to be named
        if shown_later(self):
            return saved_note(Later(self)._repr_mimebundle_(**kwargs), self._what())
        self.drawn_on_page()
        return saved_note(super()._repr_mimebundle_(**kwargs), self._what())

    def _what(self) -> str:
        return self._tool.what() if isinstance(self._tool, KamWidget) else "The account's tool"

    @property
    def value(self) -> Any:
        return None if self.tool is None else self.tool.value

    def report(self) -> Any:
        if self.tool is None:
            raise KamDataError("no account is chosen yet", fix="Choose an account first.")
        return self.tool.report()

    def __getattr__(self, name: str) -> Any:
        # only reached for names the box itself lacks: they are the tool's (plan.value, swot.prompts ...)
        if name.startswith("_") or name in ("tool", "account"):
            raise AttributeError(name)
        if "_tool" not in self.__dict__:  # still being made
            raise AttributeError(name)
        tool = self.tool
        if tool is None:
            raise AttributeError(name)
        return getattr(tool, name)
