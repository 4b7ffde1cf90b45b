"""Residents handed to village legal advisers, end to end: the fake Bot API, the Telegram
channel, the Rasa server and the action server, and the database that holds every case."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from config.settings import HandoffSettings
from handoff.models import AuditEntry, Case, CaseEvent, CaseMessage
from handoff.registry import load_registry
from knowledge.content import read_content
from storage.db import Database
from tests.clock import Clock
from tests.fake_telegram import FakeTelegram, Sent
from tests.integration.test_telegram import channel_running, new_chat, run
from texts import advisers, residents

QUICK = HandoffSettings(
    offer_timeout=timedelta(seconds=60),
    first_response=timedelta(minutes=5),
    next_response=timedelta(minutes=5),
    inactivity_close=timedelta(hours=1),
    tick=0.2,
)
QUESTION = next(s for s in read_content() if s.slug == "inherit-conflicting-wills").examples[0]


@dataclass
class Office:
    """A registry of one district for one test: two advisers for 南平村, one for 石坑村, a duty pool."""

    district: str
    ids: dict[str, int]
    names: dict[str, str]


@pytest.fixture
def office(core, tmp_path: Path) -> Office:
    tag = uuid.uuid4().hex[:6]
    district = f"测{tag}区"
    ids = {role: random.randint(10**9, 2 * 10**9) for role in ("a", "b", "c", "pool1", "pool2", "off")}
    names = {"a": "甲顾问", "b": "乙顾问", "c": "丙顾问", "pool1": "值班一", "pool2": "值班二", "off": "停用"}
    always = "daily 00:00-24:00"
    registry = {
        "villages": [
            {"code": f"{tag}-np", "district": district, "town": "温泉镇", "name": "南平村", "aliases": ["南平"]},
            {"code": f"{tag}-sk", "district": district, "town": "温泉镇", "name": "石坑村", "aliases": []},
        ],
        "advisers": [
            {
                "code": f"{tag}-a",
                "name": names["a"],
                "telegram_user_id": ids["a"],
                "hours": always,
                "capacity": 500,
                "villages": [f"{tag}-np"],
            },
            {
                "code": f"{tag}-b",
                "name": names["b"],
                "telegram_user_id": ids["b"],
                "hours": always,
                "capacity": 500,
                "villages": [f"{tag}-np"],
            },
            {
                "code": f"{tag}-c",
                "name": names["c"],
                "telegram_user_id": ids["c"],
                "hours": always,
                "villages": [f"{tag}-sk"],
            },
            {
                "code": f"{tag}-off",
                "name": names["off"],
                "telegram_user_id": ids["off"],
                "hours": always,
                "villages": [f"{tag}-np"],
                "active": False,
            },
            *(
                {
                    "code": f"{tag}-{p}",
                    "name": names[p],
                    "telegram_user_id": ids[p],
                    "hours": always,
                    "duty_district": district,
                }
                for p in ("pool1", "pool2")
            ),
        ],
    }
    path = tmp_path / "registry.yml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    with Database(core.database_url).session() as s, s.begin():
        load_registry(s, path)
    return Office(district, ids, names)


def last_with(api: FakeTelegram, chat: int, button: str) -> Sent:
    return next(m for m in reversed(api.to(chat)) if any(b["text"] == button for b in m.buttons))


async def wait_text(api: FakeTelegram, chat: int, fragment: str, timeout: float = 60) -> Sent:
    await api.wait_for(lambda: any(fragment in m.text for m in api.to(chat)), timeout)
    return next(m for m in reversed(api.to(chat)) if fragment in m.text)


async def ask_for_person(api: FakeTelegram, resident: int, office: Office, village: str | None = "南平") -> None:
    """/human, then the district button, the village typed (or "不清楚"), then 同意."""
    api.text(resident, "/human")
    await api.wait_for(lambda: any(b["text"] == office.district for m in api.to(resident) for b in m.buttons))
    api.press(last_with(api, resident, office.district), office.district)
    await wait_text(api, resident, "哪个村或社区")
    if village is None:
        api.press(last_with(api, resident, residents.VILLAGE_UNSURE), residents.VILLAGE_UNSURE)
    else:
        api.text(resident, village)
    await api.wait_for(lambda: any(b["text"] == residents.CONSENT_YES for m in api.to(resident) for b in m.buttons))
    api.press(last_with(api, resident, residents.CONSENT_YES), residents.CONSENT_YES)


def case_of(core, resident: int) -> Case:
    with Database(core.database_url).session() as s:
        return s.scalars(select(Case).where(Case.sender_id == f"tg-{resident}").order_by(Case.id.desc())).first()


def history(core, case_id: int) -> list[str]:
    with Database(core.database_url).session() as s:
        return list(s.scalars(select(CaseEvent.to_status).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def test_a_resident_reaches_the_village_adviser_and_back_to_the_assistant(core, office):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK):
            resident, a = new_chat(), office.ids["a"]
            api.text(resident, "我阿爸走咗，屋企几兄弟为咗间屋争到要上法院")
            await api.wait_for(lambda: len(api.to(resident)) >= 1)
            await ask_for_person(api, resident, office)
            await wait_text(api, resident, "已为您登记")

            offer = await wait_text(api, a, "新个案")  # a and b have no cases: a comes first
            assert "南平村" in offer.text and "上法院" in offer.text and "继承" in offer.text
            assert [b["text"] for b in offer.buttons] == [advisers.TAKE, advisers.PASS]
            assert api.to(office.ids["b"]) == []
            api.press(offer, advisers.TAKE)
            await wait_text(api, a, "您已接手")
            await wait_text(api, resident, f"法律顾问{office.names['a']}已经接手")

            api.text(resident, "佢哋话要告我")
            relayed = await wait_text(api, a, "佢哋话要告我")
            api.text(a, "请把房产证拍照发给我", reply_to=relayed)
            await wait_text(api, resident, f"法律顾问{office.names['a']}：请把房产证拍照发给我")
            api.photo(resident, caption="房产证")
            await wait_text(api, a, "[copy of")
            assert any("居民发来的文件" in m.text and "房产证" in m.text for m in api.to(a))

            api.text(a, "/close 已解答，建议先申请人民调解")
            await wait_text(api, resident, "已结束这次咨询")
            await wait_text(api, a, "已结束")
            api.text(resident, QUESTION)
            await wait_text(api, resident, "法律依据")

        case = case_of(core, resident)
        assert case.status == "resolved" and case.outcome == "已解答，建议先申请人民调解"
        assert history(core, case.id) == [
            "intake",
            "queued",
            "offered",
            "assigned",
            "waiting_for_adviser",
            "waiting_for_resident",
            "waiting_for_adviser",
            "resolved",
        ]
        with Database(core.database_url).session() as s:
            actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id)))
            unsent = s.scalars(
                select(CaseMessage).where(CaseMessage.case_id == case.id, CaseMessage.status != "sent")
            ).all()
        assert {"request_person", "offer", "take", "reply", "resolved"} <= set(actions)
        assert unsent == []

    run(scenario)


def test_nobody_accepts_then_the_next_adviser_then_the_duty_pool(core, office):
    clock = Clock()

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK, clock=clock):
            resident = new_chat()
            await ask_for_person(api, resident, office)
            await wait_text(api, office.ids["a"], "新个案")
            clock.advance(QUICK.offer_timeout)
            await wait_text(api, office.ids["a"], "超时未接手")
            await wait_text(api, office.ids["b"], "新个案")
            clock.advance(QUICK.offer_timeout)
            await wait_text(api, office.ids["b"], "超时未接手")
            for pool in ("pool1", "pool2"):  # the whole pool at once
                await wait_text(api, office.ids[pool], "新个案")
            offer = last_with(api, office.ids["pool2"], advisers.TAKE)
            api.press(offer, advisers.TAKE)
            await wait_text(api, resident, f"法律顾问{office.names['pool2']}已经接手")
            assert api.to(office.ids["c"]) == [] and api.to(office.ids["off"]) == []  # other village, inactive
        assert case_of(core, resident).status == "assigned"

    run(scenario)


def test_an_unregistered_person_is_refused_and_the_attempt_is_logged(core, office):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK):
            resident, stranger = new_chat(), new_chat()
            await ask_for_person(api, resident, office)
            offer = await wait_text(api, office.ids["a"], "新个案")
            api.press(offer, advisers.TAKE, user_id=stranger)
            await wait_text(api, office.ids["a"], advisers.ADVISERS_ONLY)
            api.text(stranger, "/cases")
            await wait_text(api, stranger, advisers.ADVISERS_ONLY)
            api.text(office.ids["off"], "/cases")  # registered but deactivated
            await wait_text(api, office.ids["off"], advisers.ADVISERS_ONLY)
            assert not any("新个案" in m.text for m in api.to(stranger))
        case = case_of(core, resident)
        assert case.status == "offered" and case.adviser_id is None
        with Database(core.database_url).session() as s:
            refused = s.scalars(
                select(AuditEntry).where(AuditEntry.allowed.is_(False), AuditEntry.actor == f"telegram:{stranger}")
            ).all()
        assert {r.action for r in refused} == {"take", "cases"}

    run(scenario)


def test_two_advisers_press_take_at_once_and_exactly_one_gets_the_case(core, office):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK):
            resident = new_chat()
            await ask_for_person(api, resident, office, village=None)  # unknown village: the duty pool
            one = await wait_text(api, office.ids["pool1"], "新个案")
            two = await wait_text(api, office.ids["pool2"], "新个案")
            api.press(one, advisers.TAKE)
            api.press(two, advisers.TAKE)
            for pool in ("pool1", "pool2"):
                await api.wait_for(
                    lambda p=pool: any(
                        "接手" in m.text and "个案 #" in m.text and not m.buttons for m in api.to(office.ids[p])
                    )
                )
            outcomes = [
                "您已接手" in m.text
                for p in ("pool1", "pool2")
                for m in api.to(office.ids[p])
                if "接手" in m.text and not m.buttons
            ]
            assert sorted(outcomes) == [False, True]
            await wait_text(api, resident, "已经接手")
            assert sum("已经接手" in m.text for m in api.to(resident)) == 1
            pool = {office.ids["pool1"], office.ids["pool2"]}
            await api.wait_for(
                lambda: pool <= {int(p["chat_id"]) for m, p in api.calls if m == "editMessageReplyMarkup"}
            )  # 接手 buttons gone
        case = case_of(core, resident)
        assert history(core, case.id).count("assigned") == 1

    run(scenario)


def test_a_restart_mid_case_keeps_the_case_its_timers_and_the_message_map(core, office):
    settings, clock = QUICK, Clock()

    async def scenario():
        async with FakeTelegram() as api:
            resident, a = new_chat(), office.ids["a"]
            async with channel_running(api, core, settings):
                await ask_for_person(api, resident, office)
                offer = await wait_text(api, a, "新个案")
                api.press(offer, advisers.TAKE)
                await wait_text(api, resident, "已经接手")
            # the bot is down: both sides write; the adviser answers by quoting the offer
            api.text(resident, "我仲有一份遗嘱副本")
            api.text(a, "副本也请拍照发来", reply_to=offer)
            async with channel_running(api, core, settings):
                await wait_text(api, a, "我仲有一份遗嘱副本")
                await wait_text(api, resident, "副本也请拍照发来")
                api.text(a, "收到后我再详细回复您")  # the resident's silence is timed from here
                await wait_text(api, resident, "收到后我再详细回复您")
            clock.advance(settings.inactivity_close)  # it runs out while the bot is down
            async with channel_running(api, core, settings, clock=clock):
                await wait_text(api, resident, "很久没有新消息")
                await wait_text(api, a, "已自动结束")
        case = case_of(core, resident)
        assert case.status == "abandoned"
        assert history(core, case.id)[-2:] == ["waiting_for_resident", "abandoned"]

    run(scenario)


def test_request_to_notification_time_over_100_scripted_cases(core, office, capsys):
    """Prints p50/p99 from the resident's consent (the request is complete) to the adviser's
    notification, and from /human through the scripted intake. A figure, not asserted."""

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK):
            residents = [new_chat() for _ in range(100)]
            started: dict[int, float] = {}
            consented: dict[int, float] = {}

            async def one(resident: int) -> None:
                started[resident] = time.monotonic()
                await ask_for_person(api, resident, office)
                consented[resident] = time.monotonic()
                await wait_text(api, resident, "已为您登记", timeout=240)

            for batch in range(0, 100, 10):  # ten residents at a time
                await asyncio.gather(*(one(r) for r in residents[batch : batch + 10]))
            case_ids = {r: case_of(core, r).id for r in residents}
            for _resident, case_id in case_ids.items():
                await api.wait_for(lambda c=case_id: any(f"新个案 #{c}\n" in m.text for m in api.sent), 120)
            arrival = {r: next(m.at for m in api.sent if f"新个案 #{c}\n" in m.text) for r, c in case_ids.items()}
            from_consent = sorted((arrival[r] - consented[r]) * 1000 for r in residents)
            from_human = sorted((arrival[r] - started[r]) * 1000 for r in residents)
            with capsys.disabled():
                print(
                    f"\nhandoff, 100 scripted cases: consent → adviser notification p50 "
                    f"{statistics.median(from_consent):.0f} ms, p99 {from_consent[98]:.0f} ms; "
                    f"/human → notification (intake scripted) p50 {statistics.median(from_human):.0f} ms, "
                    f"p99 {from_human[98]:.0f} ms"
                )
            assert len(arrival) == 100

    run(scenario)
