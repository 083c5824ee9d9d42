"""The app's own files (pathways, the medicines list, Learn articles, the translations, the report
fonts), read the same way from an installed package and from a checkout.

In the repository they stay at the top, in data/ and assets/; pyproject.toml maps them into the
package as app/_data and app/_assets, so an installed app (`pip install .`, pipx) needs no
checkout. Here is the only place that knows where they are: everything is read through
`importlib.resources`, and the domain gets text or parsed objects, never a path.

Texts in another language sit in a folder named after it beside the English ones
(data/learn/es/<id>.md, data/pathways/es/<region>.toml). The patient's language
(`app.i18n.language()`) is used unless a caller names one; English is used when a file has no
translation yet.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from app import i18n
from app.domain.learn import ARTICLE_IDS, ENGLISH, Article, check_article_id, parse_article
from app.domain.medications import MedicineList, parse_medicines


def installed() -> bool:
    """True when the app runs from an installed package (a wheel: pip, pipx), which holds its own
    files; False in a checkout (`python main.py`, or `pip install -e .`) and in a desktop build,
    where facet-companion.spec puts data/ and assets/ beside app/ as in the checkout."""
    return (files("app") / "_data").is_dir()


def _folder(name: str) -> Traversable:
    """data/ or assets/: inside the installed package, else beside app/ (a checkout, a build)."""
    package = files("app")
    return package / f"_{name}" if installed() else Path(str(package)).parent / name


def data_file(*parts: str) -> Traversable:
    """A file under data/, e.g. `data_file("pathways", "lumbar.toml")`."""
    return _folder("data").joinpath(*parts)


def locale_folder() -> Path:
    """data/locale, as a folder on disk: gettext reads <code>/LC_MESSAGES/facet.mo by file name.
    A wheel is installed as files, so this is a real folder there too."""
    return Path(str(_folder("data") / "locale"))


def fonts_folder() -> Path:
    """assets/fonts, as a folder on disk: fpdf2 reads fonts by file name. A wheel is installed as
    files, so this is a real folder there too."""
    return Path(str(_folder("assets") / "fonts"))


def wanted_language(language: str | None) -> str:
    """`language`, or the patient's when None."""
    return i18n.language() if language is None else language


def translated_file(folder: Traversable | Path, name: str,
                    language: str) -> tuple[Traversable | Path, str]:
    """The file `name` in `language` under `folder` and the language it is in: <folder>/<language>/
    <name> when it exists, else the English <folder>/<name>."""
    if language != ENGLISH:
        translated = folder / language / name
        if translated.is_file():
            return translated, language
    return folder / name, ENGLISH


def load_article(article_id: str, folder: Path | None = None,
                 language: str | None = None) -> Article:
    """Read and parse one Learn article in the patient's language (or `language`):
    data/learn/es/<article_id>.md for Spanish, data/learn/<article_id>.md for English and for a
    language the article is not translated into yet (under `folder` instead of data/learn when
    one is given).

    Read on every call (nine small files), so an edited or fixed file shows on the next visit.
    """
    name = f"{check_article_id(article_id)}.md"
    learn = data_file("learn") if folder is None else Path(folder)
    source, written_in = translated_file(learn, name, wanted_language(language))
    return parse_article(article_id, source.read_text(encoding="utf-8-sig"), str(source),
                         written_in)


def all_articles(folder: Path | None = None, language: str | None = None) -> tuple[Article, ...]:
    """Every Learn article, in `ARTICLE_IDS` order."""
    return tuple(load_article(article_id, folder, language) for article_id in ARTICLE_IDS)


@lru_cache(maxsize=1)
def medicines() -> MedicineList:
    """The medicines the app recognises (data/medications.toml), read once."""
    source = data_file("medications.toml")
    return parse_medicines(source.read_text(encoding="utf-8-sig"), str(source))
