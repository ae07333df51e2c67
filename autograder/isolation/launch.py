"""Trusted first stage of every sandboxed kernel (runs *inside* the sandbox).

`autograder.isolation.sandbox.wrap_kernel_command` puts this script between the sandbox
tool (bwrap, unshare, or nothing) and the kernel. It runs before any submission
code and:

1. copies the submission's folder into a private scratch folder (writes, deletes
   and symlinks made by the submission never reach the course directory);
2. gives the kernel a private HOME, IPython and matplotlib directories;
3. drops root if it has it (so RLIMIT_NPROC applies) and enters a user
   namespace of its own where one is available (so the process count is per
   kernel, not per user);
4. applies Landlock when the sandbox relies on it for the filesystem;
5. sets resource limits (address space, CPU time, processes, file size);
6. points the kernel's own stdout/stderr at a capped log file;
7. starts ipykernel in this process.

It imports only the standard library: inside bwrap neither the repository nor
the autograder package is visible. Configuration arrives as one JSON argument.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import shutil
import signal
import stat
import sys

NOBODY = 65534
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38

_libc = ctypes.CDLL(None, use_errno=True)


def _fail(message: str) -> None:
    # The parent sees this in the kernel log and as a dead kernel.
    sys.stderr.write(f"sandbox launcher: {message}\n")
    sys.exit(70)


def copy_submission(source: str, target: str, max_bytes: int) -> None:
    """Copy the submission folder, refusing to follow symlinks out of it."""
    total = 0
    for root, dirs, files in os.walk(source):
        rel = os.path.relpath(root, source)
        dest_root = os.path.normpath(os.path.join(target, rel))
        os.makedirs(dest_root, exist_ok=True)
        for name in dirs + files:
            src = os.path.join(root, name)
            dst = os.path.join(dest_root, name)
            info = os.lstat(src)
            if stat.S_ISLNK(info.st_mode):
                # A symlink is copied as a symlink: it points at nothing the
                # sandbox can see, and never at the course directory.
                os.symlink(os.readlink(src), dst)
            elif stat.S_ISREG(info.st_mode):
                total += info.st_size
                if total > max_bytes:
                    _fail(f"submission folder is larger than {max_bytes} bytes")
                shutil.copyfile(src, dst)


def own_tree(path: str, uid: int, gid: int) -> None:
    """Hand a writable tmpfs to `uid`, without crossing into other mounts.

    Read-only binds can sit inside it (a checkout under /tmp puts its
    virtualenv there); they belong to another filesystem and are skipped.
    """
    device = os.lstat(path).st_dev
    os.lchown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        dirs[:] = [
            name for name in dirs if os.lstat(os.path.join(root, name)).st_dev == device
        ]
        for name in dirs + files:
            entry = os.path.join(root, name)
            if os.lstat(entry).st_dev == device:
                os.lchown(entry, uid, gid)


def prctl(option: int, value: int) -> None:
    if _libc.prctl(option, value, 0, 0, 0) != 0:
        _fail(f"prctl({option}) failed: {os.strerror(ctypes.get_errno())}")


def drop_root(writable: list[str]) -> None:
    """Become `nobody`: root is exempt from RLIMIT_NPROC, nobody is not."""
    for path in writable:
        own_tree(path, NOBODY, NOBODY)
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    # Changing uid makes the process undumpable, which would hide
    # /proc/self/uid_map from it; the pid namespace keeps others out anyway.
    prctl(PR_SET_DUMPABLE, 1)


def enter_own_user_namespace() -> bool:
    """Count processes per kernel rather than per uid (best effort)."""
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWUSER) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as handle:
            handle.write("deny")
        with open("/proc/self/uid_map", "w") as handle:
            handle.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as handle:
            handle.write(f"{gid} {gid} 1")
    except OSError as error:
        _fail(f"cannot map ids in the kernel's user namespace: {error}")
    return True


def apply_limits(limits: dict) -> None:
    pairs = {
        "memory_bytes": resource.RLIMIT_AS,
        "file_bytes": resource.RLIMIT_FSIZE,
        "open_files": resource.RLIMIT_NOFILE,
        "processes": resource.RLIMIT_NPROC,
    }
    for key, which in pairs.items():
        value = int(limits[key])
        resource.setrlimit(which, (value, value))
    cpu = int(limits["cpu_seconds"])
    # SIGXCPU at the soft limit, SIGKILL at the hard one.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# --- Landlock (used when there is no mount namespace) ------------------------

_LANDLOCK_CREATE_RULESET = 444
_LANDLOCK_ADD_RULE = 445
_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1

_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_READ = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
_FS_TRUNCATE = 1 << 14
_FS_IOCTL_DEV = 1 << 15
_NET_BIND_TCP = 1 << 0
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
_SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    abi = _libc.syscall(
        _LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION
    )
    return max(int(abi), 0)


def apply_landlock(readable: list[str], writable: list[str]) -> int:
    """Restrict this process and its children to the given paths."""
    abi = landlock_abi()
    if abi < 1:
        _fail("Landlock was selected but the kernel does not offer it")
    # ABI 1 knows 13 filesystem rights; 2 adds REFER, 3 TRUNCATE, 5 IOCTL_DEV.
    known_rights = {1: 13, 2: 14, 3: 15, 4: 15}.get(abi, 16)
    handled = (1 << known_rights) - 1
    attr = _RulesetAttr(handled_access_fs=handled)
    size = ctypes.sizeof(ctypes.c_uint64)
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 2 * ctypes.sizeof(ctypes.c_uint64)
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 3 * ctypes.sizeof(ctypes.c_uint64)
    ruleset = _libc.syscall(_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        _fail(f"landlock_create_ruleset: {os.strerror(ctypes.get_errno())}")
    file_rights = (
        _FS_EXECUTE | _FS_READ_FILE | _FS_WRITE_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
    )
    for paths, rights in ((readable, _FS_READ), (writable, handled)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            allowed = rights
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                allowed &= file_rights
            rule = _PathBeneathAttr(allowed_access=allowed & handled, parent_fd=fd)
            result = _libc.syscall(
                _LANDLOCK_ADD_RULE,
                ruleset,
                _LANDLOCK_RULE_PATH_BENEATH,
                ctypes.byref(rule),
                0,
            )
            os.close(fd)
            if result != 0:
                _fail(f"landlock_add_rule({path}): {os.strerror(ctypes.get_errno())}")
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if _libc.syscall(_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
        _fail(f"landlock_restrict_self: {os.strerror(ctypes.get_errno())}")
    os.close(ruleset)
    return abi


# --- the kernel -------------------------------------------------------------


def redirect_stdio(log_path: str) -> None:
    # The kernel's own stdout/stderr (not the notebook's outputs, which travel
    # over the kernel protocol) go to a file capped by RLIMIT_FSIZE instead of
    # the grader's terminal.
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    os.close(null)


def is_python_kernel(argv: list[str]) -> bool:
    """`python -m ipykernel_launcher ...` or `python -c <program using
    ipykernel> ...`, run by this very interpreter (so it can run in-process)."""
    if len(argv) < 3 or os.path.realpath(argv[0]) != os.path.realpath(sys.executable):
        return False
    if argv[1] == "-m":
        return argv[2] in {"ipykernel_launcher", "ipykernel"}
    return argv[1] == "-c" and "ipykernel" in argv[2]


def _freeze_forked_child() -> None:
    """Stop a child made by os.fork() in notebook code, at once.

    A graded kernel has no use for os.fork(). A fork bomb's children would
    otherwise spin on the cores other submissions are graded on, and spray the
    kernel's pipes with errors. Stopped, they still hold their place under the
    process limit (so the parent's next fork fails fast) and die with the
    kernel. Forks made to run a program (pty, subprocess, pexpect) go on.
    """
    frame = sys._getframe(1)
    while frame is not None:
        name = os.path.basename(frame.f_code.co_filename)
        if name in ("pty.py", "subprocess.py", "pty_spawn.py", "ptyprocess.py"):
            return
        frame = frame.f_back
    _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    os.kill(os.getpid(), signal.SIGSTOP)


def stay_init_of_the_namespace() -> None:
    """With `unshare --pid --fork` this process is pid 1 of its namespace,
    and signals that pid 1 does not handle are dropped, SIGKILL from inside
    included: a kernel that kills itself would live on. So pid 1 forks, stays
    behind as a minimal init (reaping, then leaving with the kernel's status),
    and the kernel runs as pid 2, as it does under bubblewrap."""
    child = os.fork()
    if child == 0:
        prctl(PR_SET_PDEATHSIG, 9)
        return
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == child:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def start_kernel(argv: list[str]) -> None:
    if not is_python_kernel(argv):
        os.execv(argv[0], argv)
    import runpy
    import types

    os.register_at_fork(after_in_child=_freeze_forked_child)
    extra: list[str] = []
    # As `python -m` / `python -c` would: the working directory first.
    sys.path[0] = os.getcwd()
    if argv[1] == "-m":
        sys.argv = [argv[0], *argv[3:], *extra]
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        return
    sys.argv = ["-c", *argv[3:], *extra]
    main_module = types.ModuleType("__main__")
    sys.modules["__main__"] = main_module
    exec(compile(argv[2], "<string>", "exec"), vars(main_module))


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        _fail("usage: launch.py CONFIG_JSON -- KERNEL_ARGV...")
    config = json.loads(sys.argv[1])
    kernel_argv = sys.argv[3:]
    workdir = config["workdir"]
    scratch = config["scratch"]
    home = os.path.join(scratch, "home")

    if config.get("copy_from"):
        copy_submission(config["copy_from"], workdir, config["limits"]["scratch_bytes"])
    os.makedirs(os.path.join(home, ".ipython"), exist_ok=True)
    mpl = os.path.join(home, "mplconfig")
    os.makedirs(mpl, exist_ok=True)
    for seed in config.get("mpl_seed", []):
        if os.path.isfile(seed):
            shutil.copy(seed, mpl)
    tmp = config.get("tmp")
    if tmp:
        os.chmod(tmp, 0o1777)

    os.environ.update(
        HOME=home,
        IPYTHONDIR=os.path.join(home, ".ipython"),
        MPLCONFIGDIR=mpl,
        TMPDIR=tmp or scratch,
    )
    redirect_stdio(os.path.join(config["connection_dir"], "kernel.log"))

    writable = [workdir, scratch, config["connection_dir"]]
    if os.geteuid() == 0 and config.get("drop_root"):
        drop_root(writable)
    if config.get("own_user_namespace"):
        enter_own_user_namespace()
    if config.get("landlock"):
        apply_landlock(config["readable"], writable + config.get("devices", []))
    else:
        prctl(PR_SET_NO_NEW_PRIVS, 1)
    apply_limits(config["limits"])
    # ipykernel reads JPY_PARENT_PID and quits when its parent looks gone;
    # in a pid namespace its parent is pid 1, so it would quit at once.
    # Instead the kernel dies with its parent (set after the uid change,
    # which clears it).
    os.environ.pop("JPY_PARENT_PID", None)
    prctl(PR_SET_PDEATHSIG, 9)
    os.chdir(workdir)
    if os.getpid() == 1:
        stay_init_of_the_namespace()
    start_kernel(kernel_argv)


if __name__ == "__main__":
    main()
