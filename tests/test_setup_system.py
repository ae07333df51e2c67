"""tools/ensure_system.py: what ``make test`` does when Chromium or bubblewrap
is missing.

Nothing is uninstalled: each test runs the script with a ``PATH`` of its own,
holding fake ``apt-get``, ``sudo`` and Python programs that record how they were
called, so the machine's real Chromium and bubblewrap stay out of sight.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = ROOT / "tools" / "ensure_system.py"
# "sudo -n <command>" that runs the command (the fake PATH has no "true").
PASSWORDLESS_SUDO = 'shift; [ "$1" = true ] && exit 0; exec "$@"'
CHMOD = shutil.which("chmod")  # the fake PATH has no chmod of its own


def load_script():
    spec = importlib.util.spec_from_file_location("ensure_system", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def fake_program(folder: Path, name: str, body: str = "exit 0") -> Path:
    """A shell script standing in for a program; it logs its arguments."""
    path = folder / name
    log = folder / "calls.log"
    path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{body}\n')
    path.chmod(0o755)
    return path


def calls(folder: Path) -> list[str]:
    log = folder / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A folder that is the whole ``PATH``: no program the script looks for."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def no_playwright_python(folder: Path) -> Path:
    """A Python whose Playwright can neither install nor find a browser."""
    return fake_program(folder, "python-without-playwright", "exit 1")


def run(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": str(folder), "HOME": str(folder), **env}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_installable_stops_at_once_with_one_line(bare):
    python = no_playwright_python(bare)
    done = run(bare, "--python", str(python))
    assert done.returncode == 1
    assert done.stdout == ""
    # What was tried ("installing ..."), then one line saying what to do.
    lines = done.stderr.strip().splitlines()
    verdict = [line for line in lines if not line.startswith("installing ")]
    assert len(verdict) == 1 and verdict == lines[-1:], done.stderr
    assert "Chromium" in verdict[0] and "playwright install chromium" in verdict[0]
    # Playwright was asked to install, and nothing else was tried.
    assert any("-m playwright install chromium" in call for call in calls(bare))


def test_debian_without_root_or_sudo_names_the_apt_packages(bare, monkeypatch):
    fake_program(bare, "apt-get")
    monkeypatch.setenv("PATH", str(bare))
    monkeypatch.delenv("CHROMIUM", raising=False)
    ensure_system = load_script()
    monkeypatch.setattr(ensure_system.os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit) as stopped:
        ensure_system.ensure(str(no_playwright_python(bare)))
    message = str(stopped.value)
    assert "\n" not in message
    assert "apt-get install chromium bubblewrap" in message
    # apt-get was never run: without root or sudo it cannot install anything.
    assert not [call for call in calls(bare) if call.startswith("apt-get")]
    # Playwright's Chromium was the last resort, and it failed too.
    assert any("-m playwright install chromium" in call for call in calls(bare))


def test_debian_as_root_installs_both_packages_with_apt(bare):
    # The fake apt-get "installs" by creating the two programs on PATH.
    fake_program(
        bare,
        "apt-get",
        f'[ "$1" = install ] && for p in chromium bwrap; do '
        f'printf "#!/bin/sh\\n" > "{bare}/$p"; {CHMOD} +x "{bare}/$p"; done; exit 0',
    )
    if os.geteuid() != 0:
        fake_program(bare, "sudo", PASSWORDLESS_SUDO)
    done = run(bare, "--python", str(no_playwright_python(bare)))
    assert done.returncode == 0, done.stderr
    installs = [call for call in calls(bare) if call.startswith("apt-get install")]
    assert len(installs) == 1
    assert installs[0].split()[-2:] == ["chromium", "bubblewrap"]
    assert "-y" in installs[0].split()
    assert f"Chromium: {bare / 'chromium'}" in done.stderr


def test_sudo_is_used_without_a_password_prompt(bare, monkeypatch):
    fake_program(bare, "sudo", PASSWORDLESS_SUDO)
    monkeypatch.setenv("PATH", str(bare))
    ensure_system = load_script()
    monkeypatch.setattr(ensure_system.os, "geteuid", lambda: 1000)
    assert ensure_system.as_root() == [str(bare / "sudo"), "-n"]
    # A sudo that wants a password fails "sudo -n true": no way to be root.
    fake_program(bare, "sudo", "exit 1")
    assert ensure_system.as_root() is None


def test_present_programs_install_nothing(bare):
    fake_program(bare, "apt-get")
    fake_program(bare, "bwrap")
    chromium = fake_program(bare, "my-chromium")
    done = run(bare, CHROMIUM=str(chromium))
    assert done.returncode == 0, done.stderr
    assert not [call for call in calls(bare) if call.startswith("apt-get")]
    assert run(bare, "--print-chromium", CHROMIUM=str(chromium)).stdout.strip() == (
        str(chromium)
    )


def test_missing_bubblewrap_alone_is_reported_not_fatal(bare):
    chromium = fake_program(bare, "chromium")
    done = run(bare, "--python", str(no_playwright_python(bare)))
    assert done.returncode == 0, done.stderr
    assert "bubblewrap is not installed" in done.stderr
    assert f"Chromium: {chromium}" in done.stderr


def test_elsewhere_playwright_provides_chromium(bare, tmp_path):
    browser = fake_program(tmp_path, "playwright-chrome")
    downloaded = tmp_path / "downloaded"
    # A Python whose "-m playwright install chromium" works, and whose API names
    # the browser once it has been downloaded.
    python = fake_program(
        bare,
        "python-with-playwright",
        f'[ "$1" = -m ] && : > "{downloaded}"\n'
        f'[ "$1" = -c ] && [ -e "{downloaded}" ] && echo "{browser}"\nexit 0',
    )
    done = run(bare, "--python", str(python))
    assert done.returncode == 0, done.stderr
    assert f"Chromium: {browser}" in done.stderr
    assert any("-m playwright install chromium" in call for call in calls(bare))
    assert run(bare, "--print-chromium", "--python", str(python)).stdout.strip() == (
        str(browser)
    )


def test_make_test_checks_the_system_before_it_builds_anything():
    # A dry run lists the commands in the order make would run them.
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.splitlines()
    first = {
        step: next(i for i, line in enumerate(plan) if step in line)
        for step in ("tools/ensure_system.py", "jupyter-book build", "pytest")
    }
    assert first["tools/ensure_system.py"] < first["jupyter-book build"]
    assert first["jupyter-book build"] < first["pytest"]
    assert "--print-chromium" in plan[first["pytest"] - 1] + plan[first["pytest"]]
