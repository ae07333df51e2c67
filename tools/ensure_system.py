"""Make sure the system programs that ``make test`` needs are here.

Two programs come from the operating system, not from pip or npm:

* Chromium, which the browser tests drive (``CHROMIUM`` or ``chromium`` on
  ``PATH``, as ``tests/conftest.py`` looks for it);
* bubblewrap (``bwrap`` on ``PATH``), the sandbox the autograder prefers for
  graded kernels. Without it the grader falls back to Landlock, so its absence
  is reported but does not stop the tests.

What is missing is installed the first way that works:

1. Debian or Ubuntu (``apt-get`` on ``PATH``): Debian's ``chromium`` and
   ``bubblewrap``, as root or through ``sudo -n`` (never a password prompt);
2. Chromium only, when apt could not provide it (not Debian, or neither root
   nor sudo): Playwright's own build (``playwright install chromium``), with
   the Playwright of the Python given by ``--python``.

When Chromium cannot be had, this prints one line saying what to install and
exits with status 1, before anything slow has run.

``python tools/ensure_system.py`` installs; ``--print-chromium`` installs
nothing and prints the Chromium the tests should use (what the Makefile hands
to pytest as ``CHROMIUM``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

# Asked of Playwright's Python API: the path of the Chromium it installed.
PLAYWRIGHT_CHROMIUM_PATH = (
    "from playwright.sync_api import sync_playwright\n"
    "with sync_playwright() as p:\n"
    "    print(p.chromium.executable_path)\n"
)


@dataclass(frozen=True)
class Program:
    """A program the tests need, and where each source has it."""

    name: str
    commands: tuple[str, ...]
    apt_package: str
    required: bool
    env_var: str | None = None


CHROMIUM = Program(
    "Chromium", ("chromium", "chromium-browser"), "chromium", True, "CHROMIUM"
)
BUBBLEWRAP = Program("bubblewrap", ("bwrap",), "bubblewrap", False)
PROGRAMS = (CHROMIUM, BUBBLEWRAP)


def find(program: Program) -> str | None:
    """The program's path: its environment variable first, then ``PATH``."""
    if program.env_var and os.environ.get(program.env_var):
        path = os.environ[program.env_var]
        return path if os.access(path, os.X_OK) else None
    for command in program.commands:
        path = shutil.which(command)
        if path:
            return path
    return None


def as_root() -> list[str] | None:
    """The prefix that runs a command as root without asking: none needed,
    ``sudo -n``, or ``None`` when neither works."""
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and _succeeds([sudo, "-n", "true"]):
        return [sudo, "-n"]
    return None


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages non-interactively; False when that cannot be done."""
    apt_get = shutil.which("apt-get")
    prefix = as_root()
    if apt_get is None or prefix is None:
        return False
    print(f"installing Debian's {' '.join(packages)} with apt-get", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # A fresh image has empty package lists: install fails until they are read.
    _succeeds([*prefix, apt_get, "update", "-qq"], env=env)
    install = [*prefix, apt_get, "install", "-y", "-qq", "--no-install-recommends"]
    return _succeeds([*install, *packages], env=env, quiet=False)


def playwright_chromium(python: str, install: bool) -> str | None:
    """Playwright's own Chromium, downloaded first when ``install``."""
    if install:
        print("installing Playwright's Chromium", file=sys.stderr)
        if not _succeeds([python, "-m", "playwright", "install", "chromium"]):
            return None
    try:
        result = subprocess.run(
            [python, "-c", PLAYWRIGHT_CHROMIUM_PATH],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = result.stdout.strip()
    return path if result.returncode == 0 and os.access(path, os.X_OK) else None


def ensure(python: str) -> str:
    """Install what is missing; return the Chromium to use.

    Raises ``SystemExit`` with one line saying what to install when there is
    no way to get Chromium.
    """
    missing = [program for program in PROGRAMS if find(program) is None]
    if missing:
        apt_install([program.apt_package for program in missing])
    # Playwright's build comes last: on Debian and Ubuntu, apt's is the one
    # whose libraries are sure to be there.
    chromium = (
        find(CHROMIUM)
        or playwright_chromium(python, install=False)
        or playwright_chromium(python, install=True)
    )
    if chromium is None:
        raise SystemExit(what_to_install([p for p in PROGRAMS if find(p) is None]))
    if find(BUBBLEWRAP) is None:
        print(
            "bubblewrap is not installed: graded kernels are sandboxed with "
            "Landlock instead (install Debian's 'bubblewrap' for the sandbox "
            "the grader prefers)",
            file=sys.stderr,
        )
    return chromium


def what_to_install(missing: list[Program]) -> str:
    """One line a person can act on, for a machine where nothing worked."""
    packages = " ".join(program.apt_package for program in missing)
    playwright = "run: .venv/bin/playwright install chromium"
    if shutil.which("apt-get"):
        how = f"as root, run: apt-get install {packages}; or {playwright}"
    else:
        how = f"install Chromium, or {playwright}"
    return (
        f"make test needs Chromium, which is not installed and could not be "
        f"installed: {how} (or set CHROMIUM=/path/to/chromium)"
    )


def _succeeds(argv: list[str], env: dict | None = None, quiet: bool = True) -> bool:
    output = subprocess.DEVNULL if quiet else None
    try:
        completed = subprocess.run(argv, env=env, stdout=output, stderr=output)
    except OSError:
        return False
    return completed.returncode == 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--print-chromium",
        action="store_true",
        help="install nothing; print the Chromium the tests should use",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the Python whose Playwright may provide Chromium (default: this one)",
    )
    args = parser.parse_args(argv)
    if args.print_chromium:
        chromium = find(CHROMIUM) or playwright_chromium(args.python, install=False)
        print(chromium or "")
        return
    chromium = ensure(args.python)
    print(f"Chromium: {chromium}", file=sys.stderr)
    if find(BUBBLEWRAP):
        print(f"bubblewrap: {find(BUBBLEWRAP)}", file=sys.stderr)


if __name__ == "__main__":
    main()
