"""The handoff's routing on real SQLite and PostgreSQL: working hours, the registry, who is offered
a case and who may take it."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from handoff.hours import WorkingHours
from handoff.models import Adviser, AuditEntry, Case, CaseEvent, CaseMessage, CaseOffer, Village
from handoff.registry import match_district, match_villages
from handoff.routing import available, submit, take
from handoff.timers import run_due
from storage.db import Database
from tests.handoff_helpers import MONDAY_10, SETTINGS, SUNDAY_23, ZONE, adviser, new_case, offers
from texts import advisers


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
