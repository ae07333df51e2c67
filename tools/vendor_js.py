"""Copy the JavaScript the built book serves itself out of node_modules.

The book must make no request to another host, so the ipywidgets HTML manager
and MathJax 3 come from npm (pinned in package-lock.json) and are served from
``_static/vendor/``. Only what a page loads is copied, to keep the site small.

Usage: python tools/vendor_js.py NODE_MODULES DEST
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# MathJax as components: startup.js loads the ones _config.yml lists (TeX input,
# HTML output, assistive MathML) and, on demand, TeX extensions and fonts from
# these folders. No combined build and no menu (ui/) is needed.
MATHJAX_PARTS = ["startup.js", "core.js", "input", "output", "a11y", "sre", "adaptors"]


def vendor(node_modules: Path, dest: Path) -> None:
    out = dest / "static" / "vendor"
    # extra/ held the widget fonts before they moved next to embed.js.
    for folder in (out, dest / "extra"):
        if folder.exists():
            shutil.rmtree(folder)
    widgets = out / "widgets"
    widgets.mkdir(parents=True)

    # embed.js: the standard widgets in one bundle that needs no RequireJS. It
    # finds its icon fonts next to itself, so they go in the same folder.
    manager = node_modules / "@jupyter-widgets" / "html-manager" / "dist"
    shutil.copy2(manager / "embed.js", widgets / "embed.js")
    for font in manager.iterdir():
        if font.suffix in {".woff2", ".woff", ".ttf", ".eot", ".svg"}:
            shutil.copy2(font, widgets / font.name)

    mathjax = node_modules / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        source = mathjax / part
        target = out / "mathjax" / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    node_modules, dest = map(Path, sys.argv[1:])
    if not (node_modules / "mathjax").is_dir():
        sys.exit(f"{node_modules}/mathjax is missing: run 'npm ci' first")
    vendor(node_modules, dest)
    print(f"vendored JavaScript into {dest}")
