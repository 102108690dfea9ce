"""`publisher serve`: the officer's web page, to check a file in the browser without sending
it anywhere else, and to browse the federation (see `app.py`)."""

from publisher.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
