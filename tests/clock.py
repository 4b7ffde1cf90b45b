"""A clock a test moves by hand, so that timers are driven rather than waited for."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.db import utcnow


class Clock:
    """The real time plus however far the test has moved it."""

    def __init__(self) -> None:
        self.offset = timedelta()

    @classmethod
    def at(cls, moment: datetime) -> Clock:
        """A clock that reads ``moment`` now and runs on from there (a given weekday and hour)."""
        clock = cls()
        clock.offset = moment - utcnow()
        return clock

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by
