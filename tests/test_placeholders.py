"""The launch menu's placeholder addresses are reported, and block publishing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from check_placeholders import PLACEHOLDERS, placeholders_left  # noqa: E402

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def config_with(**values: str) -> dict:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    for (section, key), _ in PLACEHOLDERS.items():
        if key in values:
            config[section][key] = values[key]
    return config


def test_each_placeholder_left_is_named():
    left = placeholders_left(
        config_with(
            url=PLACEHOLDERS["repository", "url"] + "/",
            jupyterhub_url=PLACEHOLDERS["launch_buttons", "jupyterhub_url"],
        )
    )
    assert len(left) == 2
    assert "repository: url" in left[0] and "your-org/l2-course" in left[0]
    assert "jupyterhub_url" in left[1] and "hub.example.org" in left[1]


def test_real_addresses_pass():
    config = config_with(
        url="https://github.com/a-university/l2-course",
        jupyterhub_url="https://hub.a-university.edu",
    )
    assert placeholders_left(config) == []


def test_strict_mode_fails_and_plain_mode_warns(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(
        yaml.safe_dump(
            config_with(
                url=PLACEHOLDERS["repository", "url"],
                jupyterhub_url=PLACEHOLDERS["launch_buttons", "jupyterhub_url"],
            )
        )
    )
    script = ROOT / "tools" / "check_placeholders.py"
    warn = subprocess.run(
        [sys.executable, script, "--config", config], capture_output=True, text=True
    )
    assert warn.returncode == 0 and warn.stderr.count("warning:") == 2
    strict = subprocess.run(
        [sys.executable, script, "--config", config, "--strict"],
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 1 and "refusing to publish" in strict.stderr


def test_the_workflow_checks_before_it_hands_the_site_to_pages():
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "") for step in steps]
    check = runs.index("make check-publishable")
    upload = next(i for i, name in enumerate(uses) if "upload-pages-artifact" in name)
    assert check < upload
    assert "pull_request" in steps[check]["if"], "pull requests only build"
