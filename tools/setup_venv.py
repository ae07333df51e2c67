"""Create the course's virtualenv, or check one that is already there.

``python3 tools/setup_venv.py .venv requirements.txt`` (what ``make setup``
runs):

* no virtualenv at that path: create it, mark it as made here, install the
  requirements;
* a virtualenv that already satisfies every requirement: change nothing;
* one made here that lacks something: ``pip install -r`` the requirements;
* one made by someone else that lacks something: change nothing, say what is
  missing and how to install it, exit 1. Whoever made it decides what goes in.

"Satisfied" means: each ``name==version`` line is installed at that version,
and each ``-e <folder>`` line is installed in editable mode from that folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

#: Written into a virtualenv this script created. ``.installed`` is the stamp
#: the Makefile has always written into the virtualenvs it made.
MARKERS = (".made-by-make", ".installed")

PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")
EDITABLE = re.compile(r"^-e\s+(\S+)$")


def requirement_lines(requirements: Path) -> list[str]:
    lines = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def is_met(line: str, base: Path) -> bool:
    """Whether this interpreter already has what one requirement line asks for.

    Lines of another form than ``name==version`` and ``-e <folder>`` count as
    not met, so pip, which understands them, decides.
    """
    if pinned := PINNED.match(line):
        name, version = pinned.groups()
        try:
            return metadata.version(name) == version
        except metadata.PackageNotFoundError:
            return False
    if editable := EDITABLE.match(line):
        return _installed_editable_from((base / editable.group(1)).resolve())
    return False


def _installed_editable_from(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    name = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]
    # Every copy on sys.path, not only the first: from the checkout itself the
    # build's own egg-info is found first, and it says nothing about installs.
    return any(
        _editable_origin(distribution) == folder
        for distribution in metadata.distributions(name=name)
    )


def _editable_origin(distribution: metadata.Distribution) -> Path | None:
    direct_url = distribution.read_text("direct_url.json")
    if not direct_url:
        return None
    origin = json.loads(direct_url)
    if not origin.get("dir_info", {}).get("editable"):
        return None
    return Path(unquote(urlparse(origin["url"]).path)).resolve()


def unmet(requirements: Path) -> list[str]:
    base = requirements.resolve().parent
    return [line for line in requirement_lines(requirements) if not is_met(line, base)]


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def unmet_in(venv: Path, requirements: Path) -> list[str]:
    """The unmet lines, as the virtualenv's own interpreter sees them."""
    result = subprocess.run(
        [str(venv_python(venv)), __file__, "--unmet", str(requirements)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def create(venv: Path) -> None:
    print(f"creating the virtualenv {venv}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (venv / MARKERS[0]).write_text("created by tools/setup_venv.py\n")
    pip_install(venv, ["--upgrade", "pip"])


def made_here(venv: Path) -> bool:
    return any((venv / marker).exists() for marker in MARKERS)


def pip_install(venv: Path, args: list[str]) -> None:
    command = [str(venv_python(venv)), "-m", "pip", "install", "--quiet", *args]
    subprocess.run(command, check=True)


def setup(venv: Path, requirements: Path) -> None:
    if not os.access(venv_python(venv), os.X_OK):
        create(venv)
    missing = unmet_in(venv, requirements)
    if not missing:
        print(f"{venv}: every requirement is already installed", file=sys.stderr)
        return
    if not made_here(venv):
        raise SystemExit(
            f"{venv} was not made by 'make setup', so it is left as it is; it "
            f"lacks {', '.join(missing)}: run {venv_python(venv)} -m pip install "
            f"-r {requirements}, or remove {venv} and let make create it"
        )
    pip_install(venv, ["-r", str(requirements)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venv", nargs="?", type=Path)
    parser.add_argument("requirements", nargs="?", type=Path)
    parser.add_argument(
        "--unmet",
        type=Path,
        metavar="REQUIREMENTS",
        help="print, as JSON, the lines this interpreter does not satisfy",
    )
    args = parser.parse_args(argv)
    if args.unmet:
        print(json.dumps(unmet(args.unmet)))
    elif args.venv and args.requirements:
        setup(args.venv, args.requirements)
    else:
        parser.error("give VENV REQUIREMENTS, or --unmet REQUIREMENTS")


if __name__ == "__main__":
    main()
