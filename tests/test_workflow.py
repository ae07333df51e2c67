"""The GitHub Pages workflow cannot run here; check what it would run.

It may use only GitHub's documented standard actions, every command it runs
must be a make target that exists (and so runs here), and what it publishes
and pushes must match the Makefile and _config.yml.
"""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
ALLOWED_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/setup-node",
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_only_standard_actions_pinned_to_a_major_version():
    used = [step["uses"] for step in steps() if "uses" in step]
    assert used
    for action in used:
        name, _, version = action.partition("@")
        assert name in ALLOWED_ACTIONS, f"{action} is not a standard action"
        assert re.fullmatch(r"v\d+", version), f"{action}: pin a major version"


def test_commands_are_make_targets_that_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.M))
    commands = [step["run"] for step in steps() if "run" in step]
    called = [t for run in commands for t in re.findall(r"\bmake (\w[\w-]*)", run)]
    assert {"book", "site", "notebooks"} <= set(called)
    assert set(called) <= targets, f"missing make targets: {set(called) - targets}"
    for run in commands:
        first = run.strip().splitlines()[0]
        assert first.startswith(("make ", "git config")), f"not a make target: {run}"


def test_publishes_the_built_site_and_the_branch_launch_buttons_open():
    uploads = [
        s for s in steps() if s.get("uses", "").startswith("actions/upload-pages")
    ]
    assert [s["with"]["path"] for s in uploads] == ["_build/html"]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    branch = config["repository"]["branch"]
    pushes = [s["run"] for s in steps() if "git push" in s.get("run", "")]
    assert len(pushes) == 1 and f"origin {branch}" in pushes[0]
