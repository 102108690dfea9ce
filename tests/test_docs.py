"""Documentation that cannot drift: README commands, CI script, codes page, public API."""

from __future__ import annotations

import re

import publisher
from conftest import REPO
from publisher.codes import GENERATED_MARKER, catalogue_markdown


def readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", (REPO / "README.md").read_text("utf-8"), re.DOTALL)
    assert block, "le README doit s'ouvrir sur un bloc de commandes"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    run_command, test_command = readme_commands()
    assert run_command.endswith("publisher run")
    assert "pytest" in test_command
    assert test_command in (REPO / ".ci/run").read_text("utf-8")


def test_codes_page_is_up_to_date():
    generated = (REPO / "docs/checks.md").read_text("utf-8").split(GENERATED_MARKER)[1]
    assert GENERATED_MARKER + generated == catalogue_markdown(), "lancez python -m publisher.codes"


def test_public_api_is_listed_and_sorted():
    assert publisher.__all__ == sorted(publisher.__all__)
    exported = {name for name in dir(publisher) if not name.startswith("_")}
    modules = {
        "audit",
        "cache",
        "catalogue",
        "checks",
        "codes",
        "engine",
        "errors",
        "findings",
        "fix",
        "json_errors",
        "model",
        "read",
        "reports",
        "schemas",
        "validation",
        "vocabularies",
        "plan",
        "portal",
        "publishing",
        "privacy",
        "cli",
        "i18n",
        "web",
    }
    assert exported - modules == set(publisher.__all__) - {"__version__"}
