"""Where the app's own files are (data/: pathways, medicines, Learn articles, translations;
assets/: fonts), the same way in an installed package and in a checkout.

In the repository they stay at the top, in data/ and assets/; pyproject.toml maps them into the
package as app/_data and app/_assets, so an installed app (`pip install .`, pipx) needs no
checkout. This is the only module that knows where they are. It sits under every layer (it imports
nothing of the app), so the translations (app.i18n) find their catalogs here without reaching up
into app.services; app/services/resources.py reads and parses the files for the domain.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


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
