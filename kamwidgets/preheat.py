"""A kernel Voila runs ahead of any page (``--preheat_kernel=True``): it warms up, then waits for the page.

:func:`kamwidgets.identity.workbook_name` calls :func:`wait_for_page` before it reads the page's address.
"""

from __future__ import annotations

from . import config
from .model import balance, classify
from .samples import SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH, sample_portfolio

__all__ = ["wait_for_page"]

_waited = False


def wait_for_page() -> None:
    """In a kernel Voila preheated for a lesson: pay the first-use costs, then wait for the participant's page.

    Voila started with ``--preheat_kernel=True`` runs each lesson ahead in a
    spare kernel, before anyone asks for it, so a page only waits for what
    follows.  The page's query string (``?workbook=NAME``) reaches such a
    kernel only with the request, so :func:`kamwidgets.workbook_name` calls
    this first: until then the kernel loads what every lesson needs the first
    time (the store's database layer, plotly's checks of the charts' figures);
    then it waits for the request, which puts the page's query string in the
    environment.  Anywhere else (JupyterLab, Voila without preheating, the
    hub's Voila) it returns at once.
    """
    global _waited
    if _waited or not config.voila_preheated():
        return
    _waited = True
    try:
        _warm_up()
    except Exception:  # only time is saved: a lesson never fails for it
        pass
    from voila.utils import wait_for_request  # deferred: start-up time (Voila: over a second; Voila's kernels only)

    wait_for_request()


def _warm_up() -> None:
    """Load what the lessons use for the first time, so that a participant's page does not wait for it."""
    from .charts import balance_chart, portfolio_matrix  # deferred: start-up time (plotly: what this warms up)

    classified = classify(sample_portfolio(), SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
    portfolio_matrix(classified)
    balance_chart(balance(classified))
