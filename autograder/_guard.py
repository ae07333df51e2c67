"""The hidden-test guard: runs inside each graded IPython kernel.

The launcher loads this file before ipykernel starts (`preload`), and the
kernel's first exec_line calls `arm(shell)`, before any notebook cell. `arm`
takes a snapshot of everything a test's verdict depends on: builtins, numpy and
the other modules tests use (their attributes and their functions' code), the
sys hooks, the import system, and IPython's execution machinery (input and AST
transformers, event callbacks, traceback handlers).

The grader replaces the source of every instructor cell (tests and read-only
cells) by a call to `run_trusted(source, name, test)`. That call

1. records what differs from the snapshot (the evidence of tampering);
2. puts the snapshot back, and re-binds the names that earlier instructor cells
   bound (to a fresh copy of their values);
3. compiles the instructor's source itself, so no input transformer, AST
   transformer or pre-run hook of the submission can see it change;
4. runs it; a failed assert still raises the interpreter's own AssertionError,
   which IPython reports as an error, which nbgrader scores as zero.

It also installs an audit hook that stops the submission from adding audit
hooks of its own (they could re-patch between the restore and the test).

What it cannot do: a submission runs in the same process, so code written to
defeat *this* guard (editing its snapshot through `gc` or `sys.modules`,
replacing the kernel's request handlers, ctypes) can still win. The static scan
(`autograder/scan.py`) flags every such capability for review.
Standard library only, plus what the kernel already has.
"""

from __future__ import annotations

import ast
import builtins
import copy
import importlib
import signal
import sys
import threading
import types

MIME = "application/vnd.l2course.guard+json"

# Modules whose attributes a test's verdict can depend on.
PROTECTED_MODULES = (
    "builtins",
    "numpy",
    "math",
    "cmath",
    "operator",
    "functools",
    "itertools",
    "random",
    "unittest",
    "re",
    "json",
    "copy",
    "l2course",
)
SYS_HOOKS = ("excepthook", "displayhook", "breakpointhook", "stdout", "stderr")
SHELL_TRAITS = (
    "ast_transformers",
    "input_transformers_post",
    "input_transformer_manager",
    "displayhook",
    "display_pub",
    "display_trap",
    "InteractiveTB",
    "SyntaxTB",
    "custom_exceptions",
    "CustomTB",
    "autocall",
    "ast_node_interactivity",
)
WATCHED_SIGNALS = tuple(
    getattr(signal, name)
    # Not SIGINT: ipykernel swaps its handler around every execution.
    for name in ("SIGALRM", "SIGVTALRM", "SIGPROF", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name)
)
IPYTHON_NAMES = {"In", "Out", "_", "__", "___", "_i", "_ii", "_iii", "_oh", "_ih"}
IPYTHON_NAMES |= {"_dh", "exit", "quit", "get_ipython", "_l2course_guard"}

_snapshot: dict = {}
_trusted: dict[str, tuple[object, object, bool]] = {}
_placed: dict[str, object] = {}
_audit = {"armed": False, "hook_attempts": 0}


def preload() -> None:
    """Import what tests use before the submission's folder joins sys.path,
    so a file such as `numpy.py` in a submission cannot stand in for it."""
    for name in ("numpy", "numpy.testing", "math", "unittest"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _audit_hook(event: str, args: tuple) -> None:
    if event == "sys.addaudithook" and _audit["armed"]:
        _audit["hook_attempts"] += 1
        # A RuntimeError here cancels the new hook (documented behaviour).
        raise RuntimeError("audit hooks are disabled while grading")


def _function_state(function: types.FunctionType) -> tuple:
    return (function.__code__, function.__defaults__, function.__kwdefaults__)


def _same_state(first: tuple, second: tuple) -> bool:
    # Identity, not equality: defaults may hold numpy arrays.
    return all(a is b for a, b in zip(first, second, strict=True))


def _protected(name: str) -> bool:
    return any(
        name == root or name.startswith(root + ".") for root in PROTECTED_MODULES
    )


def _take_module_snapshot() -> dict:
    modules = {}
    functions = {}
    for name, module in list(sys.modules.items()):
        if not _protected(name) or not isinstance(module, types.ModuleType):
            continue
        namespace = dict(vars(module))
        modules[name] = (module, namespace)
        for value in namespace.values():
            if isinstance(value, types.FunctionType):
                functions[id(value)] = (value, _function_state(value))
    return {"modules": modules, "functions": functions}


def _classes_of(shell) -> list[type]:
    objects = [shell, getattr(shell, "kernel", None), shell.displayhook]
    objects += [shell.display_pub, sys.stdout, sys.stderr, shell.InteractiveTB]
    classes: list[type] = []
    for obj in objects:
        if obj is None:
            continue
        for cls in type(obj).__mro__:
            if cls is not object and cls not in classes:
                classes.append(cls)
    return classes


def arm(shell) -> None:
    """Snapshot the pristine state. Called once, before the first cell."""
    if _snapshot:
        return
    preload()
    builtins._l2course_guard = sys.modules[__name__]
    classes = _classes_of(shell)
    _snapshot.update(
        shell=shell,
        kernel=getattr(shell, "kernel", None),
        modules=_take_module_snapshot(),
        sys={name: getattr(sys, name) for name in SYS_HOOKS},
        sys_modules=dict(sys.modules),
        meta_path=list(sys.meta_path),
        path_hooks=list(sys.path_hooks),
        threading=(threading._trace_hook, threading._profile_hook),
        traits={name: getattr(shell, name) for name in SHELL_TRAITS},
        cleanup=list(shell.input_transformer_manager.cleanup_transforms),
        line=list(shell.input_transformer_manager.line_transforms),
        tokens=list(shell.input_transformer_manager.token_transformers),
        post=list(shell.input_transformers_post),
        ast=list(shell.ast_transformers),
        events={
            name: list(callbacks) for name, callbacks in shell.events.callbacks.items()
        },
        shell_dict=dict(vars(shell)),
        classes={cls: dict(vars(cls)) for cls in classes},
        signals={sig: signal.getsignal(sig) for sig in WATCHED_SIGNALS},
        threads={thread.ident for thread in threading.enumerate()},
        assertion_error=_real_assertion_error(),
    )
    sys.addaudithook(_audit_hook)
    _audit["armed"] = True


def _real_assertion_error() -> type:
    # The `assert` statement raises the interpreter's own class whatever
    # builtins.AssertionError has become.
    try:
        assert False  # noqa: B011
    except BaseException as error:  # noqa: BLE001
        return type(error)
    raise RuntimeError("python -O disables assert; grading needs asserts")


# --- restore -----------------------------------------------------------------


def _restore_modules(evidence: list[str]) -> None:
    snapshot = _snapshot["modules"]
    for name, (module, namespace) in snapshot["modules"].items():
        if sys.modules.get(name) is not module:
            evidence.append(f"sys.modules[{name!r}] replaced")
            sys.modules[name] = module
        current = vars(module)
        for key, value in namespace.items():
            now = current.get(key, _MISSING)
            if _equivalent(now, value) or _kernel_swapped(name, key, now):
                continue
            if not (name == "builtins" and key in ("_", "__", "___")):
                evidence.append(f"{name}.{key} replaced")
            current[key] = value
        if name == "builtins":
            for key in [key for key in current if key not in namespace]:
                evidence.append(f"builtins.{key} added")
                del current[key]
    for function, state in snapshot["functions"].values():
        if not _same_state(_function_state(function), state):
            name = getattr(function, "__qualname__", "?")
            evidence.append(f"code of {function.__module__}.{name} changed")
            code, defaults, kwdefaults = state
            function.__code__ = code
            function.__defaults__ = defaults
            function.__kwdefaults__ = kwdefaults


_MISSING = object()


def _equivalent(current: object, saved: object) -> bool:
    """Same object, or the same bound method fetched again."""
    if current is saved:
        return True
    return isinstance(current, types.MethodType) and current == saved


def _kernel_swapped(module: str, key: str, value: object) -> bool:
    # ipykernel points builtins.input at the kernel while a request runs.
    kernel = _snapshot.get("kernel")
    if module == "builtins" and key == "input" and kernel is not None:
        return value == getattr(kernel, "raw_input", _MISSING)
    return False


def _restore_sys(evidence: list[str]) -> None:
    if sys.gettrace() is not None:
        evidence.append("sys.settrace in use")
        sys.settrace(None)
    if sys.getprofile() is not None:
        evidence.append("sys.setprofile in use")
        sys.setprofile(None)
    hooks = (threading._trace_hook, threading._profile_hook)
    if hooks != _snapshot["threading"]:
        evidence.append("threading.settrace/setprofile in use")
        threading._trace_hook, threading._profile_hook = _snapshot["threading"]
    for name, value in _snapshot["sys"].items():
        if not _equivalent(getattr(sys, name), value):
            evidence.append(f"sys.{name} replaced")
            setattr(sys, name, value)
    if sys.meta_path != _snapshot["meta_path"]:
        evidence.append("import hooks (sys.meta_path) changed")
        sys.meta_path[:] = _snapshot["meta_path"]
    if sys.path_hooks != _snapshot["path_hooks"]:
        evidence.append("import hooks (sys.path_hooks) changed")
        sys.path_hooks[:] = _snapshot["path_hooks"]
        sys.path_importer_cache.clear()
    for name, module in list(sys.modules.items()):
        if name in _snapshot["sys_modules"]:
            continue
        # Lazy modules (pygments, six) subclass ModuleType; Cython registers
        # private helper modules without a spec. A hand-made stand-in for a
        # module a test imports has neither a spec nor a file.
        genuine = isinstance(module, types.ModuleType) and (
            getattr(module, "__spec__", None) is not None
            or getattr(module, "__file__", None) is not None
            or name.startswith("_")
        )
        if not genuine:
            evidence.append(f"sys.modules[{name!r}] is not a real module")
            del sys.modules[name]
    if _audit["hook_attempts"]:
        evidence.append(f"tried to add {_audit['hook_attempts']} audit hook(s)")
    for sig, handler in _snapshot["signals"].items():
        if signal.getsignal(sig) is not handler:
            evidence.append(f"signal handler for {signal.Signals(sig).name} set")
            signal.signal(sig, handler)
    if hasattr(signal, "setitimer"):
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            if signal.getitimer(timer)[0]:
                evidence.append("an interval timer was running")
                signal.setitimer(timer, 0)
    extra = [
        thread.name
        for thread in threading.enumerate()
        if thread.ident not in _snapshot["threads"] and thread.is_alive()
    ]
    if extra:
        evidence.append(f"background threads running: {', '.join(extra[:5])}")


def _restore_shell(shell, evidence: list[str]) -> None:
    for name, value in _snapshot["traits"].items():
        if not _equivalent(getattr(shell, name), value):
            evidence.append(f"IPython shell.{name} replaced")
            setattr(shell, name, value)
    manager = shell.input_transformer_manager
    for label, current, saved in (
        ("input_transformers_cleanup", manager.cleanup_transforms, "cleanup"),
        ("input transformer (line)", manager.line_transforms, "line"),
        ("input transformer (token)", manager.token_transformers, "tokens"),
        ("input_transformers_post", shell.input_transformers_post, "post"),
        ("ast_transformers", shell.ast_transformers, "ast"),
    ):
        if current != _snapshot[saved]:
            evidence.append(f"IPython {label} registered")
            current[:] = _snapshot[saved]
    for event, callbacks in shell.events.callbacks.items():
        saved = _snapshot["events"].get(event, [])
        if callbacks != saved:
            evidence.append(f"IPython events.register({event!r}, ...) used")
            callbacks[:] = saved
    saved_dict = _snapshot["shell_dict"]
    for name in list(vars(shell)):
        value = vars(shell)[name]
        if name not in saved_dict and callable(value):
            evidence.append(f"IPython shell.{name} overridden")
            delattr(shell, name)
        elif name in saved_dict and callable(value) and not _equivalent(
            value, saved_dict[name]
        ):
            evidence.append(f"IPython shell.{name} overridden")
            setattr(shell, name, saved_dict[name])
    for cls, namespace in _snapshot["classes"].items():
        current = vars(cls)
        for key, value in namespace.items():
            if not _equivalent(current.get(key, _MISSING), value):
                evidence.append(f"{cls.__module__}.{cls.__qualname__}.{key} replaced")
                type.__setattr__(cls, key, value)
        for key in [key for key in current if key not in namespace]:
            evidence.append(f"{cls.__module__}.{cls.__qualname__}.{key} added")
            type.__delattr__(cls, key)


def _restore_trusted_names(user_ns: dict, evidence: list[str]) -> None:
    for name, (original, pristine, copied) in _trusted.items():
        current = user_ns.get(name, _MISSING)
        if current is not original and current is not _placed.get(name, _MISSING):
            evidence.append(f"instructor name {name!r} rebound by the submission")
        # Data gets a fresh copy each time, so in-place changes do not last.
        user_ns[name] = copy.deepcopy(pristine) if copied else original
        _placed[name] = user_ns[name]


def restore() -> list[str]:
    """Put the pristine state back; return what had been changed."""
    evidence: list[str] = []
    if not _snapshot:
        return ["guard was not armed before the first cell"]
    shell = _snapshot["shell"]
    _restore_sys(evidence)
    _restore_modules(evidence)
    _restore_shell(shell, evidence)
    _restore_trusted_names(shell.user_ns, evidence)
    return evidence


# --- running instructor cells ------------------------------------------------


def _compile(source: str, name: str) -> tuple[types.CodeType, types.CodeType | None]:
    from IPython.core.inputtransformer2 import TransformerManager

    # A fresh transformer manager: the shell's own may have been tampered with.
    python = TransformerManager().transform_cell(source)
    tree = ast.parse(python, filename=name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, name, "exec", dont_inherit=True)
    tail = compile(last, name, "eval", dont_inherit=True) if last else None
    return body, tail


def _record_bindings(user_ns: dict, before: dict) -> None:
    for name, value in user_ns.items():
        if name in IPYTHON_NAMES or before.get(name, _MISSING) is value:
            continue
        if name.startswith("_i") or name.startswith("_") and name[1:].isdigit():
            continue
        _placed.pop(name, None)
        if isinstance(value, types.FunctionType) and _snapshot:
            # An instructor helper: protect its code like a library function's.
            functions = _snapshot["modules"]["functions"]
            functions[id(value)] = (value, _function_state(value))
        if isinstance(value, types.ModuleType) or callable(value):
            _trusted[name] = (value, None, False)
            continue
        try:
            _trusted[name] = (value, copy.deepcopy(value), True)
        except Exception:  # noqa: BLE001 - anything not copyable is kept as is
            _trusted[name] = (value, None, False)


def _publish(report: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({MIME: report, "text/plain": ""})


def _get_ipython():  # noqa: ANN202
    from IPython import get_ipython

    return get_ipython()


def run_trusted(  # noqa: ANN201
    source: str, name: str, test: bool = True, preamble: str = ""
):
    """Run one instructor cell in a restored interpreter; return its value.

    The value of a final expression is returned (and so displayed), as IPython
    would: nbgrader reads a number there as partial credit.
    """
    evidence = restore()
    _publish({"cell": name, "test": test, "tampering": evidence})
    shell = _snapshot.get("shell") or _get_ipython()
    user_ns = shell.user_ns
    body, tail = _compile(source, f"<instructor cell {name}>")
    before = dict(user_ns)
    if preamble:
        # The release's own imports: `np` is numpy again, whatever it became.
        tree = ast.parse(preamble)
        names = [
            alias.asname or alias.name.split(".")[0]
            for node in tree.body
            for alias in getattr(node, "names", [])
        ]
        previous = {bound: user_ns.get(bound, _MISSING) for bound in names}
        exec(compile(tree, "<release imports>", "exec"), user_ns)  # noqa: S102
        rebound = [
            f"{bound!r} rebound by the submission"
            for bound, value in previous.items()
            if value is not _MISSING and value is not user_ns.get(bound)
        ]
        if rebound:
            _publish({"cell": name, "test": test, "tampering": rebound})
    try:
        exec(body, user_ns)  # noqa: S102 - instructor code from the gradebook
        result = eval(tail, user_ns) if tail is not None else None  # noqa: S307
    finally:
        _record_bindings(user_ns, before)
    return result
