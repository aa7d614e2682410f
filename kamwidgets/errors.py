"""The one exception the workbook raises for problems with user data or settings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["KamDataError", "KamDataWarning"]

_MAX_LISTED = 5


def _listing(items: Sequence[object], limit: int = _MAX_LISTED) -> str:
    shown = ", ".join(f"{i:,}" if isinstance(i, int) else str(i) for i in items[:limit])  # row 1,000,001
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown


class KamDataError(ValueError):
    """A problem with the data or settings a user gave the workbook.

    The message says where (``source``, ``column``, ``rows`` or ``accounts``),
    what is wrong and how to fix it.  The same facts are kept as attributes so
    that a widget can show them next to the field they concern.

    Parameters
    ----------
    problem:
        What is wrong, as one sentence.
    source:
        The file (or "the DataFrame") the data came from.
    column:
        The column concerned.
    rows:
        Row numbers as the user sees them (a spreadsheet's numbering: the
        header is row 1, the first data row is row 2).
    accounts:
        Account names concerned.
    fix:
        How to fix it.

    Examples
    --------
    >>> err = KamDataError("has text where a number is expected",
    ...                    source="crm.csv", column="revenue", rows=[4],
    ...                    fix="Replace it with a number or leave the cell empty.")
    >>> print(err)
    crm.csv, column 'revenue', row 4: has text where a number is expected.
    Replace it with a number or leave the cell empty.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        column: str | None = None,
        rows: Iterable[int] | None = None,
        accounts: Iterable[str] | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.column = column
        self.rows = list(rows) if rows is not None else []
        self.accounts = list(accounts) if accounts is not None else []
        self.fix = fix
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.rows:
            word = "row" if len(self.rows) == 1 else "rows"
            where.append(f"{word} {_listing(self.rows)}")
        if self.accounts:
            word = "account" if len(self.accounts) == 1 else "accounts"
            where.append(f"{word} {_listing([repr(a) for a in self.accounts])}")
        text = ", ".join(where)
        text = f"{text}: {self.problem}" if text else self.problem
        if not text.endswith((".", "?", "!")):
            text += "."
        if self.fix:
            text += f" {self.fix}"
        return text


class KamDataWarning(UserWarning):
    """Something in the user's data was left out or could not be computed.

    Raised as a warning, not an error, when the result is still useful: for
    example rows of a transaction export that name no account.
    """
