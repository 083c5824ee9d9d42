"""Which pathway applies: the clinic's own file when it is usable, else the built-in one."""

from __future__ import annotations

from app.domain.pathway import Pathway, choose_pathway
from app.store.settings_repository import SettingsRepository


class PathwayService:
    def __init__(self, settings: SettingsRepository) -> None:
        self.settings = settings
        self._chosen: dict[tuple[str, str], tuple[Pathway, str | None]] = {}

    def for_region(self, region: str) -> Pathway:
        return self._choose(region)[0]

    def problem(self, region: str) -> str | None:
        """Why the clinic's file is not in use, for staff; None when all is well."""
        return self._choose(region)[1]

    def _choose(self, region: str) -> tuple[Pathway, str | None]:
        clinic_file = self.settings.clinic().pathway_file
        key = (region, clinic_file)
        if key not in self._chosen:
            self._chosen[key] = choose_pathway(region, clinic_file or None)
        return self._chosen[key]
