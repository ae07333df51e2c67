"""tools/setup_venv.py: ``make setup`` installs only into a virtualenv it made,
and only what is missing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = ROOT / "tools" / "setup_venv.py"


def load_script():
    spec = importlib.util.spec_from_file_location("setup_venv", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


setup_venv = load_script()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_pinned_lines_are_met_only_at_the_installed_version():
    installed = metadata.version("pytest")
    assert setup_venv.is_met(f"pytest=={installed}", ROOT)
    assert not setup_venv.is_met("pytest==0.0.1", ROOT)
    assert not setup_venv.is_met("no-such-distribution==1.0", ROOT)
    # A form this script does not judge is left to pip.
    assert not setup_venv.is_met("pytest>=1", ROOT)


def test_editable_lines_are_met_only_by_an_editable_install_of_that_folder(tmp_path):
    # This repository's own virtualenv has both distributions editable from here.
    assert setup_venv.is_met("-e .", ROOT)
    assert setup_venv.is_met("-e ./autograder", ROOT)
    # The same project name in another folder is not this checkout.
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    write(elsewhere / "pyproject.toml", (ROOT / "pyproject.toml").read_text())
    assert not setup_venv.is_met("-e ./copy", tmp_path)


def test_the_repository_requirements_are_met_in_its_own_virtualenv():
    # What lets "make setup" and "make release" skip pip on a ready virtualenv.
    assert setup_venv.unmet(ROOT / "requirements.txt") == []


def test_comments_and_blank_lines_are_not_requirements(tmp_path):
    requirements = write(
        tmp_path / "requirements.txt",
        "# a comment\n\npytest==0.0.1  # too old\n-e .\n",
    )
    assert setup_venv.requirement_lines(requirements) == ["pytest==0.0.1", "-e ."]


@pytest.fixture
def pip_calls(monkeypatch) -> list[list[str]]:
    calls: list[list[str]] = []
    record = lambda venv, args: calls.append(args)  # noqa: E731
    monkeypatch.setattr(setup_venv, "pip_install", record)
    return calls


def bare_venv(folder: Path) -> Path:
    """A virtualenv made by someone else: no pip, no packages, no marker."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True
    )
    return folder


def test_a_foreign_virtualenv_is_checked_never_changed(tmp_path, pip_calls):
    venv = bare_venv(tmp_path / "theirs")
    requirements = write(tmp_path / "requirements.txt", "no-such-distribution==1.0\n")
    with pytest.raises(SystemExit) as stopped:
        setup_venv.setup(venv, requirements)
    message = str(stopped.value)
    assert "not made by 'make setup'" in message
    assert "no-such-distribution==1.0" in message and "pip install -r" in message
    assert pip_calls == []


def test_a_satisfied_virtualenv_is_left_alone(tmp_path, pip_calls):
    venv = bare_venv(tmp_path / "ready")
    (venv / setup_venv.MARKERS[0]).write_text("")
    requirements = write(tmp_path / "requirements.txt", "# nothing needed\n")
    setup_venv.setup(venv, requirements)
    assert pip_calls == []


def test_a_virtualenv_made_here_gets_what_it_lacks(tmp_path, pip_calls):
    venv = bare_venv(tmp_path / "ours")
    (venv / setup_venv.MARKERS[0]).write_text("")
    requirements = write(tmp_path / "requirements.txt", "no-such-distribution==1.0\n")
    setup_venv.setup(venv, requirements)
    assert pip_calls == [["-r", str(requirements)]]


def test_make_setup_refuses_to_change_a_virtualenv_it_did_not_make(tmp_path):
    venv = bare_venv(tmp_path / "by-hand")
    before = sorted(p.relative_to(venv) for p in venv.rglob("*"))
    done = subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", f"{venv}/.installed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "was not made by 'make setup'" in done.stderr
    assert sorted(p.relative_to(venv) for p in venv.rglob("*")) == before
