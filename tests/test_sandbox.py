"""The kernel sandbox: a process started through `wrap_kernel_command` cannot
reach the course, the network or the instructor's secrets, and hits its limits.

Each isolation method this machine offers is tested (bwrap, Landlock with and
without unshare); "none" is run as the control that shows the probes can fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder.isolation import sandbox
from autograder.isolation.sandbox import Limits

SMALL = Limits(
    memory_bytes=768 * 1024**2,
    cpu_seconds=30,
    processes=24,
    file_bytes=4 * 1024**2,
    scratch_bytes=32 * 1024**2,
)

PROBE = textwrap.dedent(
    """
    import json, os, socket, sys
    result = {}
    def attempt(name, action):
        try:
            result[name] = ["ok", repr(action())[:200]]
        except BaseException as error:
            result[name] = ["denied", f"{type(error).__name__}: {error}"]
    gradebook, secret_file, port, memory, big = sys.argv[1:6]
    attempt("read_own", lambda: open("mine.txt").read())
    attempt("read_gradebook", lambda: open(gradebook).read())
    attempt("write_gradebook", lambda: open(gradebook, "a").write("x"))
    attempt("read_home", lambda: open(secret_file).read())
    attempt("connect", lambda: socket.create_connection(
        ("127.0.0.1", int(port)), timeout=3).close())
    attempt("memory", lambda: len(bytearray(int(memory))))
    attempt("big_file", lambda: open("big.bin", "wb").write(b"x" * int(big)))
    attempt("delete_own", lambda: os.remove("mine.txt"))
    attempt("write_own", lambda: open("new.txt", "w").write("made in the sandbox"))
    result["env"] = dict(os.environ)
    print("RESULT " + json.dumps(result), flush=True)
    """
)

FORK = textwrap.dedent(
    """
    import json, os, time
    forked, error = 0, None
    try:
        for _ in range(400):
            if os.fork() == 0:
                time.sleep(3)
                os._exit(0)
            forked += 1
    except OSError as exc:
        error = str(exc)
    print("RESULT " + json.dumps({"forked": forked, "error": error}), flush=True)
    """
)


def _methods() -> list[str]:
    available = []
    for method in ("bwrap", "landlock+unshare", "landlock"):
        try:
            sandbox.detect(method)
        except sandbox.SandboxUnavailable:
            continue
        available.append(method)
    return available


AVAILABLE = _methods()
# bwrap as an ordinary user: a user namespace instead of dropping root. Here
# (root) it is simulated by telling the module it is not root.
VARIANTS = AVAILABLE + (["bwrap-as-user"] if "bwrap" in AVAILABLE else [])


def _run(method: str, script: str, args: list[str], folder: Path) -> dict:
    """Run `script` in the sandbox with SMALL limits; return what it printed."""
    if method == "bwrap-as-user":
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sandbox, "_is_root", lambda: False)
            return _run("bwrap", script, args, folder)
    course = folder / "course"
    workdir = course / "autograded" / "alice" / "ps1"
    connection_dir = folder / "conn"
    workdir.mkdir(parents=True, exist_ok=True)
    connection_dir.mkdir(exist_ok=True)
    (workdir / "probe.py").write_text(script)
    (workdir / "mine.txt").write_text("my own data")
    command = sandbox.wrap_kernel_command(
        [sys.executable, "probe.py", *args],
        workdir=workdir,
        connection_dir=connection_dir,
        isolation=sandbox.detect(method),
        limits=SMALL,
    )
    env = dict(os.environ, GITHUB_TOKEN="ghp_secret", AWS_SECRET_ACCESS_KEY="x")
    subprocess.run(
        command, env=sandbox.kernel_env(env), cwd=workdir, timeout=60, check=False
    )
    log = (connection_dir / "kernel.log").read_text()
    lines = [line for line in log.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the probe printed nothing; kernel log:\n{log}"
    return json.loads(lines[-1][len("RESULT ") :])


@pytest.fixture(scope="module")
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def _course_probe(method: str, folder: Path, port: int) -> tuple[dict, Path]:
    gradebook = folder / "course" / "gradebook.db"
    gradebook.parent.mkdir(parents=True, exist_ok=True)
    gradebook.write_text("hidden tests of every assignment")
    home = folder / "home"
    home.mkdir(exist_ok=True)
    (home / ".token").write_text("instructor token")
    args = [str(gradebook), str(home / ".token"), str(port)]
    args += [str(1024**3), str(8 * 1024**2)]
    return _run(method, PROBE, args, folder), folder / "course"


@pytest.fixture(scope="module", params=VARIANTS or ["unavailable"])
def probe(request, tmp_path_factory, listener):
    if request.param == "unavailable":
        pytest.fail(
            "no sandbox works on this machine: install bubblewrap "
            "(apt-get install bubblewrap) or use a kernel with Landlock"
        )
    folder = tmp_path_factory.mktemp(request.param.replace("+", "-"))
    result, course = _course_probe(request.param, folder, listener)
    return request.param, result, course


def test_reads_its_own_folder(probe):
    _, result, _ = probe
    assert result["read_own"] == ["ok", "'my own data'"]


def test_cannot_read_the_gradebook_next_to_it(probe):
    _, result, _ = probe
    assert result["read_gradebook"][0] == "denied", result["read_gradebook"]


def test_cannot_write_the_gradebook(probe):
    # Under bwrap the write may "succeed" into the sandbox's own empty tmpfs;
    # what matters is that the real file is untouched.
    _, _, course = probe
    assert (course / "gradebook.db").read_text() == "hidden tests of every assignment"


def test_cannot_read_the_instructors_home(probe):
    _, result, _ = probe
    assert result["read_home"][0] == "denied", result["read_home"]


def test_cannot_connect_to_localhost(probe):
    method, result, _ = probe
    if method == "landlock" and sandbox.detect("landlock").landlock_abi < 4:
        pytest.skip("Landlock below ABI 4 cannot block TCP")
    assert result["connect"][0] == "denied", result["connect"]


def test_hits_the_memory_limit(probe):
    _, result, _ = probe
    assert result["memory"][0] == "denied"
    assert "MemoryError" in result["memory"][1]


def test_hits_the_file_size_limit(probe):
    _, result, _ = probe
    assert result["big_file"][0] == "denied"
    assert "File too large" in result["big_file"][1]


def test_writes_and_deletes_stay_in_the_scratch_copy(probe):
    _, result, course = probe
    assert result["delete_own"][0] == "ok" and result["write_own"][0] == "ok"
    original = course / "autograded" / "alice" / "ps1"
    assert (original / "mine.txt").read_text() == "my own data"
    assert not (original / "new.txt").exists()


def test_environment_is_scrubbed(probe):
    _, result, _ = probe
    env = result["env"]
    assert "GITHUB_TOKEN" not in env and "AWS_SECRET_ACCESS_KEY" not in env
    assert env["MPLBACKEND"] == "Agg" and env["PYTHONNOUSERSITE"] == "1"
    assert env["HOME"] != os.environ.get("HOME")
    assert not env["HOME"].startswith(str(Path.home()))


@pytest.mark.parametrize("method", AVAILABLE)
def test_hits_the_process_limit(method, tmp_path):
    isolation = sandbox.detect(method)
    if not isolation.process_limit:
        assert "process count NOT limited" in isolation.sentence()
        pytest.skip(f"{method} cannot limit processes here (root without userns)")
    start = time.monotonic()
    result = _run(method, FORK, [], tmp_path)
    assert result["forked"] < SMALL.processes, result
    assert "Resource temporarily unavailable" in (result["error"] or "")
    assert time.monotonic() - start < 30


def test_without_a_sandbox_the_probes_do_succeed(tmp_path, listener):
    """The control: the same probe under "none" reads and writes the gradebook,
    so the assertions above can fail."""
    result, course = _course_probe("none", tmp_path, listener)
    assert result["read_gradebook"][0] == "ok"
    assert result["write_gradebook"][0] == "ok"
    assert result["connect"][0] == "ok"
    assert result["memory"][0] == "denied"  # limits apply even without a sandbox


def test_detect_prefers_bubblewrap_when_it_runs():
    works = sandbox._probe_bwrap()
    best = sandbox.detect()
    assert (best.method == "bwrap") == works
    if works:
        assert best.complete and best.processes
        assert "bubblewrap" in best.sentence()
        assert "NO " not in best.sentence()


def test_detect_none_says_so_and_require_refuses():
    isolation = sandbox.detect("none")
    assert not isolation.filesystem and not isolation.network
    assert "NO filesystem, network, process isolation" in isolation.sentence()
    with pytest.raises(sandbox.SandboxUnavailable, match="require-sandbox"):
        sandbox.require_sandbox(isolation)
    with pytest.warns(UserWarning, match="no sandbox"):
        sandbox.warn_if_unprotected(isolation)


def test_detect_honours_the_environment_and_rejects_unknown_methods(monkeypatch):
    monkeypatch.setenv("AUTOGRADER_SANDBOX", "none")
    assert sandbox.detect().method == "none"
    with pytest.raises(sandbox.SandboxUnavailable, match="unknown sandbox method"):
        sandbox.detect("chroot")


def test_kernel_env_is_an_allow_list():
    env = sandbox.kernel_env(
        {"LANG": "en_GB.UTF-8", "HOME": "/root", "SSH_AUTH_SOCK": "/tmp/s", "X": "1"}
    )
    assert env["LANG"] == "en_GB.UTF-8"
    assert "SSH_AUTH_SOCK" not in env and "X" not in env
    assert env["HOME"] == "/nonexistent"
    assert env["PATH"].split(os.pathsep)[0] == os.path.dirname(sys.executable)


def test_readonly_paths_expose_packages_not_the_repository():
    paths = sandbox.readonly_paths()
    repo = Path(__file__).resolve().parent.parent
    assert str(repo) not in paths
    assert not any(p in (str(repo / "autograder"), str(repo / "tests")) for p in paths)
    assert str(Path.home()) not in paths


def test_limit_evidence_names_the_limit_that_was_hit():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "MemoryError"},
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "error", "ename": "MemoryError", "evalue": ""}
                ],
            },
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "BlockingIOError",
                        "evalue": "[Errno 11] Resource temporarily unavailable",
                    },
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": "xxx\n[output truncated by the grader: 9 more bytes]",
                    },
                ],
            },
        ]
    }
    evidence = sandbox.limit_evidence(nb)
    assert evidence[0].startswith("cell 2: hit the memory limit")
    assert evidence[1].startswith("cell 3: hit the process limit")
    assert evidence[2] == "cell 3: output truncated"
