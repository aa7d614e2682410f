"""The lessons as a participant meets them on the workshop's server (``.ci/workshop``), in a real browser.

The list of lessons shows their titles; a name is asked for before a lesson
runs, in an empty box; once given, every link carries it and a lesson loads
once, in the participant's workbook, never in the shared ``default``.

These tests run ``.ci/workshop`` itself (its own Voila, on a free port, with a
store of its own): the list's titles and the name asked for first come from
the hooks it adds to Voila (:func:`kamwidgets.page_assets.serve`), which the
session's plain Voila (``served``, in ``test_browser.py``) does not have.
There, the list shows file names (``test_browser.py`` looks for one) and a
lesson's page asks for itself again with the remembered name.
"""

from __future__ import annotations

import pytest

import kamwidgets as kw

from .browser_support import JupyterServer, accessibility_problems, free_port, wait_rendered
from .conftest import ROOT

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: How Voila says it started a kernel (one per page it runs).
KERNEL_STARTED = "Kernel started:"


def _title(path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return next(c.source.splitlines()[0].lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """``bash .ci/workshop`` on a free port, with a SQLite store of its own; yields (address, store URL, server)."""
    tmp = tmp_path_factory.mktemp("workshop")
    store = f"sqlite:///{tmp / 'workshop.sqlite'}"
    env = {"KAM_PORT": str(free_port()), "KAMWIDGETS_DB_URL": store, "KAM_CULL_AFTER": "30"}
    server = JupyterServer(["/usr/bin/env", "bash", ".ci/workshop"], ROOT, tmp / "workshop.log", env=env, timeout=300)
    yield server.url, store, server
    server.stop()


def _default_history(store: str):
    return kw.open_store(store, workbook="default").history()


def _kernels(server) -> int:
    return server.log.read_text(errors="replace").count(KERNEL_STARTED)


def _lesson_links(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all("a.kam-lesson", "links => links.map(a => [a.textContent.trim(), a.href])")


def test_the_list_shows_each_lesson_by_its_title_in_the_course_order(browser, workshop):
    url, _, _ = workshop
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    try:
        page.goto(f"{url}/", timeout=120_000)
        links = _lesson_links(page)
        assert [text for text, _ in links] == [_title(path) for path in NOTEBOOKS]
        texts = [text for text, _ in links]
        assert texts[0].startswith("Start here") and texts[1].startswith("Lessons 1 to 3")
        assert texts[-3:] == [
            "Lesson 14: Customer classification",
            "Case study: classifying real customer data",
            _title(ROOT / "notebooks" / "13_wrap_up.ipynb"),
        ]
        assert texts[-1].startswith("Lesson 15")
        # Voila's render addresses, no name yet (none given)
        assert [href for _, href in links] == [f"{url}/voila/render/{path.name}" for path in NOTEBOOKS]
        body = page.inner_text("body")
        assert "Select items" not in body and ".ipynb" not in body
        assert accessibility_problems(page) == []
    finally:
        page.close()


def test_a_lesson_opened_without_a_name_asks_for_it_first_in_an_empty_box(browser, workshop):
    url, store, server = workshop
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    try:
        page.goto(f"{url}/", timeout=120_000)
        page.get_by_role("link", name="Lesson 9: The contact matrix").click()
        box = page.get_by_label("Your name", exact=False)
        box.wait_for(timeout=120_000)
        wait_rendered(page)
        assert box.input_value() == "" and box.get_attribute("placeholder") == "Your name, e.g. Ann"
        assert "?workbook=" not in page.url
        # nothing of the lesson ran: only its title and the name box are there, and nothing was saved
        text = page.inner_text("body")
        assert "Lesson 9: The contact matrix" in text and "open the lesson without a name" in text
        assert page.locator(".jp-OutputArea-output").count() == page.locator(".kam-workbook").count() == 1
        assert _default_history(store).empty
        box.click()
        page.keyboard.type("Ann")
        assert box.input_value() == "Ann"  # not "defaultAnn"
        kernels = _kernels(server)
        with page.expect_navigation(timeout=240_000):
            page.get_by_role("button", name="Use this name").click()
        assert page.url == f"{url}/voila/render/07_contact_matrix.ipynb?workbook=Ann"
        wait_rendered(page)
        assert page.get_by_label("Your name", exact=False).input_value() == "Ann"
        assert "kept under 'Ann'" in page.inner_text("body")
        assert _kernels(server) == kernels + 1 and _default_history(store).empty
    finally:
        page.close()


def test_once_named_every_link_carries_the_name_and_a_lesson_loads_once(browser, workshop):
    url, store, server = workshop
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/voila/render/00_start_here.ipynb?workbook=test/once", timeout=240_000)
        wait_rendered(page)  # the page remembers the name of its address
        page.goto(f"{url}/", timeout=120_000)
        links = _lesson_links(page)
        assert [href for _, href in links] == [
            f"{url}/voila/render/{path.name}?workbook=test%2Fonce" for path in NOTEBOOKS
        ]
        assert "test/once" in page.inner_text("#kam-lessons-note")
        # a lesson opened from the list: one page load, one kernel, in the participant's workbook
        loads: list[str] = []
        page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/voila/render/" in r.url else None)
        kernels = _kernels(server)
        page.get_by_role("link", name="Lesson 14: Customer classification").click()
        wait_rendered(page)  # the name box is drawn by now: where the page used to load again
        lesson = f"{url}/voila/render/12_customer_classification.ipynb?workbook=test%2Fonce"
        assert loads == [lesson] and asked == [lesson]
        assert _kernels(server) == kernels + 1
        assert page.get_by_label("Your name", exact=False).input_value() == "test/once"
        # a lesson's address typed without the name: the server sends it on with it, before any kernel starts
        loads.clear()
        kernels = _kernels(server)
        page.goto(f"{url}/voila/render/10_swot.ipynb", timeout=240_000)
        wait_rendered(page)
        assert loads == [f"{url}/voila/render/10_swot.ipynb?workbook=test%2Fonce"]
        assert _kernels(server) == kernels + 1
        assert _default_history(store).empty  # nothing was ever written into the shared workbook
        assert not errors
    finally:
        context.close()
