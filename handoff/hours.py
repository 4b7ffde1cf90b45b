"""Advisers' working hours, written as residents' offices post them: "mon-fri 09:00-12:00,14:00-17:30".

Days are a range or a comma list of mon…sun, or "daily"; times are local, in the zone the
settings give (Asia/Shanghai by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from texts import residents

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^\s*(?P<days>[a-z,\-]+)\s+(?P<spans>[\d:,\-\s]+)$")


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= value <= 24 * 60 or int(minutes) >= 60:
        raise ValueError(f"not a time of day: {text!r}")
    return value


def _days(text: str) -> frozenset[int]:
    if text == "daily":
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)])
    return frozenset(days)


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]
    spans: tuple[tuple[int, int], ...]  # minutes after midnight, [start, end)

    @classmethod
    def parse(cls, spec: str) -> WorkingHours:
        match = _SPEC.match(spec.lower())
        if not match:
            raise ValueError(f"working hours must look like 'mon-fri 09:00-18:00', not {spec!r}")
        try:
            spans = tuple(
                (_minutes(a), _minutes(b)) for a, b in (span.split("-") for span in match["spans"].split(","))
            )
            days = _days(match["days"])
        except ValueError as error:
            raise ValueError(f"working hours {spec!r}: {error}") from error
        if not spans or any(start >= end for start, end in spans):
            raise ValueError(f"working hours {spec!r}: each span must end after it starts")
        return cls(days, spans)

    def open_at(self, moment: datetime, zone: ZoneInfo) -> bool:
        local = moment.astimezone(zone)
        minute = local.hour * 60 + local.minute
        return local.weekday() in self.days and any(start <= minute < end for start, end in self.spans)

    def next_opening(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """The next time these hours start (``moment`` itself if they are open then)."""
        if self.open_at(moment, zone):
            return moment
        local = moment.astimezone(zone)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            if day.weekday() not in self.days:
                continue
            for start, _ in sorted(self.spans):
                opening = datetime.combine(day, time(start // 60, start % 60), tzinfo=local.tzinfo)
                if opening > local:
                    return opening
        raise ValueError("working hours without any open day")


def describe(moment: datetime, zone: ZoneInfo) -> str:
    """A resident-friendly time, e.g. 周一 09:00."""
    local = moment.astimezone(zone)
    return f"{residents.DAY_NAMES[local.weekday()]} {local:%H:%M}"
