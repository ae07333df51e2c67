"""Friendly failures for the exercises' hidden tests.

A hidden test that fails should tell the student which property of their
function broke, in a sentence they can act on. It should not print the hidden
test's expected array, which is what ``np.testing.assert_allclose`` does by
default. Each check therefore runs inside ``expect(message)``: whatever goes
wrong inside the block, the student sees only ``message``.

These helpers check answers; they hold none. Reference answers live only in
the solution blocks of the source notebooks, which nbgrader strips.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


class PropertyFailed(AssertionError):
    """A property of the student's function did not hold.

    It subclasses AssertionError so that nbgrader, pytest and a student reading
    the traceback all treat it as an ordinary failed test.
    """


@contextmanager
def expect(message: str) -> Iterator[None]:
    """Run a block of checks; if anything in it fails, fail with ``message``.

    An ``AssertionError`` raised inside the block (a plain ``assert`` or one of
    ``np.testing``'s) becomes ``PropertyFailed(message)``, with the original
    error and its arrays dropped (``from None``). Any other exception, which
    usually comes from the student's own code, keeps its type and text
    because those help them find the bug.

    Warnings raised inside the block are silenced: nbgrader gives zero points
    to a test cell that writes to stderr, and a warning (say, a division by
    zero) is a symptom; the check that follows names the real problem.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except AssertionError:
            raise PropertyFailed(message) from None
        except Exception as error:  # any crash: report it in words
            detail = f"{type(error).__name__}: {error}".rstrip(": ")
            raise PropertyFailed(
                f"{message} (The check stopped with {detail}.)"
            ) from None


@contextmanager
def expect_raises(error_type: type[BaseException], message: str) -> Iterator[None]:
    """Check that the block raises ``error_type``; otherwise fail with ``message``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        except error_type:
            return
        except Exception as error:  # a different error is a failure
            raise PropertyFailed(
                f"{message} (It raised {type(error).__name__} instead.)"
            ) from None
    raise PropertyFailed(f"{message} (Nothing was raised.)")


def _show_message_only(shell, etype, value, tb, tb_offset=None):
    """IPython handler for PropertyFailed: show the sentence, not the traceback.

    A traceback quotes the source lines around the failing call, and in a
    hidden test those lines are the hidden test. The message alone says what
    to fix. The output is still an error, so nbgrader still scores it zero.
    """
    lines = shell.InteractiveTB.get_exception_only(etype, value)
    # _showtraceback is the hook ipykernel overrides to send an error output;
    # the public showtraceback(exception_only=True) would add a "%tb" hint
    # that leads nowhere in a graded notebook.
    shell._showtraceback(etype, value, lines)


def _install_ipython_handler() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the default traceback is fine
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return
    # Leave alone a handler someone else installed for other exceptions.
    if shell.custom_exceptions in ((), (PropertyFailed,)):
        shell.set_custom_exc((PropertyFailed,), _show_message_only)


_install_ipython_handler()
