"""The app's own files (pathways, the medicines list, Learn articles) read and parsed for the
domain, the same way from an installed package and from a checkout: where they are is
app/package_files.py's to know; here they are read through `importlib.resources`, and the domain
gets text or parsed objects, never a path.

Texts in another language sit in a folder named after it beside the English ones
(data/learn/es/<id>.md, data/pathways/es/<region>.toml). The patient's language
(`app.i18n.language()`) is used unless a caller names one; English is used when a file has no
translation yet.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from app import i18n
from app.domain.learn import ARTICLE_IDS, ENGLISH, Article, check_article_id, parse_article
from app.package_files import data_file

if TYPE_CHECKING:
    from app.domain.medications import MedicineList


def wanted_language(language: str | None) -> str:
    """`language`, or the patient's when None."""
    return i18n.language() if language is None else language


def translated_file(
    folder: Traversable | Path, name: str, language: str
) -> tuple[Traversable | Path, str]:
    """The file `name` in `language` under `folder` and the language it is in: <folder>/<language>/
    <name> when it exists, else the English <folder>/<name>."""
    if language != ENGLISH:
        translated = folder / language / name
        if translated.is_file():
            return translated, language
    return folder / name, ENGLISH


def load_article(
    article_id: str, folder: Path | None = None, language: str | None = None
) -> Article:
    """Read and parse one Learn article in the patient's language (or `language`):
    data/learn/es/<article_id>.md for Spanish, data/learn/<article_id>.md for English and for a
    language the article is not translated into yet (under `folder` instead of data/learn when
    one is given).

    Read on every call (nine small files), so an edited or fixed file shows on the next visit.
    """
    name = f"{check_article_id(article_id)}.md"
    learn = data_file("learn") if folder is None else Path(folder)
    source, written_in = translated_file(learn, name, wanted_language(language))
    return parse_article(
        article_id, source.read_text(encoding="utf-8-sig"), str(source), written_in
    )


def all_articles(folder: Path | None = None, language: str | None = None) -> tuple[Article, ...]:
    """Every Learn article, in `ARTICLE_IDS` order."""
    return tuple(load_article(article_id, folder, language) for article_id in ARTICLE_IDS)


@lru_cache(maxsize=1)
def medicines() -> MedicineList:
    """The medicines the app recognises (data/medications.toml), read once: on the first page
    that needs it, not at start (Today has no use for it)."""
    from app.domain.medications import parse_medicines

    source = data_file("medications.toml")
    return parse_medicines(source.read_text(encoding="utf-8-sig"), str(source))
