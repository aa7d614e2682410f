"""The course's classification: write the criteria of each bucket, place the customers, move one by hand."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError
from ..model._schema import Field, check_table
from ..model.classification import SEGMENTS, balance, segment_labels
from ..model.display import column_words, readable
from ..model.io import load_portfolio
from ..model.rules import (
    RULE_FIELDS,
    check_overrides,
    check_rules,
    compare_placements,
    fitting_operator,
    fitting_value,
    new_rule,
    place_by_rules,
    rules_table,
    unfilled,
)
from ._base import Input, KamWidget, escape, html_table
from ._form import TableTool

__all__ = ["RuleClassifier"]

#: The balance table's column names in words.
BALANCE_HEADERS = {
    "hours_per_week": "hours a week",
    "too_many_key_accounts": "too many key accounts",
    "unbalanced_mix": "unbalanced mix",
    "account_manager": "account manager",
}


class RuleClassifier(TableTool, KamWidget):
    """Criteria for each bucket in a table, the customers placed by them, and placements by hand.

    Parameters
    ----------
    portfolio:
        A portfolio DataFrame or the path of a file.
    rules:
        Rows of ``bucket``, ``column``, ``operator``, ``value`` (see
        :func:`kamwidgets.model.rules.place_by_rules`); empty to start from
        nothing.
    overrides:
        Placements by hand: ``{account: {"bucket": key, "reason": why}}``.
    labels:
        Bucket names.
    by:
        The column naming the salesperson, for the balance per salesperson
        (``"account_manager"`` by default; ``None``: the portfolio is one
        person's).  Ignored when the portfolio has no such column.
    max_key_accounts:
        How many key accounts one person can look after (the course: three
        to five); more is flagged in the balance.

    Attributes
    ----------
    value : DataFrame
        :func:`kamwidgets.model.rules.place_by_rules` of the table: the
        portfolio with ``segment``, ``matched``, ``placed_by``, ``reason``.
    balance : DataFrame
        :func:`kamwidgets.balance` of :attr:`value`, per salesperson: the
        accounts in each bucket, the weekly hours of the course's order of
        magnitude (4/3/2/1) and the flags; always in step with the table and
        the placements by hand.
    overrides : trait
        The placements by hand, linked to the *Move* form.
    controls : dict
        ``rule<i>.bucket``/``.column``/``.operator``/``.value``, ``ruleadd``
        (a new rule starts on a number column no rule uses yet, the account's
        size first, with no value: it is used once its value is filled),
        ``ruleremove<i>``; the form to place by hand: ``move_account``,
        ``move_bucket``, ``move_reason``, ``move`` (a button) and ``unmove``
        (back to the rules).
    """

    kind = "rule_classification"
    inputs = ("overrides",)

    overrides = Input(help="{account: {'bucket': key, 'reason': why}}: placements by hand")

    @traitlets.default("overrides")
    def _none_by_hand(self) -> dict:
        return {}

    @traitlets.validate("overrides")
    def _valid_overrides(self, proposal: Any) -> dict:
        return check_overrides(proposal["value"], self.portfolio)

    def __init__(
        self,
        portfolio: pd.DataFrame | str | os.PathLike,
        rules: Any = None,
        *,
        overrides: dict | None = None,
        labels: Any = None,
        by: str | None = "account_manager",
        max_key_accounts: int = 5,
    ) -> None:
        if not isinstance(portfolio, pd.DataFrame):
            portfolio = load_portfolio(portfolio)
        self.portfolio = portfolio
        self.by = by if by is not None and by in portfolio.columns else None
        self.max_key_accounts = max_key_accounts
        self.balance: pd.DataFrame = pd.DataFrame()
        self.balance_view = W.HTML()
        super().__init__()
        self.names = segment_labels(labels)
        self.fields = self._fields_for(portfolio)
        self.overrides = overrides or {}
        self.criteria = W.HTML()
        self.summary = W.HTML()
        self.details = W.HTML()
        accounts = sorted(portfolio["account"].astype(str))
        self.controls["move_account"] = W.Dropdown(options=accounts, description="Account")
        self.controls["move_bucket"] = W.Dropdown(options=[(self.names[k], k) for k in SEGMENTS], description="goes to")
        self.controls["move_reason"] = W.Text(
            description="because", placeholder="why this account belongs there", layout=W.Layout(width="420px")
        )
        self.controls["move"] = W.Button(description="Place by hand", button_style="primary")
        self.controls["move"].on_click(lambda _: self.place_by_hand())
        self.controls["unmove"] = W.Button(description="Back to the rules")
        self.controls["unmove"].on_click(lambda _: self.back_to_rules())
        self._build_editor(rules, prefix="rule")
        form = W.VBox(
            [
                W.HTML("<b>Place one account by hand</b> (the reason is kept and shown)"),
                W.HBox([self.controls["move_account"], self.controls["move_bucket"]]),
                self.controls["move_reason"],
                W.HBox([self.controls["move"], self.controls["unmove"]]),
            ]
        )
        self.children = (
            W.HTML("<b>The criteria of each bucket</b> (every rule of a bucket must hold)"),
            self.editor,
            self.message,
            self.criteria,
            self.summary,
            form,
            self.details,
            self.balance_view,
        )
        self._start()

    def _fields_for(self, portfolio: pd.DataFrame) -> tuple[Field, ...]:
        """The table's fields: the column chosen from this portfolio's own, each shown in words (unless two read
        alike), and the buckets by their names."""
        columns = tuple(str(c) for c in portfolio.columns if c != "account")
        words = [column_words(c) for c in columns]
        shown = tuple((c, w) for c, w in zip(columns, words) if words.count(w) == 1)
        own = {
            "column": lambda f: Field("column", "choice", choices=columns, required=True, help=f.help, labels=shown),
            "bucket": lambda f: replace(f, labels=tuple(self.names.items())),
        }
        return tuple(own[f.name](f) if f.name in own else f for f in RULE_FIELDS)

    # ----------------------------------------------------------------- placing
    def _check(self, rows: Any) -> pd.DataFrame:
        return place_by_rules(self.portfolio, rows, overrides=self.overrides, labels=self.names)

    def place_by_hand(self, account: str | None = None, bucket: str | None = None, reason: str | None = None) -> None:
        """Put an account in a bucket whatever the rules say, with the reason (the form's values by default)."""
        account = account if account is not None else self.controls["move_account"].value
        bucket = bucket if bucket is not None else self.controls["move_bucket"].value
        reason = reason if reason is not None else self.controls["move_reason"].value
        with self.reporting():
            self.overrides = {**self.overrides, str(account): {"bucket": bucket, "reason": reason}}
            self.controls["move_reason"].value = ""

    def back_to_rules(self, account: str | None = None) -> None:
        """Let the rules place the account again."""
        account = account if account is not None else self.controls["move_account"].value
        self.overrides = {k: v for k, v in self.overrides.items() if k != account}

    def _new_row(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return new_rule(self.portfolio, rows)

    def _fit_row(self, row: dict[str, Any], changed: str) -> dict[str, Any]:
        """On a new column, an operator and a value that fit it (a value that does not is emptied, to fill again)."""
        if changed != "column":
            return {}
        column = str(row["column"])
        fitted = {
            "operator": fitting_operator(self.portfolio, column, str(row["operator"])),
            "value": fitting_value(self.portfolio, column, row.get("value")),
        }
        return {k: v for k, v in fitted.items() if v != row.get(k)}

    def _waiting(self, row: dict[str, Any]) -> str | None:
        return "Fill the value, then press Enter, to use this row." if unfilled(row.get("value")) else None

    def _table_rows(self, rows: Any) -> pd.DataFrame:
        clean = check_table(rows, self.fields, what="bucket rules")
        check_rules(clean, self.portfolio)  # columns and values that fit this portfolio
        return clean

    def compare_with(self, classified: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """This placement against another (such as the two-score matrix's): counts, and the accounts that differ."""
        return compare_placements(self.value, classified)

    # ----------------------------------------------------------------- the page
    def _show(self, value: pd.DataFrame) -> None:
        rows = self.used_rows()
        try:
            self.criteria.value = html_table(rules_table(rows, self.portfolio, self.names), max_rows=4)
        except KamDataError:
            self.criteria.value = ""
        counts = value["segment"].value_counts().reindex(list(self.names.values()), fill_value=0)
        unplaced = value[value["segment"].isna()]
        several = value[value["matched"].str.contains(",", regex=False)]
        by_hand = value[value["placed_by"] == "by hand"]
        lines = "".join(f"<li>{escape(label)}: <b>{n:,}</b></li>" for label, n in counts.items())
        self.summary.value = f"<ul>{lines}<li>not placed yet: <b>{len(unplaced):,}</b></li></ul>"
        parts = []
        if len(unplaced):
            if value.attrs.get("rules") != 0:
                why = "they meet no bucket's rules: place them by hand, or change a rule"
            elif any(self._waiting(r) for r in self.editor.rows()):  # a row waits for its value
                why = "no criteria yet: fill a rule's value, then press Enter"
            else:
                why = "no criteria yet: add a row to the table above, or place them by hand"
            parts.append(f"<p><b>Not placed</b> ({why})</p>" + html_table(unplaced[["account"]]))
        if len(several):
            parts.append(
                "<p><b>Meeting several buckets' rules</b> (each goes to the first in the order shown)</p>"
                + html_table(several[["account", "segment", "matched"]])
            )
        if len(by_hand):
            parts.append("<p><b>Placed by hand</b></p>" + html_table(by_hand[["account", "segment", "reason"]]))
        self.details.value = "".join(parts)
        self._show_balance(value)

    def _show_balance(self, value: pd.DataFrame) -> None:
        self.balance = balance(value, by=self.by, max_key_accounts=self.max_key_accounts)
        who = "per salesperson" if self.by else "of this portfolio"
        # the course's own limit only (3 to 5 key accounts a person); the matrix's reference mix is the workbook's
        flagged = self.balance[self.balance["too_many_key_accounts"]]
        key = self.names["key"]
        if flagged.empty:
            note = f"<p>Nobody has more than {self.max_key_accounts} key accounts.</p>"
        else:
            items = "".join(
                f"<li><b>{escape(p)}</b>: {int(n)} key accounts, more than {self.max_key_accounts}</li>"
                for p, n in flagged[key].items()
            )
            note = f"<p>Look at:</p><ul>{items}</ul>"
        shown = self.balance.drop(columns=["mix_gap", "unbalanced_mix", "notes"], errors="ignore")
        shown = shown.rename(columns={"unscored": "not placed yet"})
        shown = shown.reset_index()
        self.balance_view.value = (
            f"<p><b>The balance {who}</b>: accounts in each bucket, and the weekly hours at the course's order "
            f"of magnitude (4 h a key account, 3, 2, 1); more than {self.max_key_accounts} key accounts for one "
            "person is flagged.</p>" + note + html_table(readable(shown, headers=BALANCE_HEADERS))
        )

    @property
    def settings(self) -> dict:
        """The rules as typed (a rule held back too, not one waiting for its value) and the placements by hand."""
        return {"rules": [dict(r) for r in self.rows_as_typed()], "overrides": dict(self.overrides)}

    def apply_settings(self, settings: dict) -> None:
        # rules of this file that a later check refuses (a '30' against a share, once taken as 3,000 %) come
        # back held, the line saying what to change (TableTool.set_rows); rules for another file are refused
        with self.hold():
            self.overrides = settings["overrides"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["rules"])

    def _of_this_tool(self, rows: list[dict[str, Any]]) -> bool:
        """Saved rules are this workbench's when they name only columns of this portfolio (others are another
        file's: the workbench starts afresh, the saved versions stay)."""
        return all(str(r.get("column")) in self.portfolio.columns for r in rows)

    def __repr__(self) -> str:
        n = int(self.value["segment"].notna().sum()) if isinstance(self.value, pd.DataFrame) else 0
        return f"<RuleClassifier: {n} of {len(self.portfolio)} accounts placed>"
