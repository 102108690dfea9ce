"""Screenshot of the sample report for the documentation, taken in headless Chromium.

    .venv/bin/python scripts/capture_report.py   # writes docs/images/rapport.png

Validates the example data repository, writes its reports in a temporary folder and
photographs the top of the HTML page with Debian's Chromium (no browser download).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from publisher import load_federation, validate_federation
from publisher.reports import build_document, write_reports

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "images" / "rapport.png"


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, without downloading a browser."""
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium"),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def main() -> None:
    federation = load_federation(ROOT)
    document = build_document(validate_federation(federation, federation.registry))
    with tempfile.TemporaryDirectory() as folder:
        page_path = write_reports(document, Path(folder))[0]
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1100, "height": 1500})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"Capture écrite : {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
