"""A real `publisher serve` application on a free loopback port, over a small data repository,
with its uploads in a folder the tests can watch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import GOOD_ROW, SUBVENTIONS_HEADER, MiniRepo
from publisher.web import WebSettings, create_app
from publisher.web.server import BackgroundServer

LIMIT = 200_000
FAULTY_ROW = GOOD_ROW.replace("21330039500109", "21330039500108").replace(";24500;", ";24500,50;")
FAULTY_CSV = f"{SUBVENTIONS_HEADER}\n{GOOD_ROW}\n{FAULTY_ROW}\n".encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BackgroundServer, Path]]:
    """The server, and the folder its uploads go to (empty between requests)."""
    repo = MiniRepo(tmp_path_factory.mktemp("depot") / "repo")
    repo.dataset("subventions", [GOOD_ROW, FAULTY_ROW])
    repo.dataset("subventions-2025", [GOOD_ROW])
    uploads = tmp_path_factory.mktemp("envois")
    app = create_app(WebSettings(repo.root, LIMIT, upload_root=uploads))
    with BackgroundServer(app) as server:
        yield server, uploads


@pytest.fixture
def uploads(site) -> Path:
    return site[1]


@pytest.fixture
def browser_session(site) -> Iterator[httpx.Client]:
    """A client keeping its cookies, as one browser does."""
    with httpx.Client(base_url=site[0].url, timeout=60) as client:
        yield client


def form_token(client: httpx.Client, path: str = "/") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def send(
    client: httpx.Client,
    data: bytes = FAULTY_CSV,
    *,
    name: str = "subventions-2026.csv",
    schema: str = "subventions",
    action: str = "controler",
    token: str | None = None,
    **extra: object,
) -> httpx.Response:
    """Post the check form as the page does (CSRF field first, then the file)."""
    fields = {"csrf": form_token(client) if token is None else token}
    fields |= {"schema": schema, "action": action}
    return client.post(
        "/controle", data=fields, files={"fichier": (name, data, "text/csv")}, **extra
    )
