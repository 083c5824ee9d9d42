"""The Android package cannot be built here (buildozer downloads the Android SDK and NDK), so
its spec is checked against pyproject.toml instead: it parses, and it asks for the same
version and the same dependencies, each pinned inside pyproject.toml's range."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
# python-for-android recipes that are not Python packages of pyproject.toml.
ANDROID_RECIPES = {"python3", "sqlite3", "android", "pillow"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _buildozer() -> configparser.SectionProxy:
    spec = configparser.ConfigParser()
    spec.read(ROOT / "buildozer.spec", encoding="utf-8")
    return spec["app"]


def _listed(value: str) -> list[str]:
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


def test_the_android_spec_has_the_projects_version():
    assert _buildozer()["version"] == _pyproject()["project"]["version"]


def test_every_dependency_is_pinned_inside_the_projects_range():
    pinned = {}
    for item in _listed(_buildozer()["requirements"]):
        if item in ANDROID_RECIPES:
            continue
        name, _, version = item.partition("==")
        assert version, f"{item} is not pinned to one version"
        pinned[canonicalize_name(name)] = version
    wanted = [Requirement(text) for text in _pyproject()["project"]["dependencies"]]
    assert set(pinned) == {canonicalize_name(requirement.name) for requirement in wanted}
    for requirement in wanted:
        version = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (requirement, version)


def test_the_android_app_can_notify_turn_and_keep_its_data_on_the_device():
    app = _buildozer()
    assert "POST_NOTIFICATIONS" in _listed(app["android.permissions"])
    assert "INTERNET" not in app["android.permissions"]
    orientations = _listed(app["orientation"])
    assert "portrait" in orientations and "landscape" in orientations
    assert app.getboolean("android.allow_backup") is False


def test_the_android_package_carries_the_apps_files():
    app = _buildozer()
    extensions = set(_listed(app["source.include_exts"]))
    shipped = {
        path.suffix.lstrip(".")
        for folder in ("app", "data", "assets")
        for path in (ROOT / folder).rglob("*.*")
        if "__pycache__" not in path.parts
    }
    assert shipped - {"pyc"} <= extensions
    for pattern in _listed(app["source.include_patterns"]):
        assert (ROOT / pattern.rstrip("/*")).is_dir(), pattern
