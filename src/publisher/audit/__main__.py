"""`python -m publisher.audit`: rewrite the generated rules table at the end of docs/audit.md."""

from pathlib import Path

from publisher.audit.registry import GENERATED_MARKER, rules_markdown

if __name__ == "__main__":
    page = Path("docs/audit.md")
    head = page.read_text("utf-8").split(GENERATED_MARKER)[0]
    page.write_text(head + rules_markdown(), "utf-8")
