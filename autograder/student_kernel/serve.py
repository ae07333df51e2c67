"""Runs inside the student's kernel: answers the grader's calls, nothing else.

The grading worker sends this file's source into the student's kernel before
the first cell (as module `_l2course_serve`), and, before each test cell,
runs `serve()`. `serve()` talks to the worker through `input()` prompts and
replies, one JSON message each way (format: `autograder/trusted/codec.py`):

- the worker asks `describe` (which of these names does the notebook define,
  and are they callable), `fetch` (a plain value), `call` (call a function
  with these arguments), or `stop`;
- a call's reply is its return value and the arguments as they are after
  the call (so the tests can see an array changed in place), or the name and
  message of the exception it raised; a callable argument is a callback id,
  called back across the same channel.

Nothing here is trusted. Student code can change or replace all of it; the
worker checks every message it sends, and the trusted kernel believes it only
as the value the function returned. Standard library and numpy only.
"""

import base64
import builtins
import json

import numpy


def _encode(value, depth=0):
    if depth > 64:
        raise TypeError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numpy.ndarray):
        array = numpy.array(value, order="C", copy=True)
        return {
            "array": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": array.dtype.str,
            "shape": list(array.shape),
        }
    if isinstance(value, numpy.generic):
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
        return {"list": [_encode(v, depth + 1) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {
            "dict": [
                [_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in value.items()
            ]
        }
    if isinstance(value, _Callback):
        return None
    raise TypeError(
        f"returned a {type(value).__name__}, which the grader cannot check: "
        "return numbers, strings, numpy arrays, or lists, tuples and dicts of them"
    )


def _decode(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if "complex" in value:
        return complex(*value["complex"])
    if "list" in value:
        return [_decode(v) for v in value["list"]]
    if "tuple" in value:
        return tuple(_decode(v) for v in value["tuple"])
    if "dict" in value:
        return {_decode(k): _decode(v) for k, v in value["dict"]}
    if "array" in value:
        raw = base64.b64decode(value["array"])
        array = numpy.frombuffer(raw, dtype=numpy.dtype(value["dtype"]))
        return array.reshape(tuple(value["shape"])).copy()
    if "scalar" in value:
        raw = base64.b64decode(value["scalar"])
        return numpy.frombuffer(raw, dtype=numpy.dtype(value["dtype"]))[0]
    if "callback" in value:
        return _Callback(value["callback"])
    raise ValueError("not a channel value")


def _ask(message):
    """Send one message to the worker; return the decoded reply."""
    return json.loads(_input(json.dumps(message)))


def _builtin_name(error):
    for cls in type(error).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "RuntimeError"


def _failure(error):
    return {"op": "raise", "type": _builtin_name(error), "message": str(error)[:1000]}


class _Callback:
    """A function of the test (e.g. the `f` of `numerical_grad(f, w)`)."""

    def __init__(self, ident):
        self.ident = ident

    def __call__(self, *args, **kwargs):
        reply = _ask(
            {
                "op": "callback",
                "id": self.ident,
                "args": _encode(args),
                "kwargs": _encode(kwargs),
            }
        )
        return _answer(reply)


def _answer(reply):
    """Handle requests until the reply to our own request arrives."""
    while reply.get("op") in ("call", "fetch", "describe"):
        reply = _ask(_handle(reply))
    if reply.get("op") == "return":
        return _decode(reply.get("value"))
    if reply.get("op") == "raise":
        cls = getattr(builtins, str(reply.get("type")), RuntimeError)
        raise cls(reply.get("message", ""))
    raise RuntimeError(reply.get("reason", "the grader stopped this call"))


def _namespace():
    from IPython import get_ipython

    return get_ipython().user_ns


def _handle(request):
    names = _namespace()
    op = request.get("op")
    try:
        if op == "describe":
            kinds = {}
            for name in request.get("names", []):
                if name in names:
                    kinds[name] = "callable" if callable(names[name]) else "value"
            return {"op": "described", "kinds": kinds}
        if op == "fetch":
            return {"op": "return", "value": _encode(names[request["name"]])}
        args = _decode(request.get("args", {"tuple": []}))
        kwargs = _decode(request.get("kwargs", {"dict": []}))
        value = names[request["name"]](*args, **kwargs)
        return {
            "op": "return",
            "value": _encode(value),
            "args": _encode(args),
            "kwargs": _encode(kwargs),
        }
    except Exception as error:
        return _failure(error)


_input = builtins.input


def serve():
    """Answer the worker's requests until it says stop."""
    global _input
    _input = builtins.input  # ipykernel's, set for this execution
    request = _ask({"op": "ready"})
    while request.get("op") in ("call", "fetch", "describe"):
        request = _ask(_handle(request))
