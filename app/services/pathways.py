"""Which pathway applies: the clinic's own file when it is usable, else the built-in one.

The files are read here (the built-in ones through app/services/resources.py, the clinic's from
the path in its settings) and parsed by app/domain/pathway.py.

The built-in pathway comes in the patient's language: its English file with the texts of
data/pathways/<language>/<region>.toml put in (`translate_pathway`), or in English while that file
is missing. A clinic's own file is shown as the clinic wrote it, in whatever language that is.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from app.domain.learn import ENGLISH
from app.domain.pathway import (
    FILE_KEY,
    MAX_FILE_BYTES,
    REGION_LABELS,
    REGIONS,
    Pathway,
    PathwayError,
    parse_pathway_bytes,
    translate_pathway,
)
from app.package_files import data_file
from app.services.resources import translated_file, wanted_language
from app.store.settings_repository import SettingsRepository

log = logging.getLogger(__name__)


def load_pathway(path: str | Path) -> Pathway:
    """Read and check one pathway file. Every problem, unreadable or malformed files included, is
    a `PathwayError`."""
    source = str(path)
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PathwayError(source, FILE_KEY, f"cannot be read ({reason}).") from None
    return parse_pathway_bytes(raw, source)


def builtin_pathway(region: str, language: str | None = None) -> Pathway:
    """The pathway shipped with the app for `region` (lumbar or cervical), in the patient's
    language (or `language`)."""
    return _builtin_pathway(region, wanted_language(language))


@cache
def _builtin_pathway(region: str, language: str) -> Pathway:
    if region not in REGIONS:
        raise ValueError(f"No built-in pathway for region {region!r}; known: {', '.join(REGIONS)}")
    name = f"{region}.toml"
    source = data_file("pathways", name)
    pathway = parse_pathway_bytes(source.read_bytes(), str(source))
    if pathway.region != region:
        raise PathwayError(pathway.source, "region", f"must be “{region}” for this file.")
    texts, written_in = translated_file(data_file("pathways"), name, language)
    if written_in == ENGLISH:
        return pathway
    try:
        return translate_pathway(pathway, texts.read_text(encoding="utf-8"), str(texts), written_in)
    except PathwayError as error:
        # Only a faulty release gets here (tests check every translation): the patient keeps a
        # working plan in English rather than none.
        log.error("Translated pathway not used: %s", error)
        return pathway


def choose_pathway(
    region: str, clinic_file: Path | str | None, language: str | None = None
) -> tuple[Pathway, str | None]:
    """The clinic's pathway when it is usable, else the built-in one (in the patient's language,
    or `language`) and a message for staff."""
    builtin = builtin_pathway(region, language)
    if clinic_file is None or str(clinic_file).strip() == "":
        return builtin, None
    fallback = (
        f"The app is using its own {REGION_LABELS[region].lower()} pathway instead "
        "until the file is fixed."
    )
    try:
        pathway = load_pathway(clinic_file)
    except PathwayError as error:
        return builtin, f"The clinic's pathway file could not be used: {error} {fallback}"
    if pathway.region != region:
        return builtin, (
            f"The clinic's pathway file {clinic_file} is for the "
            f"{REGION_LABELS[pathway.region].lower()}, not the {REGION_LABELS[region].lower()}. "
            f"{fallback}"
        )
    return pathway, None


class PathwayService:
    def __init__(self, settings: SettingsRepository) -> None:
        self.settings = settings
        self._chosen: dict[tuple[str, str, str], tuple[Pathway, str | None]] = {}

    def for_region(self, region: str) -> Pathway:
        return self._choose(region)[0]

    def problem(self, region: str) -> str | None:
        """Why the clinic's file is not in use, for staff; None when all is well."""
        return self._choose(region)[1]

    def _choose(self, region: str) -> tuple[Pathway, str | None]:
        clinic_file = self.settings.clinic().pathway_file
        language = wanted_language(None)  # the patient may change it while the app runs
        key = (region, clinic_file, language)
        if key not in self._chosen:
            self._chosen[key] = choose_pathway(region, clinic_file or None, language)
        return self._chosen[key]
