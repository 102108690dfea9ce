"""Publishing what passed: the plan from findings, keys from the environment, and runs that
are interrupted for real (`kill -9`) then finished."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import GOOD_ROW, SUBVENTIONS_HEADER
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.cli import main
from publisher.plan import build_plan
from publisher.portal import AutomationClient, SandboxServer


def validation_of(repo):
    federation = load_federation(repo.root)
    return validate_federation(federation, SchemaRegistry.load(federation.schemas_dir))


def test_plan_keeps_blocked_datasets_out_and_maps_metadata(mini_repo):
    mini_repo.dataset("propre", frequency="monthly", modified="2026-11-02")
    mini_repo.dataset("fautif", [GOOD_ROW.replace("2025-02-11", "11/02/2025")])
    plan = build_plan(validation_of(mini_repo))
    assert [b.dataset_id for b in plan.blocked] == ["begles-fautif"]
    assert plan.blocked[0].codes == ("FMT-DATE-FR",)
    (payload,) = plan.payloads
    assert payload.dataset_id == "begles-propre"
    default = payload.metadata["default"]
    assert default["title"] == "Subventions aux associations"
    assert default["publisher"] == "Commune de Bègles"
    assert default["modified"] == "2026-11-02T00:00:00+00:00"
    assert default["language"] == "fr"
    assert default["description"].startswith("<p>") and "<script" not in default["description"]
    assert payload.metadata["dcat"]["accrualperiodicity"] == "Mensuelle"
    assert payload.metadata["internal"] == {"license_id": "lov2", "theme_id": ["economie"]}
    (resource,) = payload.files
    assert resource.extractor == "csvfile" and resource.params["separator"] == ";"


@pytest.fixture
def portal(tmp_path):
    with SandboxServer(tmp_path / "portail", processing_delay=0.05) as server:
        yield server


def test_publish_to_a_real_portal_url_with_the_key_from_the_environment(
    mini_repo, portal, monkeypatch
):
    mini_repo.dataset("propre")
    runner = CliRunner()
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY", raising=False)
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY_FILE", raising=False)
    missing = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert missing.exit_code == 2
    assert "PUBLISHER_ODS_API_KEY" in missing.output

    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", "cle-inconnue-4242")
    refused = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert refused.exit_code == 3
    assert "cle-inconnue-4242" not in refused.output

    key_file = mini_repo.root.parent / "cle"
    key_file.write_text(portal.api_key + "\n", "utf-8")
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY")
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY_FILE", str(key_file))
    done = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert done.exit_code == 0, done.output
    assert "begles-propre" in done.output and "1 jeu publié ou mis à jour" in done.output
    assert portal.api_key not in done.output
    again = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert "Rien de nouveau à publier" in again.output


def test_broken_sandbox_state_still_writes_the_reports(mini_repo):
    mini_repo.dataset("propre")
    (mini_repo.root / ".publisher").write_text("pas un dossier", "utf-8")
    result = CliRunner().invoke(main, ["run", str(mini_repo.root)])
    assert result.exit_code == 3
    assert ".publisher/sandbox" in result.output and "Traceback" not in result.output
    assert (mini_repo.root / "reports/rapport.json").is_file()


@pytest.mark.parametrize(
    "url,key,message",
    [
        ("notaurl", "cle", "adresse de portail invalide"),
        ("http://127.0.0.1:9", "clé-accentuée", "non ASCII"),
    ],
    ids=["bad-url", "non-ascii-key"],
)
def test_bad_portal_url_or_key_is_a_usage_error(mini_repo, monkeypatch, url, key, message):
    mini_repo.dataset("propre")
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", key)
    result = CliRunner().invoke(main, ["publish", str(mini_repo.root), "--portal", url])
    assert result.exit_code == 2
    assert message in result.output


def test_licence_without_portal_id_blocks_and_unknown_theme_warns(mini_repo):
    mini_repo.dataset("odbl", licenses=[{"name": "ODbL-1.0"}], themes=["Voirie", "Économie"])
    mini_repo.dataset("ouverte", keywords=["Budget ", "budget", "Vie  associative"])
    federation = mini_repo.root / "federation.yaml"
    federation.write_text(
        federation.read_text("utf-8").replace("    ODbL-1.0: odbl\n", ""), "utf-8"
    )
    plan = build_plan(validation_of(mini_repo))
    assert [(b.dataset_id, b.codes) for b in plan.blocked] == [("begles-odbl", ("PORTAL-LICENCE",))]
    assert sorted((f.code, f.location.dataset, f.value) for f in plan.findings) == [
        ("PORTAL-LICENCE", "odbl", None),
        ("PORTAL-THEME", "odbl", "Voirie"),
    ]
    (payload,) = plan.payloads
    assert payload.metadata["default"]["keyword"] == ["Budget", "Vie associative"]


def test_each_commune_publishes_with_its_own_key(mini_repo, portal, monkeypatch):
    mini_repo.dataset("propre")
    mini_repo.dataset("autre", commune="pessac")
    runner = CliRunner()
    for variable in list(os.environ):
        if variable.startswith("PUBLISHER_ODS_API_KEY"):
            monkeypatch.delenv(variable)
    args = ["publish", str(mini_repo.root), "--portal", portal.url]
    missing = runner.invoke(main, args)
    assert missing.exit_code == 2
    assert "PUBLISHER_ODS_API_KEY_BEGLES" in missing.output

    keys = {slug: portal.commune_key(slug) for slug in ("begles", "pessac")}
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY_BEGLES", keys["pessac"])  # swapped by mistake
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", portal.api_key)
    swapped = runner.invoke(main, args)
    assert swapped.exit_code == 3
    assert "réservée aux jeux de la commune « pessac »" in swapped.output
    assert "pessac-autre : créé et publié" in swapped.output
    assert all(key not in swapped.output for key in keys.values())

    monkeypatch.setenv("PUBLISHER_ODS_API_KEY_BEGLES", keys["begles"])
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "begles-propre : créé et publié" in done.output
    state = mini_repo.root / ".publisher" / "state"
    stored = b"".join(p.read_bytes() for p in state.iterdir() if p.is_file())
    assert all(key.encode() not in stored for key in [*keys.values(), portal.api_key])


def test_prune_asks_before_deleting_and_deletes_only_with_consent(mini_repo, portal, monkeypatch):
    mini_repo.dataset("propre")
    mini_repo.dataset("ancien")
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", portal.api_key)
    runner = CliRunner()
    args = ["publish", str(mini_repo.root), "--portal", portal.url]
    assert runner.invoke(main, args).exit_code == 0
    for path in (mini_repo.root / "communes/begles/datasets/ancien").iterdir():
        path.unlink()
    (mini_repo.root / "communes/begles/datasets/ancien").rmdir()

    planned = runner.invoke(main, ["plan", *args[1:], "--prune"])
    assert "- begles-ancien : prévu : suppression" in planned.output
    refused = runner.invoke(main, [*args, "--prune"], input="n\n")
    assert refused.exit_code == 2 and "rien n'a été publié" in refused.output
    with AutomationClient(portal.url, portal.api_key) as client:
        assert client.find_dataset("begles-ancien") is not None
        pruned = runner.invoke(main, [*args, "--prune", "--yes"])
        assert pruned.exit_code == 0, pruned.output
        assert "begles-ancien : supprimé du portail" in pruned.output
        assert client.find_dataset("begles-ancien") is None
        assert client.find_dataset("begles-propre") is not None


def publisher_process(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    executable = Path(sys.executable).with_name("publisher")
    return subprocess.Popen(
        [str(executable), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )


def publicly_visible(server: SandboxServer, dataset_id: str) -> bool:
    """Whether a visitor without any key finds the dataset in the public catalogue."""
    url = f"{server.url}/api/explore/v2.1/catalog/datasets/{dataset_id}"
    return httpx.get(url).status_code == 200


def half_published(server: SandboxServer, datasets: list[dict]) -> bool:
    return len(datasets) >= 3 and any(not d["is_published"] for d in datasets)


def read_back_but_not_yet_public(server: SandboxServer, datasets: list[dict]) -> bool:
    return any(
        d["is_published"] and not publicly_visible(server, d["dataset_id"]) for d in datasets
    )


@pytest.mark.parametrize("moment", [half_published, read_back_but_not_yet_public])
def test_a_run_killed_half_way_converges_on_rerun(mini_repo, tmp_path, moment):
    names = [f"jeu-{number}" for number in range(6)]
    for name in names:
        mini_repo.dataset(name)
    with SandboxServer(tmp_path / "portail", processing_delay=0.4) as server:
        env = {"PUBLISHER_ODS_API_KEY": server.api_key}
        args = ["publish", str(mini_repo.root), "--portal", server.url, "--concurrency", "2"]
        first = publisher_process(*args, env=env)

        def run_again() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [first.args[0], *args],
                capture_output=True,
                text=True,
                env={**os.environ, **env},
                timeout=300,
                check=False,
            )

        with AutomationClient(server.url, server.api_key) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not moment(server, client.list_datasets()):
                time.sleep(0.02)
            first.send_signal(signal.SIGKILL)
            first.wait(30)
            assert first.returncode == -signal.SIGKILL
            assert len(client.list_datasets()) < len(names)

        rerun = run_again()
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert "interrompu lors d'une exécution précédente, repris" in rerun.stdout
        with AutomationClient(server.url, server.api_key) as client:
            datasets = client.list_datasets()
            assert sorted(d["dataset_id"] for d in datasets) == [f"begles-{n}" for n in names]
            for dataset in datasets:
                assert len(client.list_resources(dataset["uid"])) == 1  # no duplicate
                assert client.explore_records_count(dataset["dataset_id"]) == 1
                assert publicly_visible(server, dataset["dataset_id"])
        again = run_again()
        assert "Rien de nouveau à publier" in again.stdout


def test_push_sends_valid_records_once_and_turns_invalid_ones_into_findings(mini_repo):
    mini_repo.dataset("propre")
    runner = CliRunner()
    assert runner.invoke(main, ["publish", str(mini_repo.root)]).exit_code == 0
    records = mini_repo.root.parent / "temps-reel.csv"
    second = GOOD_ROW.replace("DEL-2025-014", "DEL-2025-015")
    bad = GOOD_ROW.replace("2025-02-11", "11/02/2025").replace("014", "016")
    records.write_text("\n".join([SUBVENTIONS_HEADER, GOOD_ROW, second, bad]) + "\n", "utf-8")
    args = ["push", "begles/propre", str(records), "--repo", str(mini_repo.root)]

    first = runner.invoke(main, [*args, "--batch-size", "1"])
    again = runner.invoke(main, args)

    assert first.exit_code == 1, first.output
    assert "[FMT-DATE-FR]" in first.output and "ligne 4" in first.output
    assert "2 enregistrements envoyés (2 lots), 0 déjà envoyé, 1 refusé sur 3." in first.output
    assert "0 enregistrement envoyé (0 lot), 2 déjà envoyés, 1 refusé sur 3." in again.output
    assert "[PUSH-REJECTED]" in again.output
    with (
        SandboxServer(mini_repo.root / ".publisher" / "sandbox") as server,
        AutomationClient(server.url, server.api_key) as client,
    ):
        assert client.explore_records_count("begles-propre") == 1 + 2


def test_publish_draws_a_progress_bar_on_a_terminal_only(mini_repo):
    mini_repo.dataset("propre")
    mini_repo.dataset("autre")
    executable = Path(sys.executable).with_name("publisher")
    controller, terminal = pty.openpty()
    drawn: list[bytes] = []

    def watch_screen() -> None:
        with contextlib.suppress(OSError):  # the terminal closes with the process
            while chunk := os.read(controller, 4096):
                drawn.append(chunk)

    watcher = threading.Thread(target=watch_screen)
    watcher.start()
    process = subprocess.Popen(
        [str(executable), "publish", str(mini_repo.root)],
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(terminal)
    printed = process.communicate(timeout=120)[0].decode()
    watcher.join(30)
    os.close(controller)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(drawn).decode(errors="replace"))
    assert process.returncode == 0, printed
    assert re.search(r"Publication ━+ 2/2 begles-", screen), screen
    assert "━" not in printed
    assert "begles-autre : créé et publié (1 enregistrement, vérifié, rendu public)" in printed
