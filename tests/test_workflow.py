"""The GitHub Pages workflow and .ci/run cannot run here; check what they run.

The workflow may use only GitHub's documented standard actions, every command
it runs must be a make target that exists (and so runs here), it keeps the
execution cache between runs and tests before it publishes, and what it
publishes and pushes must match the Makefile and _config.yml. .ci/run runs the
README's test command and nothing else.
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
    "actions/cache",
}


def jobs() -> dict[str, dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def steps() -> list[dict]:
    return [step for job in jobs().values() for step in job["steps"]]


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
    assert {"book", "site", "notebooks", "test-fast"} <= set(called)
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


def test_the_execution_cache_is_kept_between_runs_and_restored_before_the_build():
    build = jobs()["build"]["steps"]
    caches = [s for s in build if s.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 1
    cache = caches[0]["with"]
    # The path the book's _config.yml executes into, and the Makefile's record
    # of which l2course made it (without it the Makefile drops the cache).
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    paths = cache["path"].split()
    assert config["execute"]["cache"] in paths
    assert "_build/.l2course-stamp" in paths
    for keyed_on in ("book/**/*.md", "l2course/**/*.py"):
        assert keyed_on in cache["key"], f"cache key ignores {keyed_on}"
    # A fallback may differ in chapters only: never in l2course.
    for fallback in cache.get("restore-keys", "").splitlines():
        assert "l2course/**/*.py" in fallback and "book/**" not in fallback
    position = build.index(caches[0])
    assert position < index_of_run(build, "make book")


def index_of_run(steps_: list[dict], command: str) -> int:
    return next(i for i, s in enumerate(steps_) if command in s.get("run", ""))


def test_fast_tests_run_before_anything_is_published():
    build = jobs()["build"]["steps"]
    upload = next(
        i
        for i, s in enumerate(build)
        if s.get("uses", "").startswith("actions/upload-pages")
    )
    assert index_of_run(build, "make test-fast") < upload
    # Deploying and the notebooks branch wait for the build job.
    assert all(job.get("needs") == "build" for job in list(jobs().values())[1:])


def test_ci_runs_the_readme_test_command_and_nothing_else():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    test_command = next(
        line.split("#")[0].strip()
        for line in first_block.splitlines()
        if line.startswith("make test")
    )
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [
        line.strip() for line in script if line.strip() and not line.startswith("#")
    ]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', test_command]
