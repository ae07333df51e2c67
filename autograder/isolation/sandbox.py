"""Run each graded kernel isolated from the course, the network and the machine.

Both kernels of a submission (the student's and the trusted one) are started
this way. This module decides *how*; `autograder/isolation/launch.py` is the
first thing that runs inside the sandbox.

What the caller uses:

- `detect()` says which protection this machine offers, best first:
  bubblewrap (mount, network, pid, ipc namespaces), Landlock plus `unshare`
  (network and pid namespaces), Landlock alone, or nothing but resource limits.
- `wrap_kernel_command(argv, workdir=..., connection_dir=...)` prefixes a
  kernel's argv so that it runs inside that sandbox.
- `kernel_env(env)` is the scrubbed environment to start it with.
- `limit_evidence(nb)` says where an executed notebook hit a limit.

`autograder.kernel.GradingKernelManager` is the one kernel manager that uses
them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import defaults

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "launch.py"
# Where the launcher appears inside a bubblewrap sandbox.
INSIDE = "/run/l2course-sandbox"

# Packages a kernel imports from outside the Python installation (editable
# installs): only their own folder is exposed, never the repository around them.
KERNEL_PACKAGES = ("l2course",)

METHODS = ("bwrap", "landlock+unshare", "landlock", "none")


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits (setrlimit, tmpfs sizes, stored output)."""

    memory_bytes: int = defaults.MEMORY_MB * 1024**2
    cpu_seconds: int = defaults.CPU_SECONDS
    processes: int = defaults.PROCESSES  # tasks, threads included
    file_bytes: int = defaults.FILE_BYTES
    open_files: int = defaults.OPEN_FILES
    scratch_bytes: int = defaults.SCRATCH_BYTES  # the private copy, and /tmp


@dataclass(frozen=True)
class Isolation:
    """Which protection is in force for graded kernels on this machine."""

    method: str
    filesystem: bool  # cannot see the course directory, gradebook, $HOME
    network: bool  # cannot open network connections (127.0.0.1 included)
    processes: bool  # own pid namespace: cannot signal the grader or others
    process_limit: bool  # RLIMIT_NPROC is enforced (it is not for root)
    landlock_abi: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Filesystem and network isolation both hold."""
        return self.filesystem and self.network

    def sentence(self) -> str:
        """One sentence for the instructor: what protects the grader."""
        held = [
            name
            for name, ok in (
                ("filesystem", self.filesystem),
                ("network", self.network),
                ("process", self.processes),
            )
            if ok
        ]
        missing = [
            name
            for name, ok in (
                ("filesystem", self.filesystem),
                ("network", self.network),
                ("process", self.processes),
            )
            if not ok
        ]
        how = {
            "bwrap": "bubblewrap namespaces",
            "landlock+unshare": f"Landlock (ABI {self.landlock_abi}) and unshare",
            "landlock": f"Landlock (ABI {self.landlock_abi})",
            "none": "no sandbox",
        }[self.method]
        text = f"Sandbox: {how}"
        if held:
            text += f"; {', '.join(held)} isolation in force"
        if missing:
            text += f"; NO {', '.join(missing)} isolation"
        text += "; resource limits on memory, CPU time, file size"
        text += " and process count." if self.process_limit else ""
        if not self.process_limit:
            text += " (process count NOT limited)."
        for note in self.notes:
            text += f" {note}"
        return text


class SandboxUnavailable(RuntimeError):
    """Raised when grading must not proceed without isolation."""


# --- what the kernel may read ------------------------------------------------

_SYSTEM_PATHS = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc/alternatives",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
    "/etc/fonts",
    "/etc/mime.types",
)


def _covered(path: str, roots: Iterable[str]) -> bool:
    return any(
        path == root or path.startswith(root.rstrip("/") + "/") for root in roots
    )


def readonly_paths(python: str | None = None) -> list[str]:
    """Host paths a kernel needs read-only: system libraries, Python, packages.

    The repository, the course directory and $HOME are not among them; an
    editable package contributes only its own folder.
    """
    python = python or sys.executable
    candidates = list(_SYSTEM_PATHS)
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    executable = os.path.realpath(python)
    prefixes.add(str(Path(executable).parent.parent))
    for prefix in prefixes:
        candidates.append(prefix)
        candidates.append(os.path.realpath(prefix))
    import importlib.util

    for name in KERNEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(spec.submodule_search_locations)
    chosen: list[str] = []
    for path in candidates:
        if os.path.lexists(path) and path not in chosen:
            chosen.append(path)
    # Keep a path whose parent is already in the list out, except symlinks,
    # which must stay so that bwrap can recreate them.
    final = []
    for path in sorted(chosen, key=len):
        if not _covered(path, final) or os.path.islink(path):
            final.append(path)
    return final


# --- detection ---------------------------------------------------------------


def _run_quietly(argv: list[str], timeout: float = 10) -> bool:
    try:
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _is_root() -> bool:
    return os.geteuid() == 0


def _bwrap_namespace_flags() -> list[str]:
    flags = [
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]
    if not _is_root():
        # Unprivileged bwrap needs a user namespace; as root, bwrap builds the
        # mounts itself and the launcher drops to `nobody` afterwards.
        flags.insert(0, "--unshare-user")
    return flags


def _unshare_prefix() -> list[str]:
    flags = ["unshare", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child"]
    flags.append("--mount-proc")
    if not _is_root():
        flags.insert(1, "--map-current-user")
    return flags


def _probe_bwrap() -> bool:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    argv = [bwrap, *_bwrap_namespace_flags(), "--die-with-parent"]
    argv += ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    return _run_quietly(argv)


def _probe_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    return _run_quietly([*_unshare_prefix(), "true"])


def _probe_landlock() -> int:
    """Landlock ABI version usable by a child process (0 if none)."""
    code = (
        "import runpy,sys; m = runpy.run_path(sys.argv[1]);"
        "abi = m['landlock_abi']();"
        "abi and m['apply_landlock'](['/usr'], []); print(abi)"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(LAUNCHER)],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        return int(result.stdout.strip() or 0) if result.returncode == 0 else 0
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def _nobody_can_read(paths: Iterable[str]) -> bool:
    """Whether every path is reachable by an unprivileged other user."""
    for path in paths:
        current = Path(path)
        for part in [current, *current.parents]:
            try:
                mode = part.stat().st_mode
            except OSError:
                return False
            if part.is_dir() and not mode & 0o001:
                return False
    return True


def _others_may_read(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True  # a dangling symlink is recreated, not read
    return bool(mode & 0o004) and (not Path(path).is_dir() or bool(mode & 0o001))


_ROOT_NOTE = (
    "Running as root with the Python install unreadable to `nobody`, "
    "so the process limit cannot be applied."
)


@functools.cache
def _detect(wanted: str | None) -> Isolation:
    root = _is_root()
    if wanted is not None and wanted not in METHODS:
        raise SandboxUnavailable(
            f"unknown sandbox method {wanted!r}: choose one of {', '.join(METHODS)}"
        )
    if wanted in (None, "bwrap") and _probe_bwrap():
        # As root the launcher drops to `nobody` after bwrap has mounted the
        # paths, so only the paths themselves need to be readable by others.
        readable = all(_others_may_read(path) for path in readonly_paths())
        notes = () if readable or not root else (_ROOT_NOTE,)
        return Isolation("bwrap", True, True, True, readable or not root, 0, notes)
    if wanted == "bwrap":
        raise SandboxUnavailable(
            "bubblewrap was requested but does not run here: install it "
            "(apt-get install bubblewrap) and allow user namespaces"
        )
    abi = _probe_landlock() if wanted in (None, "landlock+unshare", "landlock") else 0
    notes = []
    if abi and abi < 4:
        notes.append("Landlock is older than ABI 4, so TCP is not blocked by it.")
    if abi:
        notes.append(
            "Pathname unix sockets of the host stay reachable under Landlock; "
            "install bubblewrap for a mount namespace."
        )
    drop = root and _nobody_can_read(readonly_paths())
    nproc = not root or drop
    if root and not drop:
        notes.append(_ROOT_NOTE)
    if wanted in (None, "landlock+unshare") and abi and _probe_unshare():
        return Isolation("landlock+unshare", True, True, True, nproc, abi, tuple(notes))
    if wanted in (None, "landlock") and abi:
        return Isolation("landlock", True, abi >= 4, abi >= 6, nproc, abi, tuple(notes))
    if wanted in ("landlock", "landlock+unshare"):
        raise SandboxUnavailable(f"{wanted} was requested but is not available here")
    root_note = (_ROOT_NOTE,) if _ROOT_NOTE in notes else ()
    return Isolation("none", False, False, False, nproc, 0, root_note)


def detect(method: str | None = None) -> Isolation:
    """Find the strongest sandbox that works here (probing it, not assuming).

    `method` (or the environment variable AUTOGRADER_SANDBOX) forces one of
    "bwrap", "landlock+unshare", "landlock" or "none".
    """
    return _detect(method or os.environ.get("AUTOGRADER_SANDBOX") or None)


def require_sandbox(isolation: Isolation) -> None:
    """Refuse to grade (for `--require-sandbox`) unless isolation is complete."""
    if not isolation.complete:
        raise SandboxUnavailable(
            f"{isolation.sentence()} Refusing to grade with --require-sandbox: "
            "install bubblewrap (apt-get install bubblewrap) or run on a kernel "
            "with Landlock."
        )


def warn_if_unprotected(isolation: Isolation) -> None:
    if not isolation.complete:
        warnings.warn(
            f"{isolation.sentence()} Submissions can read or change what this "
            "user can; pass --require-sandbox to refuse instead.",
            stacklevel=2,
        )


# --- the environment ---------------------------------------------------------

_ENV_KEPT = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")


def kernel_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a graded kernel: an allow-list, never a deny-list.

    Nothing from the instructor's environment survives except the locale:
    no tokens, no credentials, no PYTHONPATH into the repository, no HOME. The
    launcher replaces HOME with a private folder inside the sandbox.
    """
    source = os.environ if env is None else env
    result = {key: source[key] for key in _ENV_KEPT if key in source}
    result.setdefault("LANG", "C.UTF-8")
    bin_dir = os.path.dirname(sys.executable)
    result.update(
        PATH=os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"]),
        HOME="/nonexistent",
        MPLBACKEND="Agg",
        PYTHONNOUSERSITE="1",
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        # One thread per library: threads count against the process limit
        # and parallel grading already uses the cores.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return result


# --- the wrapped command -----------------------------------------------------


def _bwrap_parent_dirs(paths: Iterable[str]) -> list[str]:
    # bwrap creates missing parents with mode 0700, which `nobody` cannot
    # cross; create them first, world-traversable (they are empty tmpfs dirs).
    parents: list[str] = []
    for path in paths:
        for parent in reversed(Path(path).parents):
            name = str(parent)
            skip = name in parents or name == "/tmp" or _covered(name, _SYSTEM_PATHS)
            if name != "/" and not skip:
                parents.append(name)
    args: list[str] = []
    for name in parents:
        args += ["--perms", "0755", "--dir", name]
    return args


def _bwrap_binds(paths: Iterable[str]) -> list[str]:
    args: list[str] = []
    for path in paths:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        else:
            args += ["--ro-bind", path, path]
    return args


def _is_ipykernel(argv: list[str]) -> bool:
    return len(argv) >= 3 and argv[1] == "-m" and argv[2].startswith("ipykernel")


def wrap_kernel_command(
    argv: list[str],
    *,
    workdir: Path,
    connection_dir: Path,
    isolation: Isolation | None = None,
    limits: Limits | None = None,
    mpl_seed: Iterable[Path] = (),
) -> list[str]:
    """Prefix a kernel's argv so that it runs inside the sandbox.

    `workdir` is the submission's folder: the kernel gets a private, writable
    copy of it at the same path (bwrap) or in `connection_dir` (otherwise), so
    nothing it writes, deletes or links reaches the course directory.
    `connection_dir` must be private to this kernel and hold its connection
    file; with the IPC transport the kernel's unix sockets live there too.
    """
    isolation = isolation or detect()
    limits = limits or Limits()
    workdir = Path(workdir).resolve()
    connection_dir = Path(connection_dir).resolve()
    python = argv[0] if _is_ipykernel(argv) else sys.executable
    readable = readonly_paths(python)
    seeds = [str(Path(seed).resolve()) for seed in mpl_seed if Path(seed).is_file()]
    config: dict[str, Any] = {
        "connection_dir": str(connection_dir),
        "limits": asdict(limits),
        "drop_root": _is_root() and isolation.process_limit,
        "own_user_namespace": _is_root() and isolation.process_limit,
    }

    if isolation.method == "bwrap":
        submission = f"{INSIDE}/submission"
        config.update(
            workdir=str(workdir),
            scratch="/tmp",
            tmp="/tmp",
            copy_from=submission,
            mpl_seed=[f"{INSIDE}/mpl/{Path(seed).name}" for seed in seeds],
        )
        size = str(limits.scratch_bytes)
        command = [shutil.which("bwrap") or "bwrap", *_bwrap_namespace_flags()]
        command += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
        command += ["--proc", "/proc", "--dev", "/dev"]
        # joblib and multiprocessing want a writable /dev/shm (else a warning
        # on stderr, which nbgrader scores as a failed test).
        command += ["--perms", "1777", "--size", size, "--tmpfs", "/dev/shm"]
        command += ["--size", size, "--tmpfs", "/tmp"]
        command += _bwrap_parent_dirs(
            [*readable, str(workdir), str(connection_dir), f"{INSIDE}/mpl/x"]
        )
        command += _bwrap_binds(readable)
        command += ["--size", size, "--tmpfs", str(workdir)]
        command += ["--ro-bind", str(workdir), submission]
        command += ["--bind", str(connection_dir), str(connection_dir)]
        command += ["--ro-bind", str(LAUNCHER), f"{INSIDE}/launch.py"]
        for seed in seeds:
            command += ["--ro-bind", seed, f"{INSIDE}/mpl/{Path(seed).name}"]
        command += ["--chdir", str(workdir), python, "-s", f"{INSIDE}/launch.py"]
        return [*command, json.dumps(config), "--", *argv]

    scratch = connection_dir / "scratch"
    copy = scratch / "work"
    config.update(
        workdir=str(copy),
        scratch=str(scratch),
        tmp=str(scratch / "tmp"),
        copy_from=str(workdir),
        mpl_seed=seeds,
    )
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "tmp").mkdir(exist_ok=True)
    prefix: list[str] = []
    if isolation.method.startswith("landlock"):
        config.update(
            landlock=True,
            readable=[*readable, str(LAUNCHER), "/proc", *seeds],
            devices=[
                "/dev/null",
                "/dev/zero",
                "/dev/urandom",
                "/dev/random",
                "/dev/shm",
            ],
        )
    if isolation.method == "landlock+unshare":
        prefix = _unshare_prefix()
    return [*prefix, python, "-s", str(LAUNCHER), json.dumps(config), "--", *argv]


# --- outputs ---------------------------------------------------------------

_LIMIT_SIGNS = (
    ("MemoryError", "hit the memory limit"),
    ("Resource temporarily unavailable", "hit the process limit"),
    ("File too large", "hit the file size limit"),
    ("No space left on device", "filled its scratch space"),
    ("Network is unreachable", "tried to use the network"),
    ("Connection refused", "tried to use the network"),
)


def limit_evidence(nb: Any) -> list[str]:
    """Where an executed notebook ran into the sandbox's limits, in words.

    Reads the outputs only: a MemoryError (an error, or the last line of a
    traceback on stderr), a refused fork, a file too large, a refused
    connection, or truncated output each give one sentence.
    """
    found: list[str] = []
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs") or []:
            kind = output.get("output_type")
            if kind == "error":
                text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            elif kind == "stream":
                text = output.get("text", "")
                text = "".join(text) if isinstance(text, list) else text
                if "output truncated by the" in text:
                    found.append(f"cell {index + 1}: output truncated")
                if output.get("name") != "stderr":
                    continue
                # the kernel's own failures (its output thread out of memory)
                # arrive as a traceback on stderr; only its last line counts
                lines = [line for line in text.strip().splitlines() if line.strip()]
                text = lines[-1] if lines else ""
            else:
                continue
            for sign, meaning in _LIMIT_SIGNS:
                if sign in text:
                    found.append(f"cell {index + 1}: {meaning} ({text[:80]})")
                    break
    return list(dict.fromkeys(found))


@functools.cache
def matplotlib_font_cache(python: str = sys.executable) -> tuple[Path, ...]:
    """Build matplotlib's font list once, so that each kernel copies it instead
    of rescanning the system fonts (about 0.6 s per kernel)."""
    cache = Path(tempfile.gettempdir()) / f"l2course-mpl-{os.geteuid()}"
    cache.mkdir(mode=0o700, exist_ok=True)
    env = {"MPLCONFIGDIR": str(cache), "PATH": os.environ.get("PATH", "")}
    subprocess.run(
        [python, "-c", "import matplotlib.font_manager"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return tuple(sorted(cache.glob("fontlist-*.json")))
