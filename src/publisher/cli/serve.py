"""`publisher serve`: the web page for officers, on this machine or the commune's intranet."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors, repo_option
from publisher.i18n import _, current


class Size(click.ParamType):
    """`50Mo`, `500ko`, `1Go` (or MB, kB, GB, or bytes) → bytes."""

    name = "taille"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        from publisher.web.uploads import parse_size

        if isinstance(value, int):
            return value
        try:
            size = parse_size(str(value))
        except ValueError:
            size = 0
        if size <= 0:
            self.fail(
                _("« {value} » n'est pas une taille (exemples : 50Mo, 500ko, 1Go)").format(
                    value=value
                )
            )
        return size


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adresse d'écoute ; une autre que 127.0.0.1 ouvre la page au réseau.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port d'écoute."
)
@click.option(
    "--taille-max",
    "max_upload",
    type=Size(),
    default="50Mo",
    show_default=True,
    help="Taille maximale d'un fichier envoyé (par exemple 50Mo, 500ko, 1Go).",
)
@repo_option("Dépôt de données : registre des schémas et fédération à parcourir.")
@friendly_errors
def serve(host: str, port: int, max_upload: int, repo: Path) -> None:
    """Ouvrir la page web de contrôle des fichiers et de la fédération (Ctrl+C pour arrêter)."""
    from publisher.model import find_root
    from publisher.web import WebSettings, create_app
    from publisher.web.server import bind, serve_forever
    from publisher.web.uploads import shown_size

    settings = WebSettings(find_root(repo), max_upload, language=current().language, host=host)
    app = create_app(settings)
    sock = bind(host, port)
    if not is_loopback(host):
        click.secho(
            _(
                "Attention : la page est ouverte au réseau ({host}). Toute personne qui joint "
                "cette machine peut y déposer des fichiers et voir l'état de la fédération. "
                "Réservez cet usage à l'intranet de la commune, derrière son pare-feu."
            ).format(host=host),
            fg="yellow",
            err=True,
        )
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(
        _(
            "publisher serve : http://{host}:{port}/ (fichiers jusqu'à {limit} ; Ctrl+C pour "
            "arrêter)"
        ).format(host=shown_host, port=sock.getsockname()[1], limit=shown_size(max_upload)),
        err=True,
    )
    serve_forever(app, sock)
