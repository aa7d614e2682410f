"""The workshop room: the results of many workbooks side by side (pure functions over frames).

The facilitator's :class:`~kamwidgets.widgets.room.RoomView` gathers what
each participant (or group) saved and hands it here as plain frames:

* quiz answers, one row per workbook, quiz and question (``choice`` is the
  chosen choice id, or missing when the question was left open);
* classification settings per workbook;
* placements, one row per workbook and account with the bucket, and the
  fingerprint of the portfolio that was classified.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .criteria import AXES
from .quiz import Question

__all__ = ["ANSWER_COLUMNS", "quiz_scores", "question_results", "settings_side_by_side", "agreement", "fingerprint"]

#: The columns of the answers frame.
ANSWER_COLUMNS = ("workbook", "quiz", "question", "choice")


def fingerprint(portfolio: pd.DataFrame) -> str:
    """A short fingerprint of a portfolio: the same accounts with the same numbers give the same one."""
    frame = portfolio.sort_values("account").reset_index(drop=True) if "account" in portfolio.columns else portfolio
    numbers = frame.select_dtypes("number").round(6)
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.get("account", pd.Series(dtype=str)))).encode("utf-8"))
    digest.update("\x1f".join(map(str, numbers.columns)).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(numbers, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def _graded(answers: pd.DataFrame, quizzes: Mapping[str, Sequence[Question]]) -> pd.DataFrame:
    """Every question of every quiz a workbook took, with whether its answer is right (open = not right)."""
    rows = []
    taken = answers[["workbook", "quiz"]].drop_duplicates()
    given = {(r.workbook, r.quiz, r.question): r.choice for r in answers.itertuples()}
    for wb, quiz in taken.itertuples(index=False):
        for q in quizzes.get(quiz, ()):
            choice = given.get((wb, quiz, q.id))
            choice = None if choice is None or (isinstance(choice, float) and np.isnan(choice)) else choice
            cid = q.choice_id(choice)
            rows.append(
                {
                    "workbook": wb,
                    "quiz": quiz,
                    "question": q.id,
                    "choice": cid,
                    "right": cid is not None and q.choice_ids.index(cid) == q.correct,
                }
            )
    return pd.DataFrame(rows, columns=["workbook", "quiz", "question", "choice", "right"])


def quiz_scores(
    answers: pd.DataFrame, quizzes: Mapping[str, Sequence[Question]], workbooks: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per workbook: ``workbook`` and one column per quiz with its share of right answers (0-1).

    The share is over all the quiz's questions (an open question is not
    right); NaN where the workbook did not take the quiz.  ``workbooks``
    adds rows for workbooks that took none.
    """
    graded = _graded(answers, quizzes)
    wide = graded.pivot_table(index="workbook", columns="quiz", values="right", aggfunc="mean")
    names = sorted(set(graded["workbook"]) | set(workbooks))
    wide = wide.reindex(index=names, columns=sorted(quizzes)).astype("float64")
    wide.columns.name = None
    return wide.rename_axis("workbook").reset_index()


def question_results(answers: pd.DataFrame, quizzes: Mapping[str, Sequence[Question]]) -> pd.DataFrame:
    """Per question of the quizzes taken: the share right, and the wrong answer chosen most (and by how many).

    Columns ``quiz``, ``question`` (id), ``text``, ``taken`` (workbooks),
    ``right`` (share), ``most_chosen_wrong`` (the choice's text, '' when
    nobody chose a wrong one) and ``chosen_by``; the questions the room got
    wrong most come first.
    """
    graded = _graded(answers, quizzes)
    rows = []
    for (quiz, qid), part in graded.groupby(["quiz", "question"], sort=False):
        q = next(q for q in quizzes[quiz] if q.id == qid)
        wrong = part.loc[~part["right"] & part["choice"].notna(), "choice"].value_counts()
        top = wrong.index[0] if len(wrong) else None
        rows.append(
            {
                "quiz": quiz,
                "question": qid,
                "text": q.text,
                "taken": len(part),
                "right": float(part["right"].mean()),
                "most_chosen_wrong": q.choices[q.choice_ids.index(top)] if top is not None else "",
                "chosen_by": int(wrong.iloc[0]) if len(wrong) else 0,
            }
        )
    out = pd.DataFrame(rows, columns=["quiz", "question", "text", "taken", "right", "most_chosen_wrong", "chosen_by"])
    return out.sort_values(["right", "quiz"], kind="stable").reset_index(drop=True)


def settings_side_by_side(settings: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Each workbook's classification settings as a column: the weight of every criterion (in % of its
    axis), then the two splits.  Rows ``attractiveness: <column>``, ``strength: <column>``,
    ``attractiveness split``, ``strength split``; a criterion a workbook did not use is blank."""
    columns = {}
    for wb, s in settings.items():
        col: dict[str, float] = {}
        for axis in AXES:
            criteria = s.get(axis) or []
            total = sum(float(c.get("weight", 0)) for c in criteria) or 1.0
            for c in criteria:
                col[f"{axis}: {c['column']}"] = 100 * float(c.get("weight", 0)) / total
        thresholds = list(s.get("thresholds") or [])
        if len(thresholds) == 2:
            col["attractiveness split"], col["strength split"] = map(float, thresholds)
        columns[wb] = col
    frame = pd.DataFrame(columns)
    order = sorted(i for i in frame.index if ":" in i) + [i for i in frame.index if "split" in i]
    return frame.reindex(order).rename_axis("setting")


def agreement(placements: pd.DataFrame) -> pd.DataFrame:
    """Where workbooks classified the same portfolio: how far they agree on each account's bucket.

    ``placements`` has ``workbook``, ``fingerprint``, ``account``, ``segment``.
    Returns one row per portfolio and account, for portfolios classified by
    two or more workbooks: ``fingerprint``, ``account``, ``workbooks``,
    ``agreement`` (the share of workbooks that chose the most chosen bucket),
    ``most_chosen`` and ``buckets`` (each bucket with its count); the
    accounts they disagree on most come first.
    """
    columns = ["fingerprint", "account", "workbooks", "agreement", "most_chosen", "buckets"]
    rows = []
    for fp, group in placements.groupby("fingerprint", sort=True):
        if group["workbook"].nunique() < 2:
            continue
        for account, part in group.groupby("account", sort=True):
            counts = part["segment"].astype(str).value_counts()
            rows.append(
                {
                    "fingerprint": fp,
                    "account": account,
                    "workbooks": int(part["workbook"].nunique()),
                    "agreement": float(counts.iloc[0] / counts.sum()),
                    "most_chosen": counts.index[0],
                    "buckets": ", ".join(f"{b} ({n})" for b, n in counts.items()),
                }
            )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["agreement", "account"], kind="stable").reset_index(drop=True)
