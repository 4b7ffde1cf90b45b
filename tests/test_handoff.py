"""The handoff's rules on real SQLite and PostgreSQL: routing, the life of a case, the timers,
who may take a case, and the shipped registry."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from config.settings import HandoffSettings
from handoff import intake
from handoff.cases import InvalidTransition, move, open_intake
from handoff.conversation import from_adviser, from_resident
from handoff.hours import WorkingHours
from handoff.models import Adviser, AuditEntry, Case, CaseEvent, CaseMessage, CaseOffer, Village
from handoff.registry import SEED_REGISTRY, load_registry, match_district, match_villages
from handoff.routing import available, submit, take
from handoff.timers import run_due
from storage.db import Database
from texts import advisers, residents

SETTINGS = HandoffSettings(
    offer_timeout=timedelta(minutes=10),
    first_response=timedelta(minutes=30),
    next_response=timedelta(hours=2),
    inactivity_close=timedelta(hours=72),
)
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # 10:00 in Guangzhou
SUNDAY_23 = datetime(2026, 11, 29, 15, 0, tzinfo=timezone.utc)  # 23:00 in Guangzhou
ZONE = SETTINGS.zone


@pytest.fixture
def registry(db_url) -> str:
    with Database(db_url).session() as s, s.begin():
        load_registry(s, SEED_REGISTRY)
    return db_url


def adviser(s, code: str) -> Adviser:
    return s.scalars(select(Adviser).where(Adviser.code == code)).one()


def village(s, code: str) -> Village:
    return s.scalars(select(Village).where(Village.code == code)).one()


def new_case(s, village_code: str | None, district: str = "从化区", chat: int = 4242) -> Case:
    case = open_intake(
        s, f"tg-{chat}", "civil.inheritance", "request", [{"from": "resident", "text": "两份遗嘱听哪份"}]
    )
    case.district = district
    case.village_id = village(s, village_code).id if village_code else None
    return case


def offers(s, case: Case) -> list[tuple[str, str]]:
    rows = s.scalars(select(CaseOffer).where(CaseOffer.case_id == case.id).order_by(CaseOffer.id))
    return [(s.get(Adviser, o.adviser_id).code, o.outcome) for o in rows]


# --- working hours ----------------------------------------------------------------------------
def test_working_hours_in_local_time():
    hours = WorkingHours.parse("mon-fri 09:00-12:00,14:00-17:30")
    assert hours.open_at(MONDAY_10, ZONE)
    assert not hours.open_at(MONDAY_10 + timedelta(hours=3), ZONE)  # 13:00, lunch
    assert not hours.open_at(SUNDAY_23, ZONE)
    opening = hours.next_opening(SUNDAY_23, ZONE)
    assert (opening.weekday(), opening.hour, opening.minute) == (0, 9, 0)  # Monday 09:00 local
    assert WorkingHours.parse("daily 00:00-24:00").open_at(SUNDAY_23, ZONE)
    assert WorkingHours.parse("sat-mon 09:00-10:00").days == frozenset({5, 6, 0})
    for bad in ("weekdays 9-5", "mon-fri 18:00-09:00", "mon-fri 09:70-10:00"):
        with pytest.raises(ValueError):
            WorkingHours.parse(bad)


# --- the registry -----------------------------------------------------------------------------
def test_the_shipped_registry_covers_every_village_and_district(registry):
    with Database(registry).session() as s:
        villages = s.scalars(select(Village)).all()
        advisers = s.scalars(select(Adviser)).all()
        assert len({v.district for v in villages}) >= 2 and len(villages) >= 24 and len(advisers) >= 12
        assert all(any(a.active for a in v.advisers) for v in villages)
        assert {v.district for v in villages} <= {a.duty_district for a in advisers if a.active}
        assert len({a.telegram_user_id for a in advisers}) == len(advisers)


def test_residents_name_their_village_their_own_way(registry):
    with Database(registry).session() as s:
        assert match_district(s, "從化") == "从化区"
        assert match_district(s, "天河区") == "天河区" and match_district(s, "火星") is None
        for said in ("南平村", "我系南平村嘅", "南平村委会", "温泉镇南平", "  南平 "):
            found = match_villages(s, "从化区", said)
            assert [v.name for v in found.villages] == ["南平村"] and found.certain, said
        typo = match_villages(s, "增城区", "瓜玲村")
        assert [v.name for v in typo.villages] == ["瓜岭村"] and not typo.certain  # asked to confirm
        assert match_villages(s, "天河区", "南平村").villages == []  # another district's village


# --- routing ----------------------------------------------------------------------------------
def test_the_least_loaded_adviser_of_the_village_is_offered_first(registry):
    with Database(registry).session() as s, s.begin():
        chen, liang = adviser(s, "chh-chen"), adviser(s, "chh-liang")  # both cover 南平村
        for n in range(2):  # 陈 already holds two cases
            busy = new_case(s, "chh-wq-nanping", chat=100 + n)
            busy.status, busy.adviser_id = "assigned", chen.id
        case = new_case(s, "chh-wq-nanping")
        reply = submit(s, case, SETTINGS, MONDAY_10)
        assert reply.startswith("已为您登记") and case.status == "offered"
        assert offers(s, case) == [("chh-liang", "open")]
        message = s.scalars(select(CaseMessage).where(CaseMessage.chat_id == liang.telegram_user_id)).one()
        assert "南平村" in message.text and "两份遗嘱听哪份" in message.text
        assert [b["title"] for b in message.buttons] == [advisers.TAKE, advisers.PASS]


def test_full_inactive_and_off_duty_advisers_are_skipped(registry):
    with Database(registry).session() as s, s.begin():
        chen, liang = adviser(s, "chh-chen"), adviser(s, "chh-liang")
        liang.active = False
        chen.capacity = 0
        assert available(s, [chen, liang], MONDAY_10, ZONE) == []
        chen.capacity = 5
        assert available(s, [chen, liang], MONDAY_10, ZONE) == [chen]
        assert available(s, [chen], MONDAY_10 + timedelta(hours=3), ZONE) == []  # lunch break


def test_out_of_hours_the_resident_is_told_when_to_expect_an_answer(registry):
    with Database(registry).session() as s, s.begin():
        for code in ("chh-duty-li",):
            adviser(s, code).hours = "mon-fri 08:30-21:00"
        case = new_case(s, "chh-wq-nanping")
        reply = submit(s, case, SETTINGS, SUNDAY_23)
        assert case.status == "queued" and offers(s, case) == []
        assert "周一 08:30" in reply
        assert run_due(s, SETTINGS, SUNDAY_23 + timedelta(hours=9, minutes=31)) >= 1  # Monday 08:31
        assert offers(s, case) == [("chh-duty-li", "open")]  # the pool opens first that morning


def test_nobody_accepts_then_the_next_then_the_pool(registry):
    with Database(registry).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, MONDAY_10)
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=11))
        run_due(s, SETTINGS, MONDAY_10 + timedelta(minutes=22))
        assert offers(s, case) == [("chh-chen", "expired"), ("chh-liang", "expired"), ("chh-duty-li", "open")]
        pool_offer = s.scalars(select(CaseOffer).where(CaseOffer.case_id == case.id, CaseOffer.pool.is_(True))).one()
        assert pool_offer.expires_at is None  # the pool keeps the case until someone takes it


def test_an_adviser_without_an_offer_cannot_take_the_case(registry):
    with Database(registry).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, MONDAY_10)
        outsider = adviser(s, "th-wu")  # registered, but for another district
        result = take(s, case.id, outsider, SETTINGS, MONDAY_10)
        assert not result.taken and case.status == "offered"
        refused = s.scalars(select(AuditEntry).where(AuditEntry.allowed.is_(False))).one()
        assert (refused.actor, refused.action) == ("adviser:th-wu", "take")


def test_two_advisers_take_at_once_and_exactly_one_wins(registry):
    """Two sessions, two threads, the same moment: one conditional UPDATE decides."""
    with Database(registry).session() as s, s.begin():
        case = new_case(s, None, district="天河区")
        for code in ("th-duty-zhao", "th-duty-feng"):
            adviser(s, code).active = True
        submit(s, case, SETTINGS, MONDAY_10)  # unknown village: the whole pool at once
        case_id = case.id
        assert len(offers(s, case)) == 2
    results: dict[str, bool] = {}
    barrier = threading.Barrier(2)

    def press(code: str) -> None:
        with Database(registry).session() as s, s.begin():
            me = adviser(s, code)
            barrier.wait()
            results[code] = take(s, case_id, me, SETTINGS, MONDAY_10).taken

    threads = [threading.Thread(target=press, args=(code,)) for code in ("th-duty-zhao", "th-duty-feng")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False, True]
    with Database(registry).session() as s:
        events = s.scalars(select(CaseEvent.to_status).where(CaseEvent.case_id == case_id)).all()
        winner = next(code for code, won in results.items() if won)
        assert s.get(Case, case_id).adviser_id == adviser(s, winner).id
    assert events.count("assigned") == 1


# --- the conversation and its timers ----------------------------------------------------------
def taken_case(s) -> tuple[Case, Adviser]:
    case = new_case(s, "chh-wq-nanping")
    submit(s, case, SETTINGS, MONDAY_10)
    chen = adviser(s, "chh-chen")
    assert take(s, case.id, chen, SETTINGS, MONDAY_10).taken
    return case, chen


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
        first = intake.start(s, case)[0]
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
