"""What the book should contain, read from its sources (not from the build)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Chapter:
    source: Path  # book/penalty.md
    html: str  # book/penalty.html, relative to the site root
    slider_figures: int  # how many slider_figure(...) calls the chapter makes
    has_math: bool


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for entry in toc.get("chapters", []):
        files.append(entry["file"])
    for part in toc.get("parts", []):
        files.extend(entry["file"] for entry in part.get("chapters", []))
    return files


def _count_slider_figures(text: str) -> int:
    return len(re.findall(r"^\s*(?:\w+\s*=\s*)?slider_figure\(", text, re.M))


def chapters() -> list[Chapter]:
    result = []
    for name in _toc_files():
        text = (ROOT / f"{name}.md").read_text()
        result.append(
            Chapter(
                ROOT / f"{name}.md",
                f"{name}.html",
                _count_slider_figures(text),
                "$" in text,
            )
        )
    return result
