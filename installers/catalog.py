"""The translations' build: every language's .po files merged into one compiled catalog.

Each part of the app keeps its own Spanish file (data/locale/es/plan.po, care.po, ...), so that
eight people can translate at once without editing the same file. The app reads one catalog per
language, data/locale/<language>/LC_MESSAGES/facet.mo, which is built, never committed:

    python installers/catalog.py compile    # every data/locale/<language>/*.po -> facet.mo
    python installers/catalog.py extract    # every marked string of app/ -> build/facet.pot

`bash dev.sh` compiles whenever a .po file is newer than its catalog; the wheel's build (the
`BuildPy` command named in pyproject.toml) and the desktop build (facet-companion.spec) compile
before they collect the files. What is extracted is set in babel.cfg (the same file
`pybabel extract -F babel.cfg` reads): Python and KV files of app/, not the command line
(app/cli: a tool for clinic IT, in English). Babel's Python extractor reads .kv files as they are:
a KV rule's value is a Python expression, and the rest tokenizes as Python does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "data" / "locale"
DOMAIN = "facet"
# Babel's default keywords (_, gettext, ngettext, N_, ...) are the ones app/i18n.py defines.
MAPPING = ROOT / "babel.cfg"


class CatalogConflict(ValueError):
    """Two parts translate the same English words differently."""


def language_folders(locale: Path = LOCALE) -> list[Path]:
    return sorted(
        folder for folder in locale.iterdir() if folder.is_dir() and any(folder.glob("*.po"))
    )


def compiled_path(language_folder: Path) -> Path:
    return language_folder / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=path.parent.name, domain=DOMAIN)


def merged_catalog(language_folder: Path) -> tuple[Catalog, dict[object, Path]]:
    """One catalog of every .po file in `language_folder`, and which file each msgid came from.

    A msgid in two files must have the same translation in both (CatalogConflict otherwise).
    Untranslated and fuzzy entries are left out, so the English shows for them."""
    merged = Catalog(locale=language_folder.name, domain=DOMAIN, fuzzy=False)
    origin: dict[object, Path] = {}
    plural_forms: dict[str, Path] = {}
    for path in sorted(language_folder.glob("*.po")):
        part = read_catalog(path)
        # The files' own Plural-Forms, not Babel's CLDR rule for the locale (for Spanish, CLDR
        # has a third form for millions, which the translators do not write).
        plural_forms.setdefault(part.plural_forms, path)
        if len(plural_forms) > 1:
            raise CatalogConflict(
                f"{path.name} and {plural_forms[merged.plural_forms].name} "
                f"have different Plural-Forms headers"
            )
        merged.mime_headers = [
            (name, value) for name, value in part.mime_headers if name == "Plural-Forms"
        ]
        for message in part:
            if not message.id or message.fuzzy or not _translated(message):
                continue
            earlier = merged.get(message.id, message.context)
            if earlier is not None and earlier.string != message.string:
                raise CatalogConflict(
                    f"{_english(message)!r} is translated differently in "
                    f"{origin[message.id].name} ({earlier.string!r}) and {path.name} "
                    f"({message.string!r})"
                )
            if earlier is None:
                merged[message.id] = Message(message.id, message.string, context=message.context)
                origin[message.id] = path
    return merged, origin


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings)


def _english(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def compile_all(locale: Path = LOCALE) -> list[Path]:
    """Writes each language's facet.mo; returns their paths."""
    written = []
    for folder in language_folders(locale):
        catalog, _origin = merged_catalog(folder)
        target = compiled_path(folder)
        target.parent.mkdir(exist_ok=True)
        with target.open("wb") as out:
            write_mo(out, catalog)
        written.append(target)
    return written


def extracted_messages(root: Path = ROOT) -> list[tuple[str, int, object]]:
    """Every marked string of app/ (babel.cfg): (file relative to `root`, line, msgid), where a
    counted one's msgid is the (singular, plural) pair."""
    with MAPPING.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return [
        (path, line, message)
        for path, line, message, _comments, _context in extract_from_dir(
            str(root), method_map, options_map
        )
    ]


def extract(root: Path = ROOT, output: Path = ROOT / "build" / f"{DOMAIN}.pot") -> Path:
    """The template a new language starts from (copy it to data/locale/<code>/<part>.po)."""
    template = Catalog(project="Facet Companion", domain=DOMAIN)
    output.parent.mkdir(exist_ok=True)
    for path, line, message in extracted_messages(root):
        template.add(message, locations=[(path, line)])
    with output.open("wb") as out:
        write_po(out, template, width=100)
    return output


class BuildPy(build_py):
    """setuptools' build_py that compiles the catalogs first, so the wheel holds facet.mo."""

    def run(self) -> None:
        compile_all()
        super().run()


def main(argv: list[str]) -> int:
    if argv == ["compile"]:
        for path in compile_all():
            print(f"compiled {path.relative_to(ROOT)}")
        return 0
    if argv == ["extract"]:
        print(f"extracted {extract().relative_to(ROOT)}")
        return 0
    print("usage: python installers/catalog.py compile|extract", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
