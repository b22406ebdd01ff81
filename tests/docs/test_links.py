"""Every relative link in README.md and docs/*.md reaches a file in the repository, and every #anchor a heading."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and ![alt](target), not inside code; a title after the target is allowed.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")


def _text(page: Path) -> str:
    """The page without fenced blocks and inline code, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of a page: lower case, punctuation dropped, spaces as '-'."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).replace("`", "").lower(), flags=re.UNICODE).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        found.add(slug if n == 0 else f"{slug}-{n}")
    return found


def local_links(page: Path) -> list[str]:
    """The page's link targets that point inside the repository (no scheme, no mail)."""
    targets = LINK.findall(_text(page))
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, flags=re.IGNORECASE)]


def broken(page: Path) -> list[str]:
    """Each local link of `page` whose file is missing, or whose anchor is no heading of its page."""
    bad = []
    for target in local_links(page):
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            bad.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            bad.append(f"{target}: no heading #{anchor} in {os.path.relpath(dest, page.parent)}")
        elif anchor and dest.suffix != ".md":
            bad.append(f"{target}: an anchor into a file that is not Markdown")
    return bad


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_resolves(page: Path) -> None:
    """GIVEN a page of the manual THEN each of its relative links names a file that exists, and each anchor a heading."""
    assert broken(page) == []


def test_the_manual_has_links_and_the_check_finds_a_broken_one(tmp_path: Path) -> None:
    """GIVEN the README THEN it links into docs/; GIVEN a page with a missing file and a missing anchor THEN both
    are reported, and a link to a real heading is not."""
    assert any(t.startswith("docs/") for t in local_links(ROOT / "README.md"))
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other\n\n## The `floor docs` command\n", encoding="utf-8")
    page.write_text(
        "# Page\n\n[a](missing.md) [b](other.md#nowhere) [c](other.md#the-floor-docs-command) [d](#page)\n"
        "`[not a link](nowhere.md)` [web](https://example.com/x)\n",
        encoding="utf-8",
    )
    assert broken(page) == ["missing.md: no such file", "other.md#nowhere: no heading #nowhere in other.md"]
