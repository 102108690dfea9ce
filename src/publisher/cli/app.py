"""The `publisher` command group; each command module adds its commands to it.

Help texts are written in French in the decorators and shown in the chosen language: the
commands and options translate them when they print them, and the language is chosen before
anything is parsed, so that click's own messages follow it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
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
    environment) before the arguments are parsed. `lazy_commands` (name → module) are
    defined by their module on this group once it is imported, which is done when one of them
    is asked for or listed (click's lazy loading)."""

    command_class = LocalisedCommand
    group_class = type

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        set_language(resolve_language(_requested_language(args)))
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            import_module(self.lazy_commands[cmd_name])
        elif cmd_name not in self.commands:
            self.every_command()  # for click to suggest the nearest name (« check » ?)
        return super().get_command(ctx, cmd_name)

    def every_command(self) -> dict[str, click.Command]:
        """Every command, defined in the order of their modules in `lazy_commands`."""
        for module in dict.fromkeys(self.lazy_commands.values()):
            import_module(module)
        return self.commands


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


# click names some metavars (FILE, DIRECTORY) when a command is defined, as its module is
# imported: in the environment's language from the start, then in that of `--lang` once parsed.
set_language(resolve_language())


COMMAND_MODULES = {
    name: f"publisher.cli.{module}"
    for module, names in {
        "audit": ("audit",),
        "explain": ("explain",),
        "fix": ("fix",),
        "privacy": ("scan",),
        "publishing": ("plan", "publish", "push", "run", "sandbox"),
        "scaffold": ("init", "new-dataset"),
        "schemas": ("schemas",),
        "serve": ("serve",),
        "validation": ("check", "validate"),
    }.items()
    for name in names
}
"""Each command of `publisher` → the module that defines it, imported when it runs (or when the
help lists every command): `publisher check` does not load the portal, audit or web commands."""


@click.group(
    cls=LocalisedGroup,
    lazy_commands=COMMAND_MODULES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
