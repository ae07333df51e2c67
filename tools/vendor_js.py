"""Copy the JavaScript the built book serves itself out of node_modules.

The book must make no request to another host, so RequireJS, the ipywidgets
HTML manager and MathJax 3 come from npm (pinned in package-lock.json) and are
served from ``_static/vendor/``. Only what a page loads is copied, to keep the
site small.

Usage: python tools/vendor_js.py NODE_MODULES DEST
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# MathJax components loaded on demand by tex-chtml.js (extensions, the menu,
# accessibility); the other combined builds are not used.
MATHJAX_PARTS = ["tex-chtml.js", "input", "output", "ui", "a11y", "sre", "adaptors"]


def vendor(node_modules: Path, dest: Path) -> None:
    out = dest / "static" / "vendor"
    # The manager's stylesheet is injected inline, so its icon fonts are asked
    # for relative to the *page*: <page folder>/@jupyter-widgets/html-manager/
    # dist/. Every chapter lives in book/, so the fonts go there, through
    # Sphinx's html_extra_path (copied verbatim to the site root).
    fonts = dest / "extra" / "book" / "@jupyter-widgets" / "html-manager" / "dist"
    for folder in (out, dest / "extra"):
        if folder.exists():
            shutil.rmtree(folder)
    (out / "widgets").mkdir(parents=True)
    fonts.mkdir(parents=True)

    shutil.copy2(node_modules / "requirejs" / "require.js", out / "require.js")

    manager = node_modules / "@jupyter-widgets" / "html-manager" / "dist"
    shutil.copy2(manager / "embed-amd.js", out / "widgets" / "embed-amd.js")
    for font in manager.iterdir():
        if font.suffix in {".woff2", ".woff", ".ttf", ".eot", ".svg"}:
            shutil.copy2(font, fonts / font.name)

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
