"""The browse page's data: validation on demand, cached until a file changes, and the plan
compared with the local sandbox portal once it has a state."""

from __future__ import annotations

import os

from click.testing import CliRunner

from conftest import GOOD_ROW
from publisher.cli import main
from publisher.web.federation import FederationView

from .conftest import FAULTY_ROW


def test_status_is_kept_until_a_file_of_the_repository_changes(mini_repo):
    folder = mini_repo.dataset("subventions", [GOOD_ROW])
    view = FederationView(mini_repo.root)
    first = view.status()
    assert view.status() is first
    assert first.changes["begles-subventions"].action == "publishable"
    data = folder / "donnees.csv"
    data.write_text(data.read_text("utf-8") + FAULTY_ROW + "\n", "utf-8")
    os.utime(data, ns=(data.stat().st_atime_ns, data.stat().st_mtime_ns + 10**9))
    second = view.status()
    assert second is not first
    assert second.changes["begles-subventions"].action == "blocked"
    assert "FR-SIRET" in second.changes["begles-subventions"].reasons


def test_plan_is_compared_with_the_sandbox_once_it_has_a_state(mini_repo):
    mini_repo.dataset("subventions", [GOOD_ROW])
    assert not FederationView(mini_repo.root).status().compared_with_sandbox
    published = CliRunner().invoke(main, ["run", str(mini_repo.root)])
    assert published.exit_code == 0, published.output
    status = FederationView(mini_repo.root).status()
    assert status.compared_with_sandbox
    assert status.changes["begles-subventions"].action == "unchanged"
    mini_repo.dataset("subventions-2025", [GOOD_ROW])
    assert FederationView(mini_repo.root).status().changes["begles-subventions-2025"].action == (
        "create"
    )
