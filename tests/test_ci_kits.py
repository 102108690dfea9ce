"""The CI kits run: the GitHub action's step, the GitLab template's script and the
pre-commit hook, each executed as its CI would, against a small data repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import GOOD_ROW, REPO

BIN = Path(sys.executable).parent


def run(
    script: str, cwd: Path, env: dict[str, str], shell: str = "bash"
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [shell, "-e", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def broken_repo(mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("21330039500109", "21330039500108")])
    mini_repo.dataset("autre", commune="pessac")
    return mini_repo.root


def test_github_action_step(mini_repo, tmp_path):
    action = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "validate")
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs = {**defaults, "communes": "begles", "report-path": str(tmp_path / "rapports")}
    env = {
        key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], value)
        for key, value in step["env"].items()
    }
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    env |= {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs)}
    done = run(step["run"], broken_repo(mini_repo), env)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::error file=communes/begles/datasets/jeu/donnees.csv,line=2")
    assert "FR-SIRET" in summary.read_text("utf-8")
    assert outputs.read_text("utf-8").strip() == f"report-path={tmp_path / 'rapports'}"
    written = sorted(p.name for p in (tmp_path / "rapports").iterdir())
    assert written == [
        "historique",
        "rapport.html",
        "rapport.json",
        "rapport.junit.xml",
        "rapport.md",
        "rapport.sarif",
    ]
    assert [
        c["slug"] for c in json.loads((tmp_path / "rapports/rapport.json").read_text())["communes"]
    ] == ["begles"]


def test_gitlab_template_script(mini_repo):
    template = yaml.safe_load((REPO / "ci/publisher.gitlab-ci.yml").read_text("utf-8"))
    job = template["publisher"]
    install, *script = job["script"]
    assert "pip install" in install
    root = broken_repo(mini_repo)
    done = run("\n".join(script), root, {k: str(v) for k, v in template["variables"].items()}, "sh")
    assert done.returncode == 1, done.stderr
    reports = job["artifacts"]["reports"]
    issues = json.loads((root / reports["codequality"]).read_text("utf-8"))
    assert any(issue["check_name"] == "FR-SIRET" for issue in issues)
    assert "<failure" in (root / reports["junit"]).read_text("utf-8")
    assert all(
        Path(path.rstrip("/")).parts[0] == "rapports-publisher"
        for path in job["artifacts"]["paths"]
    )


def test_pre_commit_hook(mini_repo):
    manifest = REPO / ".pre-commit-hooks.yaml"
    checked = run(f"pre-commit validate-manifest {manifest}", REPO, {})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (hook,) = yaml.safe_load(manifest.read_text("utf-8"))
    assert re.search(hook["files"], "communes/begles/datasets/jeu/donnees.csv")
    root = broken_repo(mini_repo)
    done = run(hook["entry"], root, {})
    assert done.returncode == 1 and "FR-SIRET" in done.stdout
