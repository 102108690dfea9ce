"""`python -m publisher.codes`: regenerate the list of codes at the end of docs/checks.md."""

from pathlib import Path

from publisher.codes import write_catalogue

if __name__ == "__main__":
    write_catalogue(Path("docs/checks.md"))
