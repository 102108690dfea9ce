"""`python -m publisher.i18n extract | compile | untranslated` (see `publisher.i18n.catalog`)."""

import sys

from publisher.i18n.catalog import compile_all, untranslated, update

if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "extract":
        update()
    elif action == "compile":
        compile_all()
    elif action == "untranslated":
        missing = untranslated()
        for text in missing:
            print(text.replace("\n", " "))
        print(f"{len(missing)} texte(s) sans traduction anglaise.", file=sys.stderr)
        sys.exit(1 if missing else 0)
    else:
        sys.exit("usage : python -m publisher.i18n extract | compile | untranslated")
