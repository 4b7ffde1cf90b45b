"""What the handoff tests share: a registry of one district per test (its office), and ways to
wait for a text, press a button and read a case."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from config.settings import HandoffSettings
from handoff.models import Case, CaseEvent
from handoff.registry import load_registry
from knowledge.content import read_content
from storage.db import Database
from tests.fake_telegram import FakeTelegram, Sent
from texts import residents

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
