"""Make the README's picture of the workbench: the sample portfolio in Voila, in headless Chromium.

    .venv/bin/python docs/img/make_pictures.py    # writes docs/img/workbench.png

Run it again when the workbench's look changes (needs Chromium: ``bash .ci/system``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser_support import CHROMIUM_ARGS, VoilaServer, chromium, wait_rendered, write_notebook  # noqa: E402

CELLS = [
    "import kamwidgets as kw\n"
    "kw.ClassificationWidget(kw.load_portfolio(kw.sample_path('portfolio')),"
    " attractiveness=kw.samples.SAMPLE_ATTRACTIVENESS, strength=kw.samples.SAMPLE_STRENGTH)"
]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kam-pictures-"))
    name = write_notebook(folder, "The classification workbench", CELLS, template="kamwidgets")
    env = {"KAMWIDGETS_DB_URL": f"sqlite:///{folder}/pictures.sqlite", "KAMWIDGETS_DRAW_AT_ONCE": "1"}
    server = VoilaServer(folder, folder / "voila.log", env=env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server.url}/voila/render/{name}?workbook=pictures", timeout=240_000)
            wait_rendered(page)
            page.wait_for_timeout(1_000)  # let the matrix's fade-in end
            out = Path(__file__).with_name("workbench.png")
            page.screenshot(path=str(out), full_page=False)
            print(f"wrote {out.relative_to(ROOT)}")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
