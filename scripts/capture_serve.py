"""Screenshots of `publisher serve` for the documentation, taken in headless Chromium.

    .venv/bin/python scripts/capture_serve.py   # writes docs/images/serve-*.png

Starts the web application on a free loopback port, uploads a subventions file with a
decimal comma and a wrong SIRET, lets the page detect the schema and photographs the result;
then the home page and the federation page. Chromium is Debian's, launched by
`capture_report.py`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from capture_report import ROOT, launch_chromium
from playwright.sync_api import sync_playwright

from publisher.web import WebSettings, create_app
from publisher.web.server import BackgroundServer

IMAGES = ROOT / "docs" / "images"
HEADER = (
    "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;"
    "rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;"
    "notificationUE;pourcentageSubvention;dispositifAide"
)
ROWS = (
    "Commune de Bègles;21330039500108;11/02/2025;DEL-2025-014;Association Sportive Béglaise;;"
    "W332001234;Fonctionnement annuel;24500,50;aide en numéraire;Echelonné;"
    "2025-03-01/2025-09-30;;non;0.35;Soutien aux clubs",
    "Commune de Bègles;21330039500109;2025-03-04;DEL-2025-022;Club de lecture;;W332004321;"
    "Achat de livres;1200;aide en numéraire;Unique;;;non;;Culture",
)


def main() -> None:
    app = create_app(WebSettings(ROOT, 50_000_000))
    with tempfile.TemporaryDirectory() as folder, BackgroundServer(app) as server:
        sample = Path(folder) / "subventions-2026.csv"
        sample.write_text("\n".join([HEADER, *ROWS]) + "\n", "utf-8")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(server.url + "/")
            page.screenshot(path=str(IMAGES / "serve-accueil.png"))
            page.set_input_files("#fichier", str(sample))
            page.click("button[value=detecter]")
            page.wait_for_url("**/resultat/**")
            page.set_viewport_size({"width": 1100, "height": 1700})
            page.screenshot(path=str(IMAGES / "serve-constats.png"))
            page.goto(server.url + "/federation")
            page.screenshot(path=str(IMAGES / "serve-federation.png"))
            browser.close()
    for name in ("accueil", "constats", "federation"):
        print(f"Capture écrite : docs/images/serve-{name}.png")


if __name__ == "__main__":
    main()
