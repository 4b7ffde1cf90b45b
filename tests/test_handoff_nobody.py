"""A handoff that always leaves the resident somewhere (issue 12), on real SQLite and PostgreSQL:
no adviser registered, all off duty, all busy, a channel no adviser's reply can reach, and the
working hours on a Thursday afternoon in Guangzhou, on a clock the test sets."""

import asyncio
from datetime import datetime, timezone

from aiohttp import web
from sqlalchemy import select

from bot.router import Inbound, Router
from handoff import intake
from handoff.cases import HANDOFF_KEY, current_case, open_intake
from handoff.models import Adviser, AuditEntry, Case, CaseMessage
from handoff.registry import GUANGZHOU_DISTRICTS, districts, match_district
from handoff.routing import submit
from handoff.timers import run_due
from ops.servers import free_port
from storage.db import Database
from tests.clock import Clock
from tests.handoff_helpers import SETTINGS, adviser, new_case, offers
from texts import residents

THURSDAY_1542 = datetime(2026, 11, 26, 7, 42, tzinfo=timezone.utc)  # 15:42 in Guangzhou, a Thursday
WHAT_TO_DO = ("12348", "法律援助中心", "110")


def thursday_afternoon() -> datetime:
    now = Clock.at(THURSDAY_1542)()
    local = now.astimezone(SETTINGS.zone)
    assert (local.weekday(), local.hour, local.minute) == (3, 15, 42)
    return now


def test_a_fresh_set_up_offers_every_district_and_tells_at_once_what_to_do(db_url):
    """Nobody registered: the 11 districts, no village question, and no talk of closing time."""
    now = thursday_afternoon()
    with Database(db_url).session() as s, s.begin():
        case = open_intake(s, "tg-6001", "other.legal", "emergency", [{"from": "resident", "text": "婆婆打我怎么办"}])
        question = intake.start(s, case, now)[0]
        titles = [b["title"] for b in question.buttons]
        assert titles == [*GUANGZHOU_DISTRICTS, residents.OTHER_DISTRICT] and len(GUANGZHOU_DISTRICTS) == 11
        assert match_district(s, "越秀") == "越秀区"
        consent = intake.step(s, case, "#district:越秀区", SETTINGS, now)[0]  # no village of it is known
        assert consent.text == residents.ASK_CONSENT.format(place="越秀区")
        told = intake.step(s, case, "#consent:yes", SETTINGS, now)[0].text
        assert case.status == "queued" and case.consented_at is not None  # kept for the office
        assert residents.NOBODY_REGISTERED.format(place="越秀区") in told
        assert all(way in told for way in WHAT_TO_DO) and "下班" not in told and "继续问我" in told
        note = s.scalars(select(AuditEntry).where(AuditEntry.action == "nobody_available")).one()
        assert note.case_id == case.id


def test_on_a_thursday_afternoon_the_village_adviser_is_at_work(registry):
    now = thursday_afternoon()
    with Database(registry).session() as s, s.begin():
        case = new_case(s, "chh-wq-nanping")
        assert submit(s, case, SETTINGS, now) == residents.CASE_QUEUED.format(case_id=case.id, place="从化区南平村")
        assert offers(s, case) == [("chh-chen", "open")]


def test_all_off_duty_the_resident_hears_when_and_what_to_do_meanwhile(registry):
    now = thursday_afternoon()
    with Database(registry).session() as s, s.begin():
        for each in s.scalars(select(Adviser)):
            each.hours = "mon-fri 09:00-12:00"
        case = new_case(s, "chh-wq-nanping")
        told = submit(s, case, SETTINGS, now)
        assert residents.NOBODY_OFF_DUTY.format(when="周五 09:00") in told
        assert all(way in told for way in WHAT_TO_DO) and case.status == "queued"
        run_due(s, SETTINGS, now.replace(day=27, hour=1, minute=1))  # Friday 09:01 in Guangzhou
        assert offers(s, case) == [("chh-chen", "open")]


def test_all_busy_the_resident_is_not_told_it_is_closing_time(registry):
    now = thursday_afternoon()
    with Database(registry).session() as s, s.begin():
        for each in s.scalars(select(Adviser)):
            each.capacity = 0
        case = new_case(s, "chh-wq-nanping")
        told = submit(s, case, SETTINGS, now)
        assert residents.NOBODY_BUSY in told and "下班" not in told and case.status == "queued"


def test_a_district_pool_without_village_advisers_still_counts(registry):
    now = thursday_afternoon()
    with Database(registry).session() as s, s.begin():
        adviser(s, "chh-chen").active = adviser(s, "chh-liang").active = False
        case = new_case(s, "chh-wq-nanping")
        submit(s, case, SETTINGS, now)
        assert [outcome for _, outcome in offers(s, case)] == ["open"]  # the duty pool has it


def test_a_channel_without_a_way_back_is_never_promised_an_adviser(db_url):
    now = thursday_afternoon()
    with Database(db_url).session() as s, s.begin():
        case = open_intake(s, "local-1a2b3c4d", "other.legal", "request", [])
        told = intake.start(s, case, now)
        assert [r.text for r in told] == [residents.NO_ADVISER_HERE] and told[0].buttons == []
        assert all(way in told[0].text for way in WHAT_TO_DO) and "在这里回复" not in told[0].text
        assert s.get(Case, case.id).status == "abandoned"


def test_registered_districts_outside_the_city_list_are_offered_too(registry):
    with Database(registry).session() as s:
        assert districts(s)[:11] == list(GUANGZHOU_DISTRICTS)
        assert set(districts(s)) == set(GUANGZHOU_DISTRICTS)  # the sample registry's are among them


# --- the router: a queued case does not swallow the resident's questions -----------------------
def routed(db_url: str, sender: str, messages: list[str], answer) -> tuple[list[list[str]], list[str]]:
    """Each message through the router to a stand-in Rasa whose ``answer(text)`` is the reply
    (and may open a case, as the action does); one starting with "/" is a command or a button."""
    received: list[str] = []

    async def webhook(request: web.Request) -> web.Response:
        received.append((await request.json())["message"])
        return web.json_response(answer(received[-1]))

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        router = Router(f"http://127.0.0.1:{port}", Database(db_url), SETTINGS)
        try:
            return [
                [r.text for r in await router.handle(sender, m, Inbound(typed=not m.startswith("/")))] for m in messages
            ]
        finally:
            await router.aclose()
            await runner.cleanup()

    return asyncio.run(scenario()), received


def hand_over(db_url: str, sender: str) -> list[dict]:
    """What the action says when it hands the conversation to a person."""
    with Database(db_url).session() as s, s.begin():
        case = current_case(s, sender) or open_intake(s, sender, "other.legal", "emergency", [])
        return [{"text": residents.EMERGENCY}, {"custom": {HANDOFF_KEY: case.id}}]


def test_while_queued_a_question_is_answered_and_kept_for_the_adviser(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with Database(url).session() as s, s.begin():
        case = open_intake(s, "tg-6002", "other.legal", "request", [])
        intake.step(s, case, "#district:?", SETTINGS, THURSDAY_1542)
        intake.step(s, case, "#consent:yes", SETTINGS, THURSDAY_1542)
        case_id = case.id
    messages = ["离婚冷静期多久", "/request_human", "/feedback_helpful", "我老公又打我"]
    replies, received = routed(
        url, "tg-6002", messages, lambda text: hand_over(url, "tg-6002") if "打" in text else [{"text": "答"}]
    )
    still = residents.STILL_QUEUED.format(case_id=case_id)
    assert replies == [["答"], [still], ["答"], [residents.EMERGENCY, still]]
    assert received == ["离婚冷静期多久", "/feedback_helpful", "我老公又打我"]
    with Database(url).session() as s:
        kept = s.scalars(select(CaseMessage).where(CaseMessage.case_id == case_id)).all()
        assert [m.status for m in kept] == ["held", "held"] and "离婚冷静期多久" in kept[0].text
        assert s.get(Case, case_id).status == "queued"


def test_the_local_chat_is_told_what_to_do_instead_of_an_adviser(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    replies, _ = routed(
        url,
        "local-9f",
        ["婆婆打我怎么办", "离婚冷静期多久"],
        lambda text: hand_over(url, "local-9f") if "打" in text else [{"text": "答"}],
    )
    assert replies == [[residents.EMERGENCY, residents.NO_ADVISER_HERE], ["答"]]
    with Database(url).session() as s:
        assert s.scalars(select(Case.status)).all() == ["abandoned"]
