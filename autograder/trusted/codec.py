"""The channel's data format: plain data as JSON, nothing that can run.

A value on the channel is one of: None, a bool, an int, a float, a str,
``{"complex": [re, im]}``, ``{"list": [...]}``, ``{"tuple": [...]}``,
``{"dict": [[key, value], ...]}``, a numeric numpy array
``{"array": base64, "dtype": "<f8", "shape": [...]}``, a numpy scalar
``{"scalar": base64, "dtype": "<f8"}``, and, from the trusted side only, a
callable argument ``{"callback": id}``. No pickle, no objects, no code.

`canonical()` is what the grading worker applies to every message that comes
from a student's kernel: it checks the limits (size, nesting, items, numeric
dtypes only) and rebuilds the message from the checked parts, so what reaches
the trusted kernel is data the grader itself wrote. `encode()` and `decode()`
run inside the trusted kernel, which is why this module needs only the
standard library and numpy.
"""

from __future__ import annotations

import base64
import binascii
import builtins
import json
import math
from typing import Any

import numpy as np

NUMERIC_KINDS = "biufc"  # bool, signed, unsigned, float, complex


class ChannelError(ValueError):
    """A message broke the channel's rules; the words say which."""


def _exception_names() -> frozenset[str]:
    names = set()
    for name in dir(builtins):
        value = getattr(builtins, name)
        if isinstance(value, type) and issubclass(value, Exception):
            names.add(name)
    # Not ordinary failures of a function: they would change how the trusted
    # test code runs (iteration, groups), so they arrive as RuntimeError.
    return frozenset(names - {"StopIteration", "StopAsyncIteration"}) - {
        name for name in names if "Group" in name
    }


EXCEPTION_NAMES = _exception_names()


def _array_dtype(text: Any) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise ChannelError("an array's dtype must be a short string")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise ChannelError(f"unknown dtype {text[:8]!r}") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.shape:
        raise ChannelError(f"only numeric arrays can be sent, not dtype {dtype}")
    return dtype


class _Budget:
    def __init__(self, limits: dict) -> None:
        self.depth = int(limits["depth"])
        self.items = int(limits["items"])
        self.left = self.items

    def take(self, count: int) -> None:
        self.left -= count
        if count > self.items or self.left < 0:
            raise ChannelError(f"more than {self.items} items")


def _check(value: Any, budget: _Budget, depth: int, callbacks: bool) -> Any:
    """The canonical copy of one encoded value, or ChannelError."""
    if depth > budget.depth:
        raise ChannelError(f"nested more than {budget.depth} levels deep")
    budget.take(1)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if not isinstance(value, dict) or len(value) not in (1, 2, 3):
        raise ChannelError("not a value the channel carries")
    if set(value) == {"complex"}:
        parts = value["complex"]
        if not (
            isinstance(parts, list)
            and len(parts) == 2
            and all(
                isinstance(p, (int, float)) and not isinstance(p, bool) for p in parts
            )
        ):
            raise ChannelError("a complex number is [real, imaginary]")
        return {"complex": [float(parts[0]), float(parts[1])]}
    for kind in ("list", "tuple"):
        if set(value) == {kind}:
            items = value[kind]
            if not isinstance(items, list):
                raise ChannelError(f"a {kind} must hold a list")
            budget.take(len(items))
            return {
                kind: [_check(item, budget, depth + 1, callbacks) for item in items]
            }
    if set(value) == {"dict"}:
        pairs = value["dict"]
        if not isinstance(pairs, list):
            raise ChannelError("a dict must hold a list of pairs")
        budget.take(len(pairs))
        checked = []
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ChannelError("a dict entry must be a [key, value] pair")
            key = pair[0]
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise ChannelError("dict keys must be None, numbers or strings")
            checked.append(
                [
                    _check(key, budget, depth + 1, False),
                    _check(pair[1], budget, depth + 1, callbacks),
                ]
            )
        return {"dict": checked}
    if set(value) == {"array", "dtype", "shape"}:
        dtype = _array_dtype(value["dtype"])
        shape = value["shape"]
        if not (
            isinstance(shape, list)
            and len(shape) <= 32
            and all(
                isinstance(n, int) and not isinstance(n, bool) and 0 <= n for n in shape
            )
        ):
            raise ChannelError("an array's shape must be a list of sizes")
        raw = _b64(value["array"])
        if len(raw) != math.prod(shape) * dtype.itemsize:
            raise ChannelError("an array's data does not match its shape and dtype")
        budget.take(math.prod(shape) // 64)
        return {
            "array": base64.b64encode(raw).decode("ascii"),
            "dtype": dtype.str,
            "shape": [int(n) for n in shape],
        }
    if set(value) == {"scalar", "dtype"}:
        dtype = _array_dtype(value["dtype"])
        raw = _b64(value["scalar"])
        if len(raw) != dtype.itemsize:
            raise ChannelError("a scalar's data does not match its dtype")
        return {"scalar": base64.b64encode(raw).decode("ascii"), "dtype": dtype.str}
    if callbacks and set(value) == {"callback"} and type(value["callback"]) is int:
        return {"callback": int(value["callback"])}
    raise ChannelError("not a value the channel carries")


def _b64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ChannelError("array data must be base64 text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ChannelError("array data is not valid base64") from None


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def canonical(text: str, limits: dict) -> dict:
    """Check one message from a student's kernel and rebuild it from scratch.

    `limits` has "bytes", "depth", "items" and "message_chars". Returns the
    message the grader forwards; raises ChannelError when a rule is broken.
    """
    if not isinstance(text, str) or len(text) > int(limits["bytes"]):
        raise ChannelError(f"a message was larger than {limits['bytes']} bytes")
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        raise ChannelError("a message was not valid JSON") from None
    if not isinstance(message, dict):
        raise ChannelError("a message must be a JSON object")
    budget = _Budget(limits)
    op = message.get("op")
    if op == "ready":
        return {"op": "ready"}
    if op == "return":
        result = {
            "op": "return",
            "value": _check(message.get("value"), budget, 0, False),
        }
        for key in ("args", "kwargs"):
            if key in message:
                result[key] = _check(message[key], budget, 0, False)
        return result
    if op == "raise":
        name = message.get("type")
        return {
            "op": "raise",
            "type": name if name in EXCEPTION_NAMES else "RuntimeError",
            "message": _text(message.get("message"), int(limits["message_chars"])),
        }
    if op == "described":
        kinds = message.get("kinds")
        if not isinstance(kinds, dict) or len(kinds) > budget.items:
            raise ChannelError("a description must map names to kinds")
        return {
            "op": "described",
            "kinds": {
                str(name)[:200]: kind
                for name, kind in kinds.items()
                if kind in ("callable", "value")
            },
        }
    if op == "callback":
        ident = message.get("id")
        if type(ident) is not int:
            raise ChannelError("a callback needs its id")
        return {
            "op": "callback",
            "id": ident,
            "args": _check(message.get("args", {"tuple": []}), budget, 0, False),
            "kwargs": _check(message.get("kwargs", {"dict": []}), budget, 0, False),
        }
    raise ChannelError("a message had an unknown kind")


# --- inside the trusted kernel ------------------------------------------------


def encode(value: Any, callbacks: list | None = None, depth: int = 0) -> Any:
    """The channel form of a value the trusted side sends (test inputs).

    A callable is registered in `callbacks` and sent as its index; anything
    else that is not plain data raises TypeError.
    """
    if depth > 64:
        raise TypeError("the value is nested too deeply for the grader's channel")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.ndarray):
        array = np.array(value, order="C", copy=True)  # keeps 0-d arrays 0-d
        _array_dtype(array.dtype.str)
        return {
            "array": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": array.dtype.str,
            "shape": list(array.shape),
        }
    if isinstance(value, np.generic):
        _array_dtype(value.dtype.str)
        return {
            "scalar": base64.b64encode(value.tobytes()).decode("ascii"),
            "dtype": value.dtype.str,
        }
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return {"complex": [value.real, value.imag]}
    if isinstance(value, list):
        return {"list": [encode(v, callbacks, depth + 1) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v, callbacks, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {
            "dict": [
                [encode(k, None, depth + 1), encode(v, callbacks, depth + 1)]
                for k, v in value.items()
            ]
        }
    if callable(value) and callbacks is not None:
        callbacks.append(value)
        return {"callback": len(callbacks) - 1}
    raise TypeError(
        f"the grader's channel carries plain data only, not {type(value).__name__}"
    )


def decode(value: Any, callbacks: list | None = None) -> Any:
    """The Python value of a canonical channel value (see `canonical`)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if "complex" in value:
        return complex(*value["complex"])
    if "list" in value:
        return [decode(v, callbacks) for v in value["list"]]
    if "tuple" in value:
        return tuple(decode(v, callbacks) for v in value["tuple"])
    if "dict" in value:
        return {decode(k): decode(v, callbacks) for k, v in value["dict"]}
    if "array" in value:
        raw = base64.b64decode(value["array"])
        array = np.frombuffer(raw, dtype=np.dtype(value["dtype"]))
        return array.reshape(tuple(value["shape"])).copy()
    if "scalar" in value:
        raw = base64.b64decode(value["scalar"])
        return np.frombuffer(raw, dtype=np.dtype(value["dtype"]))[0]
    if "callback" in value and callbacks is not None:
        return callbacks[value["callback"]]
    raise ValueError("not a channel value")


def error_from(name: str, message: str) -> BaseException:
    """A built-in exception of that name (RuntimeError for any other name)."""
    cls = getattr(builtins, name, None) if name in EXCEPTION_NAMES else None
    if cls is None:
        return RuntimeError(f"{name}: {message}" if message else name)
    try:
        return cls(message)
    except TypeError:  # e.g. UnicodeDecodeError takes five arguments
        return RuntimeError(f"{name}: {message}")
