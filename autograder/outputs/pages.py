"""The report and the problem page, rendered from jinja2 templates
(`templates/pages/`); the feedback page is nbconvert's (`feedback.py`)."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

PAGES = Path(__file__).resolve().parent / "templates" / "pages"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PAGES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["g"] = lambda value: f"{value:g}"
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
