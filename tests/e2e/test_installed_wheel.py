"""The app as a clinic or a patient installs it: a wheel built from this tree, installed into a
virtual environment of its own, run from another folder with no checkout on sys.path.

No network: the wheel is built with the setuptools of the test's own environment
(--no-build-isolation) and installed with --no-deps; its dependencies (Kivy, click, fpdf2, ...)
are reached through a .pth file naming this environment's site-packages.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.clinic import validate_clinic
from app.domain.learn import ARTICLE_IDS
from app.services.pathways import builtin_pathway
from app.services.resources import all_articles
from app.store.database import open_database
from app.store.settings_repository import SettingsRepository

from .helpers import REPO_ROOT


def _can_build_wheels() -> bool:
    """setuptools builds wheels itself from 70.1; before that it needs the `wheel` package."""
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        from setuptools.command import bdist_wheel  # noqa: F401
    except ImportError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(
        not _can_build_wheels(),
        reason="building a wheel needs setuptools >= 70.1 or the `wheel` package "
        "(the test extra installs it: bash dev.sh test)",
    ),
    # In parallel runs (bash dev.sh test) these tests go to one worker, so the module's
    # fixtures build and install the wheel once.
    pytest.mark.xdist_group("installed_wheel"),
]

# What pyproject.toml maps into the package: the repository's folder -> its place in the wheel.
MAPPED = {"data": "app/_data", "assets": "app/_assets"}


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


class Installed:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.venv = root / "venv"
        bin_dir = self.venv / ("Scripts" if os.name == "nt" else "bin")
        self.python = str(bin_dir / ("python.exe" if os.name == "nt" else "python"))
        self.command = shutil.which("facet-companion", path=str(bin_dir))
        self.cwd = root / "elsewhere"  # not the repository, nothing of it inside
        self.cwd.mkdir(exist_ok=True)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "FACET_DATA_DIR", "PYTHONHOME")
        }
        self.env.update(
            PYTHONIOENCODING="utf-8",
            HOME=str(root / "home"),
            KIVY_HOME=str(root / "kivy"),
            TMPDIR=str(root / "tmp"),
        )
        for folder in ("tmp", "home/.config"):
            (root / folder).mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*args],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run(self.command, *args)
        assert result.returncode == 0, result.stderr
        return result

    def python_json(self, code: str):
        result = self.run(self.python, "-c", code)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the tree (a build writes build/ and *.egg-info beside the
    sources)."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    # No compiled catalog (facet.mo) in the copy: the wheel's build must compile its own.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "LC_MESSAGES")
    for folder in ("app", *MAPPED):
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "babel.cfg", "installers/catalog.py"):
        (source / name).parent.mkdir(exist_ok=True)
        shutil.copy2(REPO_ROOT / name, source / name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
            "--wheel-dir",
            str(root / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [built] = (root / "dist").glob("facet_companion-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    venv.create(root / "venv", with_pip=False)
    app = Installed(root)
    site = app.python_json(
        "import json, sysconfig; print(json.dumps(sysconfig.get_path('purelib')))"
    )
    # This environment's packages (not the repository: pytest puts that on sys.path itself).
    ours = [p for p in sys.path if Path(p).name == "site-packages" and Path(p).is_dir()]
    Path(site, "test-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    result = app.run(
        app.python,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        "--quiet",
        str(wheel),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    app.command = shutil.which("facet-companion", path=str(Path(app.python).parent))
    assert app.command, "the wheel installed no facet-companion command"
    return app


def test_the_wheel_holds_the_code_the_kv_files_the_data_and_the_fonts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {
        p.relative_to(REPO_ROOT).as_posix()
        for p in _files(REPO_ROOT / "app")
        if p.suffix in (".py", ".kv")
    }
    data = {
        f"{target}/{p.relative_to(REPO_ROOT / folder).as_posix()}"
        for folder, target in MAPPED.items()
        for p in _files(REPO_ROOT / folder)
    }
    assert code - names == set()  # every module and .kv file, so no package is left off the list
    assert data - names == set()
    assert {
        "app/_data/pathways/lumbar.toml",
        "app/_data/medications.toml",
        "app/_data/learn/when-to-call.md",
        "app/_assets/fonts/DejaVuSans.ttf",
        "app/_data/learn/es/when-to-call.md",
        "app/_data/pathways/es/lumbar.toml",
        "app/_data/locale/es/LC_MESSAGES/facet.mo",
    } <= names
    # Every article and pathway, in English and in Spanish.
    articles = {
        language: sorted(n for n in names if re.fullmatch(pattern, n))
        for language, pattern in (
            ("en", r"app/_data/learn/[a-z-]+\.md"),
            ("es", r"app/_data/learn/es/[a-z-]+\.md"),
        )
    }
    assert len(articles["en"]) == len(articles["es"]) == len(ARTICLE_IDS) == 9
    pathways = {
        language: sorted(n for n in names if re.fullmatch(pattern, n))
        for language, pattern in (
            ("en", r"app/_data/pathways/[a-z-]+\.toml"),
            ("es", r"app/_data/pathways/es/[a-z-]+\.toml"),
        )
    }
    assert len(pathways["en"]) == len(pathways["es"]) == 2
    dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    top_level = zipfile.ZipFile(wheel).read(f"{dist_info}/top_level.txt").decode().split()
    assert top_level == ["app"]
    assert not any(n.startswith(("tests/", "data/", "assets/")) for n in names)


def test_the_installed_app_is_not_the_checkout(installed):
    found = installed.python_json(
        "import app, json, sys; print(json.dumps([app.__file__, sys.path]))"
    )
    app_file, path = Path(found[0]), found[1]
    assert app_file.is_relative_to(installed.venv)
    assert REPO_ROOT.resolve() not in {Path(installed.cwd, p).resolve() for p in path}


def test_the_installed_command_names_itself_in_its_help(installed):
    assert installed.cli("--help").stdout.startswith("Usage: facet-companion [OPTIONS]")
    module_help = installed.run(installed.python, "-m", "app", "--help")
    assert module_help.stdout.startswith("Usage: facet-companion [OPTIONS]"), module_help.stderr


def test_plan_and_report_use_the_packaged_pathway_and_fonts(installed):
    data_dir = str(installed.root / "diary")
    at = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    procedure = installed.cli(
        "plan",
        "add-procedure",
        "--kind",
        "rfa",
        "--region",
        "lumbar",
        "--side",
        "left",
        "--at",
        at,
        "--zone",
        "Europe/London",
        "--data-dir",
        data_dir,
    )
    assert procedure.stdout.strip().isdigit()
    shown = json.loads(
        installed.cli("plan", "show", "--format", "json", "--data-dir", data_dir).stdout
    )
    expected = builtin_pathway("lumbar").steps_for("rfa")
    assert sorted(step["step"] for step in shown["steps"]) == sorted(s.id for s in expected)
    learn = {article for step in shown["steps"] for article in step["learn"]}
    assert learn and learn <= set(ARTICLE_IDS)

    out = installed.root / "report.pdf"
    written = installed.cli("report", "--format", "pdf", "--out", str(out), "--data-dir", data_dir)
    assert Path(written.stdout.strip()) == out
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf  # the bundled font, embedded

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Radiofrequency ablation" in text


def test_a_clinic_pathway_file_is_read_from_its_own_path(installed):
    """The clinic's file named in its settings, and `pathway check` on a file, read that file."""
    clinic_file = installed.root / "clinic pathway.toml"
    text = (REPO_ROOT / "data/pathways/lumbar.toml").read_text(encoding="utf-8")
    clinic_file.write_text(
        text.replace(
            'title = "Lower back (lumbar) facet joints"', 'title = "Our back pathway"', 1
        ).replace('title = "Blood thinners and your block"', 'title = "Our blood thinner talk"', 1),
        encoding="utf-8",
    )
    checked = installed.cli("pathway", "check", str(clinic_file))
    assert checked.stdout.startswith("ok: Our back pathway (")

    data_dir = installed.root / "clinic diary"
    db = open_database(data_dir)
    SettingsRepository(db).save_clinic(validate_clinic({"pathway_file": str(clinic_file)}))
    db.close()
    at = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    installed.cli(
        "plan",
        "add-procedure",
        "--kind",
        "test-block",
        "--region",
        "lumbar",
        "--side",
        "left",
        "--at",
        at,
        "--zone",
        "Europe/London",
        "--anaesthetic",
        "lidocaine",
        "--data-dir",
        str(data_dir),
    )
    shown = installed.cli("plan", "show", "--data-dir", str(data_dir))
    assert "Our blood thinner talk" in shown.stdout
    assert "Blood thinners and your block" not in shown.stdout
    assert shown.stderr == ""


def test_articles_medicines_and_fonts_come_from_the_installed_package(installed):
    found = installed.python_json(
        "import json\n"
        "from app.domain.medications import recognise\n"
        "from app.package_files import fonts_folder\n"
        "from app.services.resources import all_articles, medicines\n"
        "print(json.dumps({'titles': [a.title for a in all_articles()],\n"
        "                  'eliquis': recognise('Eliquis 5 mg', medicines()).generic,\n"
        "                  'fonts': str(fonts_folder())}))"
    )
    assert found["titles"] == [article.title for article in all_articles()]
    assert found["eliquis"] == "apixaban"
    assert Path(found["fonts"]).is_relative_to(installed.venv)
    assert (Path(found["fonts"]) / "DejaVuSans.ttf").is_file()


def test_the_installed_package_reads_its_spanish_articles_and_pathways(installed):
    found = installed.python_json(
        "import json\n"
        "from app.services.pathways import builtin_pathway\n"
        "from app.services.resources import all_articles\n"
        "articles = all_articles(language='es')\n"
        "pathways = [builtin_pathway(r, 'es') for r in ('lumbar', 'cervical')]\n"
        "print(json.dumps({'articles': [[a.language, a.title, a.id] for a in articles],\n"
        "                  'pathways': [[p.language, p.steps[0].title] for p in pathways]}))"
    )
    assert found["articles"] == [["es", a.title, a.id] for a in all_articles(language="es")]
    assert found["articles"][-1][1] == "Cuándo llamar"
    assert found["pathways"] == [
        ["es", builtin_pathway(r, "es").steps[0].title] for r in ("lumbar", "cervical")
    ]


def test_spanish_comes_from_the_installed_catalog(installed):
    found = installed.python_json(
        "import json\n"
        "from datetime import date\n"
        "from app.i18n import _, set_language\n"
        "from app.domain.dates import day_label\n"
        "set_language('es')\n"
        "print(json.dumps([_('Today'), day_label(date(2026, 12, 2), date(2026, 12, 1))]))"
    )
    assert found == ["Hoy", "Mañana, miércoles, 2 de diciembre"]


def test_the_reminder_agent_at_login_runs_the_installed_app(installed):
    data_dir = str(installed.root / "agent diary")
    command = installed.python_json(
        "import json\n"
        "from app.services.autostart import command\n"
        f"print(json.dumps(command({data_dir!r})))"
    )
    assert command[1:] == ["-m", "app", "reminders", "run", "--data-dir", data_dir]
    result = installed.run(*command, "--once")
    assert result.returncode == 0, result.stderr


DEMO_CHECK = """
import json, sys
from app.ui.launch import configure_kivy, launch
configure_kivy(800, 600)
from kivy.app import App
from kivy.clock import Clock

def check(_dt):
    app = App.get_running_app()
    seen = {"start": app.navigator.current.name}
    article = app.navigator.go("article", article_id="how-it-works")
    seen["article"] = article.ids.view.title
    print(json.dumps(seen))
    app.stop()

Clock.schedule_once(check, 1)
launch(data_dir=None, demo=True, size="800x600")
"""


@pytest.mark.skipif(
    sys.platform.startswith("linux") and not os.environ.get("DISPLAY"),
    reason="the window needs a display (bash dev.sh test starts Xvfb)",
)
def test_the_demo_opens_from_the_installed_package(installed):
    """`facet-companion --demo` in a window: its .kv files and a Learn article, all installed."""
    result = installed.run(installed.python, "-c", DEMO_CHECK, timeout=90)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"start": "today", "article": "How the treatment works"}
