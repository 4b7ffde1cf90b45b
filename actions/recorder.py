"""The record of what each message led to (for the console) is written beside the reply, never
in its way: one background writer keeps the records in order, and a record that cannot be
written is logged, never the resident's problem."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage.db import Database

log = logging.getLogger(__name__)


class Recorder:
    def __init__(self, db: Database):
        self._db = db
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="records")

    def write(self, change: Callable[[Session], object]) -> None:
        """Apply ``change`` in a transaction of its own, after the ones submitted before it."""
        self._writer.submit(self._apply, change)

    def _apply(self, change: Callable[[Session], object]) -> None:
        try:
            with self._db.session() as s, s.begin():
                change(s)
        except SQLAlchemyError:
            log.exception("could not write a consultation record; the resident was answered all the same")
