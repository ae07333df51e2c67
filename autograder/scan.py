"""Static scan of a submission for code an instructor should look at.

`scan_notebook(nb)` reads the cells a student wrote (solution cells and cells
they added; instructor cells are replaced from the gradebook anyway) and returns
one evidence sentence per finding, such as

    cell 4, line 2: IPython machinery: registers an input transformer

A finding flags the submission for review; it never changes the score. The scan
parses the code with `ast` (after IPython turns magics and `!shell` lines into
Python), so comments and strings that merely mention a word do not count, and
aliases (`import numpy.testing as t`) are followed. Code that does not parse is
searched for the same words instead.

The sandbox is what stops these things from doing harm; the scan tells the
instructor who tried, and catches the in-kernel tricks the sandbox cannot see.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from typing import Any

from autograder.tamper import is_instructor_cell

IPYTHON_ATTRIBUTES = {
    "input_transformers_cleanup": "registers an input transformer",
    "input_transformers_post": "registers an input transformer",
    "input_transformer_manager": "touches the input transformer manager",
    "ast_transformers": "registers an AST transformer",
    "events": "registers an IPython event callback",
    "set_custom_exc": "installs a custom exception handler",
    "custom_exceptions": "installs a custom exception handler",
    "CustomTB": "replaces the traceback handler",
    "InteractiveTB": "replaces the traceback handler",
    "showtraceback": "replaces how errors are shown",
    "_showtraceback": "replaces how errors are shown",
    "run_cell": "touches how cells are run",
    "run_cell_async": "touches how cells are run",
    "run_code": "touches how cells are run",
    "run_ast_nodes": "touches how cells are run",
    "transform_cell": "touches how cells are transformed",
    "transform_ast": "touches how cells are transformed",
    "displayhook": "replaces the display hook",
    "display_pub": "replaces the display publisher",
    "excepthook": "replaces the exception hook",
    "kernel": "reaches the kernel object",
    "shell_handlers": "replaces kernel request handlers",
    "control_handlers": "replaces kernel request handlers",
    "do_execute": "replaces kernel request handlers",
    "execute_request": "replaces kernel request handlers",
    "user_ns": "reaches the notebook namespace",
    "user_global_ns": "reaches the notebook namespace",
    "register_magic_function": "registers a magic",
    "register_magics": "registers a magic",
    "set_hook": "installs an IPython hook",
    "builtin_trap": "touches IPython's builtins",
}
INTROSPECTION_ATTRIBUTES = {
    "f_back",
    "f_globals",
    "f_locals",
    "f_builtins",
    "f_code",
    "tb_frame",
    "gi_frame",
    "cr_frame",
    "__subclasses__",
    "__globals__",
    "__code__",
    "__builtins__",
    "__closure__",
    "__defaults__",
    "__kwdefaults__",
    "__bases__",
    "__mro__",
    "__base__",
}
SUSPICIOUS_MODULES = {
    "ctypes": ("native code", "imports ctypes"),
    "_ctypes": ("native code", "imports ctypes"),
    "cffi": ("native code", "imports cffi"),
    "mmap": ("native code", "imports mmap"),
    "subprocess": ("subprocess", "imports subprocess"),
    "_posixsubprocess": ("subprocess", "imports subprocess internals"),
    "pty": ("subprocess", "imports pty"),
    "multiprocessing": ("subprocess", "imports multiprocessing"),
    "socket": ("network", "imports socket"),
    "socketserver": ("network", "imports socketserver"),
    "ssl": ("network", "imports ssl"),
    "http": ("network", "imports http"),
    "urllib": ("network", "imports urllib"),
    "requests": ("network", "imports requests"),
    "httpx": ("network", "imports httpx"),
    "aiohttp": ("network", "imports aiohttp"),
    "ftplib": ("network", "imports ftplib"),
    "smtplib": ("network", "imports smtplib"),
    "telnetlib": ("network", "imports telnetlib"),
    "xmlrpc": ("network", "imports xmlrpc"),
    "webbrowser": ("network", "imports webbrowser"),
    "zmq": ("network", "imports zmq"),
    "sqlite3": ("gradebook access", "imports sqlite3"),
    "nbgrader": ("gradebook access", "imports nbgrader"),
    "sqlalchemy": ("gradebook access", "imports sqlalchemy"),
    "gc": ("introspection", "imports gc"),
    "inspect": ("introspection", "imports inspect"),
    "marshal": ("dynamic code", "imports marshal"),
    "importlib": ("dynamic code", "imports importlib"),
    "code": ("dynamic code", "imports code"),
    "codeop": ("dynamic code", "imports codeop"),
    "builtins": ("builtins tampering", "imports builtins"),
    "__builtin__": ("builtins tampering", "imports builtins"),
    "threading": ("threads/signals", "imports threading"),
    "_thread": ("threads/signals", "imports _thread"),
    "concurrent": ("threads/signals", "imports concurrent"),
    "signal": ("threads/signals", "imports signal"),
    "sched": ("threads/signals", "imports sched"),
    "resource": ("resource limits", "imports resource"),
    "ipykernel": ("IPython machinery", "imports ipykernel"),
    "jupyter_client": ("IPython machinery", "imports jupyter_client"),
    "base64": ("obfuscation", "imports base64"),
    "codecs": ("obfuscation", "imports codecs"),
    "zlib": ("obfuscation", "imports zlib"),
}
CALLS = {
    "os.system": ("subprocess", "runs a shell command"),
    "os.popen": ("subprocess", "runs a shell command"),
    "os.fork": ("subprocess", "forks"),
    "os.forkpty": ("subprocess", "forks"),
    "os.kill": ("subprocess", "sends a signal"),
    "os.killpg": ("subprocess", "sends a signal"),
    "get_ipython.system": ("subprocess", "runs a shell command"),
    "get_ipython.getoutput": ("subprocess", "runs a shell command"),
    "os._exit": ("exits the kernel", "calls os._exit"),
    "os.abort": ("exits the kernel", "calls os.abort"),
    "sys.exit": ("exits the kernel", "calls sys.exit"),
    "exit": ("exits the kernel", "calls exit"),
    "quit": ("exits the kernel", "calls quit"),
    "signal.raise_signal": ("exits the kernel", "raises a signal"),
    "os.remove": ("file deletion", "deletes a file"),
    "os.unlink": ("file deletion", "deletes a file"),
    "os.rmdir": ("file deletion", "deletes a folder"),
    "os.removedirs": ("file deletion", "deletes folders"),
    "shutil.rmtree": ("file deletion", "deletes a folder tree"),
    "os.rename": ("file deletion", "moves a file"),
    "os.replace": ("file deletion", "moves a file"),
    "shutil.move": ("file deletion", "moves a file"),
    "os.symlink": ("file access outside its folder", "creates a symlink"),
    "os.link": ("file access outside its folder", "creates a hard link"),
    "os.chdir": ("file access outside its folder", "changes directory"),
    "os.chmod": ("file access outside its folder", "changes permissions"),
    "os.path.expanduser": ("file access outside its folder", "expands ~"),
    "pathlib.Path.home": ("file access outside its folder", "uses the home folder"),
    "os.getenv": ("environment", "reads environment variables"),
    "os.environ": ("environment", "reads environment variables"),
    "sys.settrace": ("tracing", "sets a trace function"),
    "sys.setprofile": ("tracing", "sets a profile function"),
    "threading.settrace": ("tracing", "sets a trace function"),
    "threading.setprofile": ("tracing", "sets a profile function"),
    "sys.addaudithook": ("tracing", "adds an audit hook"),
    "sys._getframe": ("introspection", "reads interpreter frames"),
    "sys.modules": ("import machinery", "touches sys.modules"),
    "sys.meta_path": ("import machinery", "touches import hooks"),
    "sys.path_hooks": ("import machinery", "touches import hooks"),
    "sys.path": ("import machinery", "changes sys.path"),
    "exec": ("dynamic code", "calls exec"),
    "eval": ("dynamic code", "calls eval"),
    "compile": ("dynamic code", "calls compile"),
    "__import__": ("dynamic code", "calls __import__"),
    "globals": ("dynamic code", "reaches globals()"),
    "vars": ("dynamic code", "reaches vars()"),
    "setattr": ("monkeypatching", "sets attributes dynamically"),
    "delattr": ("monkeypatching", "deletes attributes dynamically"),
    "types.FunctionType": ("dynamic code", "builds a function object"),
    "types.CodeType": ("dynamic code", "builds a code object"),
}
# Prefix matches: os.execv, os.spawnl, os.posix_spawn...
CALL_PREFIXES = {
    "os.exec": ("subprocess", "replaces the process"),
    "os.spawn": ("subprocess", "spawns a process"),
    "os.posix_spawn": ("subprocess", "spawns a process"),
}
# Methods that let a returned object pass comparisons it should fail.
FAKE_RESULT_METHODS = {
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__bool__",
    "__abs__",
    "__sub__",
    "__rsub__",
    "__float__",
    "__array__",
    "__array_ufunc__",
    "__array_function__",
    "__getattr__",
    "__instancecheck__",
}
SAFE_MAGICS = {"matplotlib", "time", "timeit", "precision", "pprint", "who", "whos"}
PROTECTED_BUILTINS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
} | {
    "isinstance",
    "issubclass",
    "all",
    "any",
    "abs",
    "round",
    "float",
    "int",
    "bool",
    "callable",
    "hasattr",
    "getattr",
    "type",
    "object",
    "super",
    "__import__",
    "print",
    "open",
    "exec",
    "eval",
    "compile",
    "get_ipython",
}
OUTSIDE_PATH = re.compile(r"^(/|~)\S+$|(^|[/\\])\.\.([/\\]|$)")


def _to_python(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython comes with nbgrader
        return source
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - fall back to the raw text
        return source


class _Scanner(ast.NodeVisitor):
    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.findings: list[tuple[int, str, str]] = []

    def flag(self, node: ast.AST, category: str, what: str) -> None:
        self.findings.append((getattr(node, "lineno", 0), category, what))

    # --- names --------------------------------------------------------------

    def dotted(self, node: ast.AST) -> str | None:
        """`np.testing.assert_allclose` -> "numpy.testing.assert_allclose"."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            inner = self.dotted(node.func)
            if inner is None:
                return None
            parts.append(inner)
        elif isinstance(node, ast.Name):
            parts.append(self.aliases.get(node.id, node.id))
        else:
            return None
        return ".".join(reversed(parts))

    def check_module(self, node: ast.AST, module: str) -> None:
        root = module.split(".")[0]
        if root in SUSPICIOUS_MODULES:
            category, what = SUSPICIOUS_MODULES[root]
            self.flag(node, category, what)
        if "l2course_guard" in module:
            self.flag(node, "grader guard", "imports the grader's guard")

    # --- visitors -----------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_module(node, alias.name)
            bound = alias.asname or alias.name.split(".")[0]
            self.aliases[bound] = alias.name if alias.asname else bound
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            self.flag(node, "file access outside its folder", "relative import")
        self.check_module(node, module)
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            self.check_module(node, full)
            self.aliases[alias.asname or alias.name] = full
            self.check_call_name(node, full)
        self.generic_visit(node)

    def check_call_name(self, node: ast.AST, name: str) -> None:
        if name in CALLS:
            self.flag(node, *CALLS[name])
            return
        for prefix, finding in CALL_PREFIXES.items():
            if name.startswith(prefix):
                self.flag(node, *finding)
                return

    def visit_Call(self, node: ast.Call) -> None:
        name = self.dotted(node.func)
        if name:
            self.check_call_name(node, name)
            if name.endswith(("run_line_magic", "run_cell_magic")) and node.args:
                magic = node.args[0]
                if isinstance(magic, ast.Constant) and magic.value not in SAFE_MAGICS:
                    what = f"runs the %{magic.value} magic"
                    self.flag(node, "IPython machinery", what)
            if name == "getattr" and len(node.args) >= 2:
                if not isinstance(node.args[1], ast.Constant):
                    self.flag(node, "dynamic code", "getattr with a computed name")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in IPYTHON_ATTRIBUTES:
            self.flag(node, "IPython machinery", IPYTHON_ATTRIBUTES[node.attr])
        elif node.attr in INTROSPECTION_ATTRIBUTES:
            self.flag(node, "introspection", f"uses {node.attr}")
        name = self.dotted(node)
        if name in CALLS and not isinstance(getattr(node, "ctx", None), ast.Del):
            # sys.modules, os.environ... are flagged even when not called.
            if name.count(".") and name.split(".")[-1] in ("modules", "environ"):
                self.flag(node, *CALLS[name])
            elif name in ("sys.path", "sys.meta_path", "sys.path_hooks"):
                self.flag(node, *CALLS[name])
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in ("__builtins__", "__builtin__"):
            self.flag(node, "builtins tampering", "uses __builtins__")
        if "l2course_guard" in node.id:
            self.flag(node, "grader guard", "touches the grader's guard")
        self.generic_visit(node)

    def check_target(self, target: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.check_target(element)
        elif isinstance(target, ast.Name):
            if target.id in PROTECTED_BUILTINS:
                self.flag(target, "builtins tampering", f"rebinds {target.id}")
            elif target.id.startswith("assert"):
                self.flag(target, "monkeypatching", f"rebinds {target.id}")
        elif isinstance(target, ast.Attribute):
            root = target.value
            while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                root = root.value if not isinstance(root, ast.Call) else root.func
            name = self.dotted(target) or target.attr
            if isinstance(root, ast.Name) and root.id in self.aliases:
                self.flag(target, "monkeypatching", f"replaces {name}")
            elif target.attr.startswith("__") and target.attr.endswith("__"):
                self.flag(target, "monkeypatching", f"replaces {target.attr}")
            elif isinstance(root, ast.Call):
                self.flag(target, "monkeypatching", f"replaces {name}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.check_target(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.check_target(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.check_target(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.check_target(target)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name in PROTECTED_BUILTINS or node.name.startswith("assert"):
            self.flag(node, "monkeypatching", f"defines a function named {node.name}")
        if node.name in FAKE_RESULT_METHODS:
            what = f"defines {node.name}, which can make a result pass any check"
            self.flag(node, "fake results", what)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in PROTECTED_BUILTINS:
            self.flag(node, "builtins tampering", f"defines a class named {node.name}")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id in ("SystemExit", "KeyboardInterrupt"):
            self.flag(node, "exits the kernel", f"raises {exc.id}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            text = node.value
            if "gradebook" in text.lower():
                self.flag(node, "gradebook access", f"mentions {text[:60]!r}")
            elif OUTSIDE_PATH.search(text) and len(text) < 300:
                self.flag(node, "file access outside its folder", f"path {text[:60]!r}")
            if "l2course_guard" in text:
                self.flag(node, "grader guard", "mentions the grader's guard")


# Used when a cell does not parse: the same concerns, as words.
_FALLBACK = [
    (re.compile(r"\bctypes\b|\bcffi\b"), "native code", "mentions ctypes"),
    (re.compile(r"\bsubprocess\b|os\.system|os\.popen|os\.fork"), "subprocess",
     "mentions subprocess"),
    (re.compile(r"\bsocket\b|urllib|requests\."), "network", "mentions sockets"),
    (re.compile(r"settrace|setprofile|addaudithook"), "tracing",
     "mentions tracing hooks"),
    (re.compile(r"input_transformers|ast_transformers|events\.register|"
                r"set_custom_exc|showtraceback"), "IPython machinery",
     "mentions IPython's execution machinery"),
    (re.compile(r"__builtins__|\bbuiltins\b"), "builtins tampering",
     "mentions builtins"),
    (re.compile(r"gradebook|sqlite3", re.I), "gradebook access",
     "mentions the gradebook"),
    (re.compile(r"os\._exit|sys\.exit|\bquit\(|\bexit\("), "exits the kernel",
     "mentions exiting"),
    (re.compile(r"AssertionError\s*=|testing\.\w+\s*="), "monkeypatching",
     "reassigns a test helper"),
    (re.compile(r"\bexec\(|\beval\(|__import__"), "dynamic code",
     "mentions exec/eval"),
    (re.compile(r"\.\./|['\"]/\w"), "file access outside its folder",
     "mentions a path outside its folder"),
]


def scan_source(source: str) -> list[str]:
    """Findings for one cell's source, as "line N: category: what"."""
    python = _to_python(source)
    try:
        tree = ast.parse(python)
    except SyntaxError:
        found = [
            f"{category}: {what} (code does not parse)"
            for pattern, category, what in _FALLBACK
            if pattern.search(source)
        ]
        return found
    scanner = _Scanner()
    scanner.visit(tree)
    findings: list[str] = []
    for line, category, what in sorted(scanner.findings):
        text = f"line {line}: {category}: {what}"
        if text not in findings:
            findings.append(text)
    return findings


def scan_notebook(nb: Mapping[str, Any]) -> list[str]:
    """Evidence for a review flag: suspicious code in the cells a student wrote.

    Instructor cells (tests, read-only cells) are skipped: nbgrader replaces
    them from the gradebook before running anything.
    """
    evidence: list[str] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code" or is_instructor_cell(cell):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for finding in scan_source(source):
            sentence = f"cell {index + 1}, {finding}"
            if sentence not in evidence:
                evidence.append(sentence)
    return evidence
