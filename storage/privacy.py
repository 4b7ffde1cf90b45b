"""Residents' personal numbers masked before anything they wrote is kept for, or shown to,
the 普法 team, or written to a log: mainland ID-card numbers (18 digits with the GB 11643
checksum, or the old 15 digits with a real birth date), bank-card numbers (16 to 19 digits,
Luhn verified) and mainland mobile numbers, with or without spaces and hyphens."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

# A number starts where no letter or digit comes before it, or right after a JSON escape such as
# \u8bc1 (证): logs written as JSON (Rasa's structlog) escape every Chinese character, and a
# number must not start inside such an escape either.
_START = r"(?:(?<![0-9A-Za-z])|(?<=\\u[0-9a-fA-F]{4}))"
_ID_CARD = re.compile(rf"{_START}\d{{17}}[\dXx](?![0-9A-Za-z])")
_OLD_ID_CARD = re.compile(rf"{_START}[1-8]\d{{14}}(?![0-9A-Za-z])")
_BANK_CARD = re.compile(rf"{_START}\d(?:[ -]?\d){{15,18}}(?!\d)")
_MOBILE = re.compile(rf"{_START}(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d){{8}}(?!\d)")
_CANDIDATE = re.compile(r"\d(?:[ -]?\d){10}")  # every number masked has at least 11 digits
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_id_card(number: str) -> bool:
    """GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _valid_old_id_card(number: str) -> bool:
    """The 15-digit card (before 1999) has no check digit: digits 7-12 are a birth date, 19YYMMDD."""
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _star_digits(text: str, keep_head: int, keep_tail: int) -> str:
    """Replace the digits of ``text`` with * except the first ``keep_head`` and last ``keep_tail``
    (separators stay, so the reader still sees what kind of number it was)."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit() or ch in "Xx"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _id_card(match: re.Match) -> str:
    number = match.group()
    return _star_digits(number, 3, 4) if _valid_id_card(number) else number


def _old_id_card(match: re.Match) -> str:
    number = match.group()
    return _star_digits(number, 3, 3) if _valid_old_id_card(number) else number


def _bank_card(match: re.Match) -> str:
    number = match.group()
    return _star_digits(number, 0, 4) if _luhn(re.sub(r"\D", "", number)) else number


def _mobile(match: re.Match) -> str:
    number = match.group()
    national = re.sub(r"\D", "", number)[-11:]
    head = len(re.sub(r"\D", "", number)) - 11 + 3  # keep +86 and the first three digits
    return _star_digits(number, head, 4) if national.startswith("1") else number


def mask(text: str) -> str:
    """``text`` with every ID-card, bank-card and mobile number in it masked."""
    if not _CANDIDATE.search(text):
        return text  # most log lines: one quick scan
    text = _ID_CARD.sub(_id_card, text)
    text = _OLD_ID_CARD.sub(_old_id_card, text)
    text = _BANK_CARD.sub(_bank_card, text)
    return _MOBILE.sub(_mobile, text)


class MaskingFilter(logging.Filter):
    """Masks personal numbers in a log record's message, arguments and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a bad format string: logging reports it when the record is written
        record.msg, record.args = mask(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class _MaskedRecords:
    """A log record factory that runs every new record through :class:`MaskingFilter`."""

    def __init__(self, make: Any):
        self.make = make
        self.masking = MaskingFilter()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.make(*args, **kwargs)
        self.masking.filter(record)
        return record


def mask_logs() -> None:
    """Mask every log record this process makes, as it is made: a filter on handlers would miss
    the handlers that Rasa, Sanic or coloredlogs install later, and the loggers that do not
    propagate. Idempotent."""
    if not isinstance(logging.getLogRecordFactory(), _MaskedRecords):
        logging.setLogRecordFactory(_MaskedRecords(logging.getLogRecordFactory()))
