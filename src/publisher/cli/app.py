"""The `publisher` command group; each command module adds its commands to it.

Help texts are written in French in the decorators and shown in the chosen language: the
commands and options translate them when they print them, and the language is chosen before
anything is parsed, so that click's own messages follow it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from publisher.i18n import LANGUAGES, _, resolve_language, set_language


class LocalisedCommand(click.Command):
    """A command whose help, and its options' help, are shown in the current language."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(self, *self.get_params(ctx)):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated_help(*self.get_params(ctx)):
            super().format_options(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated_help(self):
            return super().get_short_help_str(limit)


class LocalisedGroup(LocalisedCommand, click.Group):
    """The group: same translated help, and the language set from `--lang` (or the
    environment) before the arguments are parsed."""

    command_class = LocalisedCommand
    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        set_language(resolve_language(_requested_language(args)))
        return super().parse_args(ctx, args)


class _translated_help:
    """Swap in the translated help of commands and parameters while click formats it."""

    def __init__(self, *items: Any):
        self.items = [item for item in items if getattr(item, "help", None)]
        self.saved: list[str] = []

    def __enter__(self) -> None:
        self.saved = [item.help for item in self.items]
        for item in self.items:
            item.help = _(item.help)

    def __exit__(self, *_exc: object) -> None:
        for item, original in zip(self.items, self.saved, strict=True):
            item.help = original


def _requested_language(args: Sequence[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1] if args[index + 1] in LANGUAGES else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGUAGES else None
    return None


# click names some metavars (FILE, DIRECTORY) when the commands are defined, below: its words
# follow the environment's language from the start, then `--lang` once parsed.
set_language(resolve_language())


@click.group(cls=LocalisedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher", message="publisher %(version)s")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Langue des messages et des rapports (par défaut : PUBLISHER_LANG, sinon la langue "
    "du système si c'est l'anglais, sinon le français).",
)
def main(lang: str | None) -> None:
    """Valider, auditer et publier les données ouvertes des communes de la métropole."""
    set_language(resolve_language(lang))
