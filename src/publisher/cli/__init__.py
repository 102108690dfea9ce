"""The `publisher` command: parse, call the library, print, exit. No business logic here.

Each command family lives in its own module and registers itself on the `main` group, which
imports it when one of its commands is asked for (`app.COMMAND_MODULES`).
"""

from __future__ import annotations

import gc
import os
import sys

import click

from publisher.cli.app import main

__all__ = ["entry_point", "main"]


def entry_point() -> None:
    """Console entry: unexpected failures print one line, unless PUBLISHER_DEBUG is set."""
    try:
        main()
    except Exception as error:  # a bug, not the user's data: keep the terminal readable
        if os.environ.get("PUBLISHER_DEBUG"):
            raise
        click.secho(
            f"Erreur interne de publisher ({type(error).__name__}). Relancez avec "
            "PUBLISHER_DEBUG=1 pour le détail et signalez-la aux mainteneurs.",
            fg="red",
            err=True,
        )
        sys.exit(70)
    finally:
        # What is still alive now lives until the process ends: the garbage collector need not
        # walk it again while the interpreter shuts down (with polars and the checks loaded,
        # that walk costs a `publisher check` 50 to 100 ms).
        gc.freeze()
