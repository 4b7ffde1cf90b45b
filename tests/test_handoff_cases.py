"""A case's life on real SQLite and PostgreSQL: messages while waiting, the stored timers, the
allowed moves, intake and consent, and the office's commands."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from handoff import intake
from handoff.cases import InvalidTransition, move, move_message, open_intake, queue, record_delivered, return_to_queue
from handoff.conversation import from_adviser, from_resident
from handoff.models import Adviser, Case, CaseMessage, CaseOffer, Direction, MessageStatus
from handoff.routing import submit, take
from handoff.timers import run_due
from storage.db import Database
from tests.handoff_helpers import MONDAY_10, SETTINGS, adviser, new_case, offers, taken_case, village
from texts import residents


# --- the conversation and its timers ----------------------------------------------------------
def test_messages_sent_while_waiting_reach_the_adviser_who_takes_the_case(registry):
    with Database(registry).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, MONDAY_10)
        assert (
            from_resident(s, case, "仲有一件事", (4242, 7), False, SETTINGS, MONDAY_10) == residents.WAITING_FOR_ADVISER
        )
        assert from_resident(s, case, "仲有一件事", (4242, 7), False, SETTINGS, MONDAY_10) is None  # redelivered
        chen = adviser(s, "chh-chen")
        take(s, case.id, chen, SETTINGS, MONDAY_10)
        relayed = s.scalars(select(CaseMessage).where(CaseMessage.source_message_id == 7)).one()
        assert (relayed.chat_id, relayed.status) == (chen.telegram_user_id, "pending")
        assert case.status == "waiting_for_adviser"


def test_reminders_and_inactivity_come_from_the_stored_timers(registry):
    with Database(registry).session() as s, s.begin():
        case, chen = taken_case(s)
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=31))  # no first reply yet
        reminders = s.scalars(
            select(CaseMessage.text).where(CaseMessage.chat_id == chen.telegram_user_id, CaseMessage.text.like("提醒%"))
        ).all()
        assert len(reminders) == 1
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=45))
        assert s.scalars(select(CaseMessage.text).where(CaseMessage.text.like("提醒%"))).all() == reminders  # once
        from_adviser(s, case, chen, "请讲讲详情", (chen.telegram_user_id, 9), False, SETTINGS, MONDAY_10)
        run_due(s, SETTINGS, MONDAY_10 + timedelta(hours=71))
        assert case.status == "waiting_for_resident"
        run_due(s, SETTINGS, MONDAY_10 + timedelta(hours=73))
        assert case.status == "abandoned"
        told = s.scalars(select(CaseMessage.text).where(CaseMessage.chat_id == 4242)).all()
        assert any("很久没有新消息" in t for t in told)


def test_a_case_moves_only_along_its_life(registry):
    with Database(registry).session() as s, s.begin():
        case, _ = taken_case(s)
        with pytest.raises(InvalidTransition):
            move(s, case, "intake", "system")
        move(s, case, "resolved", "adviser:chh-chen")
        with pytest.raises(InvalidTransition):
            move(s, case, "waiting_for_adviser", "resident")


# --- intake -------------------------------------------------------------------------------------
def test_intake_asks_district_village_and_consent_before_anyone_sees_the_case(registry):
    with Database(registry).session() as s, s.begin():
        case = open_intake(s, "tg-5151", "civil.property", "request", [])
        first = intake.start(s, case, MONDAY_10)[0]
        assert "从化区" in [b["title"] for b in first.buttons]
        village_question = intake.step(s, case, "#district:从化区", SETTINGS, MONDAY_10)[0]
        assert "哪个村" in village_question.text
        pick = intake.step(s, case, "南坑", SETTINGS, MONDAY_10)[0]  # unsure: the resident picks
        assert pick.text == residents.PICK_VILLAGE and len(pick.buttons) >= 2
        nanping = village(s, "chh-wq-nanping")
        consent = intake.step(s, case, f"#village:{nanping.id}", SETTINGS, MONDAY_10)[0]
        assert "从化区南平村" in consent.text
        assert s.scalars(select(CaseOffer)).all() == []  # nobody has seen it yet
        done = intake.step(s, case, "#consent:yes", SETTINGS, MONDAY_10)[0]
        assert done.text.startswith("已为您登记") and case.status == "offered" and case.consented_at


def test_refusing_consent_shares_nothing(registry):
    with Database(registry).session() as s, s.begin():
        case = open_intake(s, "tg-5152", "civil.property", "request", [])
        intake.step(s, case, "#district:?", SETTINGS, MONDAY_10)
        reply = intake.step(s, case, "唔同意", SETTINGS, MONDAY_10)[0]
        assert reply.text == residents.CONSENT_REFUSED and case.status == "abandoned"
        assert s.scalars(select(CaseOffer)).all() == [] and s.scalars(select(CaseMessage)).all() == []


# --- the office's commands ----------------------------------------------------------------------
def test_advisers_are_managed_with_the_command_line(tmp_path, monkeypatch, capsys):
    from ops.cli import main

    url = f"sqlite:///{tmp_path / 'office.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["advisers", "load"]) == 0
    assert (
        main(
            [
                "advisers",
                "add",
                "chh-new",
                "--name",
                "新顾问",
                "--telegram-id",
                "700100077",
                "--villages",
                "chh-wq-shikeng",
                "--hours",
                "daily 08:00-20:00",
            ]
        )
        == 0
    )
    assert main(["advisers", "add", "chh-bad", "--name", "错", "--telegram-id", "1", "--villages", "nowhere"]) == 1
    with Database(url).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, MONDAY_10)
        case_id = case.id
    assert main(["advisers", "deactivate", "chh-chen"]) == 0  # held the open offer
    assert main(["advisers", "list"]) == 0
    assert main(["cases", str(case_id)]) == 0
    out = capsys.readouterr().out
    assert "chh-new" in out and "石坑村" in out and "INACTIVE" in out
    with Database(url).session() as s:
        assert s.get(Case, case_id).status == "queued"  # offered again on the next tick
        assert offers(s, s.get(Case, case_id)) == [("chh-chen", "withdrawn")]
        assert not s.scalars(select(Adviser).where(Adviser.code == "chh-bad")).all()


def test_an_adviser_taken_off_duty_gives_back_the_cases_they_hold(registry):
    from handoff.registry import set_active

    with Database(registry).session() as s, s.begin():
        case, _chen = taken_case(s)
        set_active(s, "chh-chen", False)
        assert case.status == "queued" and case.adviser_id is None
        told = s.scalars(select(CaseMessage.text).where(CaseMessage.chat_id == 4242)).all()
        assert any("联系其他顾问" in t for t in told)
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=1))
        assert offers(s, case)[-1] == ("chh-liang", "open")
        liang = adviser(s, "chh-liang")
        offer = s.scalars(select(CaseMessage.text).where(CaseMessage.chat_id == liang.telegram_user_id)).one()
        assert "此前接手的顾问：陈志明" in offer


def test_an_adviser_silent_after_a_reminder_loses_the_case_to_the_next(registry):
    with Database(registry).session() as s, s.begin():
        case, chen = taken_case(s)
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=31))  # reminder
        assert case.adviser_id == chen.id and case.reminded_at is not None
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=31) + SETTINGS.next_response)
        assert case.adviser_id is None and case.status in ("queued", "offered")
        run_due(s, SETTINGS, MONDAY_10 + timedelta(hours=3))  # 13:00: the village's advisers are at lunch
        assert offers(s, case)[-1] == ("chh-duty-li", "open")
        taken_away = s.scalars(
            select(CaseMessage.text).where(
                CaseMessage.chat_id == chen.telegram_user_id, CaseMessage.text.like("%已转给其他顾问%")
            )
        ).all()
        assert len(taken_away) == 1


def test_offers_that_no_longer_stand_lose_their_buttons(registry):
    with Database(registry).session() as s, s.begin():
        for code in ("th-duty-zhao", "th-duty-feng"):
            adviser(s, code).active = True
        case = new_case(s, None, district="天河区")
        submit(s, case, SETTINGS, MONDAY_10)  # the pool: both at once
        zhao, feng = adviser(s, "th-duty-zhao"), adviser(s, "th-duty-feng")
        shown = s.scalars(select(CaseMessage).where(CaseMessage.chat_id == zhao.telegram_user_id)).one()
        shown.status, shown.sent_message_id = "sent", 555  # delivered to 赵; 冯's is still queued
        assert take(s, case.id, zhao, SETTINGS, MONDAY_10).taken
        strip = s.scalars(select(CaseMessage).where(CaseMessage.strip_buttons_of.is_not(None))).one()
        assert (strip.chat_id, strip.strip_buttons_of, strip.status) == (zhao.telegram_user_id, 555, "pending")
        unsent = s.scalars(select(CaseMessage).where(CaseMessage.chat_id == feng.telegram_user_id)).one()
        assert unsent.status == "withdrawn"  # a stale offer is never delivered


def test_an_offer_taken_while_on_its_way_loses_its_buttons_once_delivered(registry):
    """The case worker has claimed 冯's offer and is sending it when 赵 takes the case: the
    offer is recorded as sent, and its buttons come off, whichever of the two writes first."""
    with Database(registry).session() as s, s.begin():
        for code in ("th-duty-zhao", "th-duty-feng"):
            adviser(s, code).active = True
        case = new_case(s, None, district="天河区")
        submit(s, case, SETTINGS, MONDAY_10)
        zhao, feng = adviser(s, "th-duty-zhao"), adviser(s, "th-duty-feng")
        on_its_way = s.scalars(select(CaseMessage).where(CaseMessage.chat_id == feng.telegram_user_id)).one()
        assert move_message(s, on_its_way, MessageStatus.pending, MessageStatus.sending)
        assert take(s, case.id, zhao, SETTINGS, MONDAY_10).taken
        assert on_its_way.status == "recalled"
        record_delivered(s, on_its_way, 777)
        strip = s.scalars(select(CaseMessage).where(CaseMessage.strip_buttons_of.is_not(None))).one()
        assert (on_its_way.status, strip.chat_id, strip.strip_buttons_of) == ("sent", feng.telegram_user_id, 777)


def test_an_offer_that_ends_while_telegram_is_unreachable_is_not_sent_again(registry):
    with Database(registry).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, MONDAY_10)
        chen = adviser(s, "chh-chen")
        offer = s.scalars(select(CaseMessage).where(CaseMessage.chat_id == chen.telegram_user_id)).one()
        notice = queue(s, case, Direction.to_resident, 4242, "稍等")
        s.flush()
        for message in (offer, notice):
            assert move_message(s, message, MessageStatus.pending, MessageStatus.sending)
        assert take(s, case.id, chen, SETTINGS, MONDAY_10).taken
        for message in (offer, notice):
            return_to_queue(s, message)
        assert (offer.status, notice.status) == ("withdrawn", "pending")
        assert not move_message(s, offer, MessageStatus.pending, MessageStatus.sending)
