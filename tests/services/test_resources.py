"""The resource loader: the app's own files, from the package when installed, else the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import package_files
from app.domain.learn import ARTICLE_IDS, ArticleFormatError
from app.domain.medications import recognise
from app.package_files import data_file, fonts_folder
from app.services.resources import all_articles, load_article, medicines

CHECKOUT = Path(__file__).parents[2]


def test_a_checkout_reads_the_top_level_folders_whatever_the_working_directory(
    monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    assert Path(str(data_file("pathways", "lumbar.toml"))) == CHECKOUT / "data/pathways/lumbar.toml"
    assert fonts_folder() == CHECKOUT / "assets" / "fonts"
    assert (fonts_folder() / "DejaVuSans.ttf").is_file()
    assert load_article("how-it-works").title == "How the treatment works"
    assert [article.id for article in all_articles()] == list(ARTICLE_IDS)


def test_an_installed_package_reads_its_own_copy(monkeypatch, tmp_path):
    """A wheel holds data/ as app/_data and assets/ as app/_assets: those win when present."""
    package = tmp_path / "site-packages" / "app"
    (package / "_data" / "learn").mkdir(parents=True)
    (package / "_data" / "learn" / "recovery.md").write_text("# Packaged\n\nText\n")
    (package / "_assets" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(package_files, "files", lambda name: package)
    assert load_article("recovery").title == "Packaged"
    assert fonts_folder() == package / "_assets" / "fonts"


def test_the_medicines_list_is_read_once_and_recognises_a_brand():
    assert medicines() is medicines()
    assert recognise("Eliquis 5 mg", medicines()).generic == "apixaban"


def test_a_broken_file_on_disk_is_reported_with_its_path(tmp_path):
    (tmp_path / "how-it-works.md").write_text("# Fine\n\nText\n\n[bad](link)\n", encoding="utf-8")
    with pytest.raises(ArticleFormatError, match=r"how-it-works\.md, line 5: links"):
        load_article("how-it-works", tmp_path)


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "recovery.md"
    path.write_text("# One\n\nText\n", encoding="utf-8")
    assert load_article("recovery", tmp_path).title == "One"
    path.write_text("\ufeff# Two, longer\n\nText\n", encoding="utf-8")  # a BOM is fine too
    assert load_article("recovery", tmp_path).title == "Two, longer"


@pytest.mark.parametrize("bad_id", ["../secrets", "How-It-Works", "", "a/b"])
def test_ids_are_plain_names(bad_id):
    with pytest.raises(ValueError, match="not an article id"):
        load_article(bad_id)


def test_a_missing_article_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_article("evidence", tmp_path)
