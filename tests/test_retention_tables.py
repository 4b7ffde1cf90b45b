"""Every table that keeps what residents wrote has a retention period, applied by the one
retention job (ops/retention.py) on a clock the test moves: real SQLite and PostgreSQL, and
Rasa's own tracker store."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.telegram.models import InboundUpdate
from handoff.models import CaseStatus
from ops.retention import Retention, prune_all
from storage.db import Database
from tests.clock import Clock
from tests.privacy_seed import needle, rows_of, seed, tables_holding

DAY = timedelta(days=1)
CASE_TABLES = {"cases", "case_messages", "case_events", "audit_log"}


def test_each_kind_of_record_goes_after_its_own_period_and_open_cases_stay(db_url, tmp_path):
    retention = Retention(Database(db_url), f"sqlite:///{tmp_path / 'conversations.db'}")  # 30, 90, 7, 365 days
    db, tracker = retention.db, retention.tracker_store_url
    clock = Clock()
    seed(db, tracker, 555, clock(), CaseStatus.resolved)
    seed(db, tracker, 666, clock(), CaseStatus.waiting_for_adviser)  # still with an adviser

    def after(days: int) -> set[str]:
        clock.advance(days * DAY - clock.offset)
        prune_all(retention, clock())
        return tables_holding(db, tracker, needle(555))

    assert after(6) == {"events", "telegram_updates", "telegram_delivery_failures", *CASE_TABLES}
    assert after(8) == {"events", *CASE_TABLES}  # Telegram's copies: 7 days
    with db.session() as s:
        assert len(s.scalars(select(InboundUpdate)).all()) == 4  # blanked, kept for the once-only handling
    assert after(31) == CASE_TABLES  # the conversation: 30 days
    assert rows_of(db, 555) == {"consultations": 1, "feedback": 1}
    assert after(91) == CASE_TABLES
    assert rows_of(db, 555) == {"consultations": 0, "feedback": 0}  # what residents asked: 90 days
    assert after(366) == set()  # a closed case: 365 days after it closed
    assert tables_holding(db, tracker, needle(666)) == CASE_TABLES  # open: kept


def test_the_retention_periods_are_settings(tmp_path):
    from config.settings import Settings

    settings = Settings.from_env(
        {
            "LEGALBOT_CONVERSATION_DAYS": "10",
            "LEGALBOT_CONSULTATION_DAYS": "20",
            "LEGALBOT_TELEGRAM_DAYS": "3",
            "LEGALBOT_CASE_DAYS": "40",
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'c.db'}",
        }
    )
    retention = Retention.of(settings)
    assert (retention.conversation_days, retention.consultation_days, retention.telegram_days, retention.case_days) == (
        10,
        20,
        3,
        40,
    )


def test_the_prune_command_applies_every_period_and_prints_the_rows_per_table(tmp_path, monkeypatch, capsys):
    from ops.cli import main

    db, tracker = Database(f"sqlite:///{tmp_path / 'kb.db'}"), f"sqlite:///{tmp_path / 'conversations.db'}"
    seed(db, tracker, 888, Clock()() - 400 * DAY, CaseStatus.resolved)
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("TRACKER_STORE_URL", tracker)
    assert main(["conversations", "prune"]) == 0
    assert capsys.readouterr().out == (
        "deleted past their retention periods: events (conversations) 1, consultations 1, feedback 1, "
        "telegram_updates 2, telegram_delivery_failures 1, case_messages 1, case_offers 0, case_events 2, cases 1, "
        "audit_log (details blanked) 2\n"
    )
    assert tables_holding(db, tracker, needle(888)) == set()
