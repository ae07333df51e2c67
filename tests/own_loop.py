"""Run a coroutine on a thread of its own.

With pytest-xdist, a worker that ran a browser test keeps Playwright's sync
event loop running in its main thread, where `asyncio.run` then refuses to
start. Production never meets this: each submission is graded in a forked
process with no loop of its own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")
