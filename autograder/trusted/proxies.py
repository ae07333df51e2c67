"""Runs inside the trusted kernel: the student's names, as proxies.

The trusted kernel runs the release's set-up cells and the test cells, and
never any student code. Before each test cell the worker runs
`prepare(names)` with the names the test reads that nothing instructor-written
defines. Each one the student's notebook defines becomes a `StudentFunction`
(calling it asks the student's kernel to call the real one) or, for a plain
value, a fresh copy fetched once.

Requests go out through `input()`: the worker, which runs this kernel with
stdin allowed, relays them to the student's kernel and answers with the
student's reply after checking it (`codec.canonical`). The kernel receives
the worker's module source with `codec.py` first, as one module.
"""

from __future__ import annotations

import builtins
import json

import numpy as np

if __name__ != "_l2course_trusted":  # imported normally (tests, linters)
    from .codec import decode, encode, error_from


class GradingStopped(BaseException):
    """The student's kernel died, ran out of time or broke the channel's
    rules; this test and the ones after it fail. A BaseException, so that no
    `except Exception` in a test turns it into a pass."""


_installed: dict[str, object] = {}


def _request(message: dict, callbacks: list) -> object:
    """Send one request; run callbacks the student's code makes meanwhile."""
    reply = json.loads(builtins.input(json.dumps(message)))
    while reply.get("op") == "callback":
        try:
            function = callbacks[reply["id"]]
            args = decode(reply.get("args"), callbacks)
            kwargs = decode(reply.get("kwargs"), callbacks)
            answer = {"op": "return", "value": encode(function(*args, **kwargs))}
        except GradingStopped:
            raise
        except Exception as error:
            answer = {
                "op": "raise",
                "type": type(error).__name__,
                "message": str(error),
            }
        reply = json.loads(builtins.input(json.dumps(answer)))
    if reply.get("op") in ("return", "described"):
        return reply
    if reply.get("op") == "raise":
        raise error_from(reply.get("type", ""), reply.get("message", ""))
    raise GradingStopped(reply.get("reason", "the student's kernel stopped answering"))


def _mirror(original: object, after: object) -> None:
    """Write into the test's own arrays what the student's function did to
    them, so that "must not modify its input" checks see the change."""
    if isinstance(original, np.ndarray) and isinstance(after, np.ndarray):
        if original.shape == after.shape and original.flags.writeable:
            same = original.dtype == after.dtype and np.array_equal(
                original, after, equal_nan=original.dtype.kind in "fc"
            )
            if not same:
                original[...] = after
    elif isinstance(original, list) and isinstance(after, list):
        if len(original) == len(after):
            for item, changed in zip(original, after, strict=True):
                _mirror(item, changed)
        else:
            original[:] = after
    elif isinstance(original, tuple) and isinstance(after, tuple):
        for item, changed in zip(original, after, strict=False):
            _mirror(item, changed)
    elif isinstance(original, dict) and isinstance(after, dict):
        for key in list(original):
            if key not in after:
                del original[key]
        for key, changed in after.items():
            if key in original:
                _mirror(original[key], changed)
            else:
                original[key] = changed


class StudentFunction:
    """Stands for a function of the student's notebook in a test."""

    def __init__(self, name: str) -> None:
        self.__name__ = self.name = name

    def __repr__(self) -> str:
        return f"<student function {self.name}>"

    def __call__(self, *args, **kwargs):
        callbacks: list = []
        message = {
            "op": "call",
            "name": self.name,
            "args": encode(args, callbacks),
            "kwargs": encode(kwargs, callbacks),
        }
        reply = _request(message, callbacks)
        if "args" in reply:
            _mirror(args, decode(reply["args"]))
        if "kwargs" in reply:
            _mirror(kwargs, decode(reply["kwargs"]))
        return decode(reply.get("value"))


def prepare(names: list[str]) -> None:
    """Bind the student's names this test reads, fresh for each test cell."""
    namespace = get_ipython().user_ns  # noqa: F821 (IPython's builtin)
    for name, proxy in list(_installed.items()):
        if namespace.get(name) is proxy:
            del namespace[name]
    _installed.clear()
    wanted = [
        name for name in names if name not in namespace and not hasattr(builtins, name)
    ]
    if not wanted:
        return
    kinds = _request({"op": "describe", "names": wanted}, [])["kinds"]
    for name in wanted:
        kind = kinds.get(name)
        if kind == "callable":
            value = StudentFunction(name)
        elif kind == "value":
            value = decode(_request({"op": "fetch", "name": name}, []).get("value"))
        else:
            continue
        namespace[name] = value
        _installed[name] = value


def reset() -> None:
    """A fresh namespace for the next student (the kernel is reused)."""
    get_ipython().run_line_magic("reset", "-f")  # noqa: F821
    _installed.clear()
