"""/forget and `legalbot residents forget`: one resident's data leaves every table and Rasa's
tracker store, the others' stays, and the audit log says who, when and how many rows, on both
databases the product supports."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from bot.forget import Forgetting
from bot.router import FORGET, FORGET_CONFIRM, FORGET_KEEP, Inbound, Router
from bot.telegram.models import InboundUpdate
from config.settings import HandoffSettings
from handoff.models import AuditEntry, CaseStatus
from storage.db import Database, utcnow
from tests.privacy_seed import ID_CARD, KEY, needle, rows_of, seed, tables_holding
from texts import residents

EVERY_TABLE = {
    "events",
    "telegram_updates",
    "telegram_delivery_failures",
    "cases",
    "case_messages",
    "case_events",
    "audit_log",  # an adviser's outcome quoting the resident
}

PRESSED = Inbound(typed=False)  # the /forget command and its buttons, not typed text


def _forgetting(db_url: str, tmp_path) -> Forgetting:
    return Forgetting(Database(db_url), f"sqlite:///{tmp_path / 'conversations.db'}", KEY)


def test_forgetting_a_resident_deletes_their_data_everywhere_and_only_theirs(db_url, tmp_path):
    forgetting = _forgetting(db_url, tmp_path)
    db, tracker = forgetting.db, forgetting.tracker_store_url
    seed(db, tracker, 111, utcnow(), CaseStatus.resolved)
    seed(db, tracker, 222, utcnow(), CaseStatus.resolved)
    assert tables_holding(db, tracker, needle(111)) == EVERY_TABLE
    assert rows_of(db, 111) == {"consultations": 1, "feedback": 1}

    counts = forgetting.forget("tg-111", "admin:ops")

    assert tables_holding(db, tracker, needle(111)) == set()
    assert rows_of(db, 111) == {"consultations": 0, "feedback": 0}
    assert tables_holding(db, tracker, needle(222)) == EVERY_TABLE  # the other resident keeps theirs
    assert rows_of(db, 222) == {"consultations": 1, "feedback": 1}
    assert counts == {
        "events": 1,
        "case_messages": 1,
        "case_offers": 0,
        "case_events": 2,  # opened, and the seeded note
        "cases": 1,
        "audit_log (details blanked)": 2,  # the request for a person, the outcome
        "consultations": 1,
        "feedback": 1,
        "telegram_updates": 2,
        "telegram_delivery_failures": 1,
    }
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "forget_resident")).one()
        assert entry.actor == "admin:ops" and json.loads(entry.detail)["rows"] == counts
        assert "111" not in entry.detail and ID_CARD not in entry.detail
        assert len(s.scalars(select(InboundUpdate)).all()) == 4  # the rows stay, for the once-only handling


def _router(db_url: str, tmp_path, forgetting: Forgetting | None) -> Router:
    return Router("http://127.0.0.1:9", Database(db_url), HandoffSettings(), attempts=1, forgetting=forgetting)


def test_forget_asks_first_and_deletes_only_when_confirmed(db_url, tmp_path):
    forgetting = _forgetting(db_url, tmp_path)
    seed(forgetting.db, forgetting.tracker_store_url, 333, utcnow(), CaseStatus.resolved)
    router = _router(db_url, tmp_path, forgetting)

    async def scenario() -> None:
        ask = (await router.handle("tg-333", FORGET, PRESSED))[0]
        assert ask.text == residents.FORGET_ASK
        assert [b["payload"] for b in ask.buttons] == [FORGET_CONFIRM, FORGET_KEEP]
        assert [r.text for r in await router.handle("tg-333", FORGET_KEEP, PRESSED)] == [residents.FORGET_KEPT]
        assert tables_holding(forgetting.db, forgetting.tracker_store_url, needle(333)) == EVERY_TABLE
        assert [r.text for r in await router.handle("tg-333", FORGET_CONFIRM, PRESSED)] == [residents.FORGOTTEN]
        assert tables_holding(forgetting.db, forgetting.tracker_store_url, needle(333)) == set()
        await router.aclose()

    asyncio.run(scenario())
    with forgetting.db.session() as s:
        assert s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "forget_resident")).all() == ["resident"]


def test_a_resident_whose_case_is_open_is_asked_to_end_it_first(db_url, tmp_path):
    forgetting = _forgetting(db_url, tmp_path)
    seed(forgetting.db, forgetting.tracker_store_url, 444, utcnow(), CaseStatus.waiting_for_adviser)
    router = _router(db_url, tmp_path, forgetting)

    async def scenario() -> None:
        for step in (FORGET, FORGET_CONFIRM):
            assert [r.text for r in await router.handle("tg-444", step, PRESSED)] == [residents.FORGET_IN_CASE]
        await router.aclose()

    asyncio.run(scenario())
    assert tables_holding(forgetting.db, forgetting.tracker_store_url, needle(444)) == EVERY_TABLE


def test_a_channel_that_cannot_forget_says_whom_to_ask(tmp_path):
    router = _router(f"sqlite:///{tmp_path / 'kb.db'}", tmp_path, None)

    async def scenario() -> None:
        assert [r.text for r in await router.handle("console-li", FORGET, PRESSED)] == [residents.FORGET_UNAVAILABLE]
        await router.aclose()

    asyncio.run(scenario())


def test_the_admin_command_forgets_a_resident_and_says_how_many_rows(db_url, tmp_path, monkeypatch, capsys):
    from ops.cli import main

    forgetting = _forgetting(db_url, tmp_path)
    seed(forgetting.db, forgetting.tracker_store_url, 777, utcnow(), CaseStatus.waiting_for_adviser)
    for name, value in {
        "DATABASE_URL": db_url,
        "TRACKER_STORE_URL": forgetting.tracker_store_url,
        "LEGALBOT_SENDER_HASH_KEY": KEY,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["residents", "forget", "tg-777"]) == 0
    assert "forgot tg-777: events 1, case_messages 1, case_offers 0, case_events 2, cases 1" in capsys.readouterr().out
    assert tables_holding(forgetting.db, forgetting.tracker_store_url, needle(777)) == set()  # an open case too
    assert rows_of(forgetting.db, 777) == {"consultations": 0, "feedback": 0}
    with forgetting.db.session() as s:
        assert (
            s.scalars(select(AuditEntry.actor).where(AuditEntry.action == "forget_resident")).one().startswith("admin:")
        )
