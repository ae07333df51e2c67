"""Which names of a test cell may stand for the student's work."""

from __future__ import annotations

import ast
import builtins


def _parse(source: str) -> ast.AST | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:  # a test cell may use IPython syntax (%magics)
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ImportError):
        return None


def _names(source: str) -> tuple[list[str], set[str]]:
    """(names read, names bound) anywhere in a cell."""
    tree = _parse(source)
    if tree is None:
        return [], set()
    read: list[str] = []
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                read.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read, bound


def bound_names(source: str) -> set[str]:
    """Every name a cell binds (defines, assigns, imports)."""
    return _names(source)[1]


def free_names(source: str) -> list[str]:
    """Names the test reads and never binds itself, builtins excluded.

    These are the names a proxy may be bound to; the trusted kernel skips
    those its own set-up cells and earlier tests already define.
    """
    read, bound = _names(source)
    return [
        name
        for name in dict.fromkeys(read)
        if name not in bound and not hasattr(builtins, name)
    ]
