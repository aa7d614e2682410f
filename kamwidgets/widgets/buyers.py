"""The buyer chart widget: place buyers by sliders or by a short questionnaire."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import traitlets

from ..charts.buyers import buyer_chart
from ..errors import KamDataError
from ..model.buyers import FIELDS, QUADRANTS, QUESTIONS, buyer_labels, place_buyers, score_answers
from ._base import Chart, KamWidget, escape, html_table
from ._form import TableTool
from ._traits import Checked, ScorePair

__all__ = ["BuyerChart"]


class BuyerChart(TableTool, KamWidget):
    """Buyers on the interest/involvement chart, with what each position suggests.

    Parameters
    ----------
    buyers:
        A DataFrame, list of dicts or file with ``buyer``, ``interest``,
        ``involvement`` (0-10).
    thresholds, labels:
        ``(interest, involvement)`` split points; new names for the four
        positions (keys ``strategic``, ``specifier``, ``ratifier``,
        ``gatekeeper``).

    Attributes
    ----------
    value : DataFrame
        :func:`kamwidgets.model.buyers.place_buyers` of the table.
    thresholds, labels : traits
        ``(interest, involvement)`` and ``{position key: name}``; setting
        either redraws the chart (``labels`` moves the name boxes too).
    controls : dict
        ``row<i>.buyer``/``.interest``/``.involvement`` (sliders),
        ``rowadd``, ``rowremove<i>``; ``label_<key>``; the questionnaire:
        ``questionnaire_buyer``, ``q_<id>`` (1-5) and ``apply_questionnaire``.
    """

    kind = "buyer_chart"
    fields = FIELDS
    inputs = ("thresholds", "labels")

    thresholds = ScorePair(
        (5.0, 5.0), names=("interest", "involvement"), help="(interest, involvement) split points, 0-10"
    )
    labels = Checked(buyer_labels, help="{position key: name}")

    @traitlets.default("labels")
    def _default_labels(self) -> dict:
        return buyer_labels(None)

    def __init__(
        self, buyers: Any = None, *, thresholds: tuple[float, float] = (5, 5), labels: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.thresholds = thresholds
        self.labels = labels
        for key in QUADRANTS:
            self.controls[f"label_{key}"] = W.Text(description=key, continuous_update=False)
            self._bind("labels", f"label_{key}", key)
        self.figure = Chart()
        self.advice = W.HTML()
        self._build_editor(buyers, sliders=("interest", "involvement"))
        self.controls["questionnaire_buyer"] = W.Dropdown(description="Buyer")
        for q in QUESTIONS:
            self.controls[f"q_{q['id']}"] = W.ToggleButtons(
                options=[1, 2, 3, 4, 5], value=3, style={"button_width": "34px"}, tooltip=q["text"]
            )
        self.controls["apply_questionnaire"] = W.Button(description="Place this buyer")
        self.controls["apply_questionnaire"].on_click(lambda _: self.apply_questionnaire())
        questions = [W.HBox([self.controls[f"q_{q['id']}"], W.HTML(escape(q["text"]))]) for q in QUESTIONS]
        quiz = W.Accordion(
            children=[
                W.VBox(
                    [
                        W.HTML("1 = not at all, 5 = completely"),
                        self.controls["questionnaire_buyer"],
                        *questions,
                        self.controls["apply_questionnaire"],
                    ]
                )
            ]
        )
        quiz.set_title(0, "Place a buyer with six questions")
        quiz.selected_index = None
        names_box = W.Accordion(children=[W.VBox([self.controls[f"label_{k}"] for k in QUADRANTS])])
        names_box.set_title(0, "Names of the four positions")
        names_box.selected_index = None
        self.children = (self.editor, quiz, self.message, self.figure, self.advice, names_box)
        self._start()

    def _check(self, rows: Any) -> Any:
        return place_buyers(rows, thresholds=self.thresholds, labels=self.labels)

    def _show(self, value: Any) -> None:
        self.figure.show(buyer_chart, value, thresholds=self.thresholds, labels=self.labels)
        self.controls["questionnaire_buyer"].options = list(value["buyer"])
        self.advice.value = html_table(
            value[["buyer", "quadrant", "our_offer", "dependency", "action"]],
            empty="Add a buyer to place them on the chart.",
        )

    def apply_questionnaire(self) -> None:
        """Score the six answers and move the chosen buyer's sliders there."""
        with self.reporting():
            who = self.controls["questionnaire_buyer"].value
            if who is None:
                raise KamDataError("choose a buyer first", fix="Add a buyer to the table, then pick them here.")
            interest, involvement = score_answers({q["id"]: self.controls[f"q_{q['id']}"].value for q in QUESTIONS})
            # the editor's line of that buyer (a line held back is not in .value, so .value's order is not the lines')
            row = next((i for i, typed in enumerate(self.editor.rows()) if str(typed["buyer"]).strip() == who), None)
            if row is None:
                raise KamDataError(f"{who!r} is no longer in the table", fix="Pick a buyer the table holds.")
            with self.hold():
                self.controls[f"row{row}.interest"].value = interest
                self.controls[f"row{row}.involvement"].value = involvement

    @property
    def settings(self) -> dict:
        return {
            "buyers": self.saved_rows(self.value),
            "thresholds": list(self.thresholds),
            "labels": dict(self.labels),
        }

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.labels = settings["labels"]
            self.thresholds = settings["thresholds"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["buyers"])
