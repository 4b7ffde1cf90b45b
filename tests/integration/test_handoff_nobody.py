"""A handoff with no adviser to take it leaves the resident somewhere (issue 12), end to end: the
fake Bot API, the Telegram channel, the Rasa and action servers, and the case in the database."""

from __future__ import annotations

from sqlalchemy import select

from handoff.models import CaseMessage
from handoff.registry import GUANGZHOU_DISTRICTS
from storage.db import Database
from tests.fake_telegram import FakeTelegram
from tests.integration.handoff_helpers import QUESTION, case_of, last_with, wait_text
from tests.integration.telegram_helpers import channel_running, new_chat, run
from texts import residents

NOBODY_HERE = residents.NOBODY_REGISTERED.format(place="越秀区")  # the sample registry has none there


def test_danger_with_no_adviser_tells_what_to_do_and_the_next_question_is_answered(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            resident = new_chat()
            api.text(resident, "婆婆打我怎么办")
            await wait_text(api, resident, "110")
            question = await wait_text(api, resident, "哪个区")
            titles = [b["text"] for b in question.buttons]
            assert titles[:11] == list(GUANGZHOU_DISTRICTS) and titles[-1] == residents.OTHER_DISTRICT
            api.press(question, "越秀区")
            consent = await wait_text(api, resident, "同意吗")
            api.press(consent, residents.CONSENT_YES)
            told = await wait_text(api, resident, "已为您登记")
            assert NOBODY_HERE in told.text and "12348" in told.text and "法律援助中心" in told.text
            assert "下班" not in told.text

            api.text(resident, QUESTION)  # not swallowed: the assistant answers it
            answer = await wait_text(api, resident, "法律依据")
            assert residents.WAITING_FOR_ADVISER not in answer.text
            api.text(resident, "/human")
            await wait_text(api, resident, residents.STILL_QUEUED.format(case_id=case_of(core, resident).id))
            api.press(last_with(api, resident, residents.HELPFUL), residents.HELPFUL)  # a button of the assistant
            await wait_text(api, resident, residents.FEEDBACK_THANKS)

        case = case_of(core, resident)
        assert case.status == "queued" and case.priority  # still waiting for the office
        with Database(core.database_url).session() as s:
            kept = s.scalars(select(CaseMessage.text).where(CaseMessage.case_id == case.id)).all()
        assert any(QUESTION in (text or "") for text in kept)  # the adviser who takes it will see it

    run(scenario)
