"""The user guide (docs/guide/): every page an index lists exists, every image and page a page
points to exists, English and French have the same pages, and README links both indexes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide"
LANGUAGES = ("en", "fr")
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")  # [text](target) and ![alt](image)


def links(page: Path) -> list[tuple[bool, str]]:
    """(is an image, target without its #anchor) for every local link of a Markdown page."""
    found = []
    for bang, target in LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        found.append((bang == "!", target.split("#")[0]))
    return found


def pages(language: str) -> set[str]:
    return {page.name for page in (GUIDE / language).glob("*.md")}


def listed(language: str) -> set[str]:
    """The guide pages the index links to (beside it, not the other language's)."""
    index = GUIDE / language / "index.md"
    return {target for image, target in links(index) if not image and "/" not in target}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_the_index_lists_exists_and_every_page_is_listed(language: str) -> None:
    assert (GUIDE / language / "index.md").is_file()
    names = listed(language)
    assert len(names) >= 11  # one page per task (issue 12)
    missing = sorted(name for name in names if not (GUIDE / language / name).is_file())
    assert missing == [], f"{language}/index.md lists pages that do not exist: {missing}"
    unlisted = sorted(pages(language) - names - {"index.md"})
    assert unlisted == [], f"pages not in {language}/index.md: {unlisted}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_image_and_link_a_page_points_to_exists(language: str) -> None:
    broken = []
    images = 0
    for page in sorted((GUIDE / language).glob("*.md")):
        for image, target in links(page):
            if not target:
                continue
            images += image
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.name}: {target}")
            if image:  # each language shows its own screenshots
                assert f"img/{language}/" in target, f"{page.name}: {target}"
    assert broken == [], broken
    assert images >= 20


def test_english_and_french_have_the_same_pages() -> None:
    assert pages("en") == pages("fr")
    assert listed("en") == listed("fr")


def test_each_page_shows_the_same_screenshots_in_both_languages() -> None:
    def shown(language: str) -> dict[str, list[str]]:
        return {
            page.name: [Path(target).name for image, target in links(page) if image]
            for page in (GUIDE / language).glob("*.md")
        }

    assert shown("en") == shown("fr")


def test_french_is_marked_as_a_draft_for_a_native_reviewer() -> None:
    head = (GUIDE / "fr" / "index.md").read_text(encoding="utf-8")[:1500].lower()
    assert "ébauche" in head and "révis" in head


def test_readme_links_both_indexes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/guide/en/index.md" in readme
    assert "docs/guide/fr/index.md" in readme
