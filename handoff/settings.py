"""The handoff's timers, from the environment (seconds), so each office can set its own."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


def _seconds(name: str, default: float) -> timedelta:
    return timedelta(seconds=float(os.environ.get(name, default)))


@dataclass(frozen=True)
class HandoffSettings:
    offer_timeout: timedelta = timedelta(minutes=10)  # an adviser may take a case before it moves on
    first_response: timedelta = timedelta(minutes=30)  # after taking a case, the adviser's first reply
    next_response: timedelta = timedelta(hours=2)  # after each resident message
    inactivity_close: timedelta = timedelta(hours=72)  # the resident's silence that ends a case
    tick: float = 2.0  # how often the timers are checked

    @classmethod
    def from_env(cls) -> "HandoffSettings":
        return cls(offer_timeout=_seconds("LEGALBOT_OFFER_TIMEOUT", 600),
                   first_response=_seconds("LEGALBOT_FIRST_RESPONSE", 1800),
                   next_response=_seconds("LEGALBOT_NEXT_RESPONSE", 7200),
                   inactivity_close=_seconds("LEGALBOT_INACTIVITY_CLOSE", 72 * 3600),
                   tick=float(os.environ.get("LEGALBOT_TIMER_TICK", 2.0)))
