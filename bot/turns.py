"""One message of a resident at a time, so that a burst cannot stall their own conversation.

Rasa locks each conversation while it handles a message; a hundred messages sent at once from
one sender queued on that lock until their clients gave up (issue 12). Here a resident's
messages take turns in arrival order, and beyond a bound of waiting messages the router tells
the resident to slow down at once instead. Other residents never wait on them.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class SenderTurns:
    """Per-sender turns: ``full(sender)`` when ``bound`` of their messages already wait behind
    the one being handled."""

    def __init__(self, bound: int):
        self._bound = bound
        self._locks: dict[str, asyncio.Lock] = {}
        self._queued: Counter[str] = Counter()  # handled now or waiting, per sender

    def full(self, sender: str) -> bool:
        return self._queued[sender] > self._bound

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[None]:
        """Wait for the sender's earlier messages (first come, first served: asyncio.Lock is fair)."""
        self._queued[sender] += 1
        lock = self._locks.setdefault(sender, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            self._queued[sender] -= 1
            if not self._queued[sender]:  # nobody of theirs waits: forget them
                del self._queued[sender], self._locks[sender]
