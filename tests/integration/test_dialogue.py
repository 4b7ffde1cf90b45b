"""A conversation never drops a question (issue 12), through the real Rasa and action servers:
choices then a button, a new question instead of a button, a button from an old message,
feedback, and the offer of a person refused."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from handoff.models import Case
from storage.db import Database
from tests.integration.test_conversations import EXAMPLES, buttons, handed_over, texts
from texts import residents

VAGUE = ("打印遗嘱要几个见证人", "遗嘱的事", "遗嘱", "离婚的事", "房子的事", "借钱的事", "老人的事")
NOTARY = "老人去公证处办遗嘱公证要带什么，收费吗？"
GAVE_UP = residents.OFFER_PERSON_AFTER_FAILURES[:12]  # 抱歉，我还是没能帮上忙


def choices(reply: list[dict]) -> dict[str, str]:
    return {title: payload for title, payload in buttons(reply).items() if payload.startswith("/choose_entry")}


def with_choices(core) -> str:
    """A question this model answers with choices (which one depends on the trained model)."""
    found = next((q for q in VAGUE if choices(core.say(f"probe-{uuid.uuid4().hex[:8]}", q))), None)
    assert found is not None, "none of the vague questions got choices"
    return found


def answered_or_asked(reply: list[dict]) -> bool:
    """A real reply to a question: an answer with its legal basis, or choices to pick from."""
    return "法律依据" in texts(reply) or bool(choices(reply))


def test_choices_then_a_button_answer_the_chosen_entry(core, sender):
    shown = choices(core.say(sender, with_choices(core)))
    assert len(shown) >= 2
    title, payload = next(iter(shown.items()))
    slug = json.loads(payload.removeprefix("/choose_entry"))["entry"]
    answer = core.say(sender, payload)
    assert "法律依据" in texts(answer) and set(buttons(answer)) == {residents.HELPFUL, residents.UNHELPFUL}
    assert slug in EXAMPLES, title


def test_a_new_question_instead_of_a_button_is_routed_afresh(core, sender):
    assert choices(core.say(sender, with_choices(core)))
    second = core.say(sender, NOTARY)
    assert GAVE_UP not in texts(second) and answered_or_asked(second), texts(second)
    third = core.say(sender, EXAMPLES["marriage-divorce-by-agreement"][0])  # and again
    assert "第一千零七十七条" in texts(third)


def test_questions_that_each_get_choices_never_give_up(core, sender):
    question = with_choices(core)
    for _ in range(3):
        reply = core.say(sender, question)
        assert GAVE_UP not in texts(reply) and choices(reply)


def test_a_button_from_an_old_message_still_answers_its_entry(core, sender):
    old = choices(core.say(sender, with_choices(core)))
    assert "第一千零七十七条" in texts(core.say(sender, EXAMPLES["marriage-divorce-by-agreement"][0]))
    payload = next(iter(old.values()))
    assert "法律依据" in texts(core.say(sender, payload))
    gone = core.say(sender, '/choose_entry{"entry": "no-such-entry"}')  # an entry since retired
    assert texts(gone) == residents.CHOICE_GONE
    assert GAVE_UP not in texts(core.say(sender, "/nlu_fallback"))  # the old button was no failure


def test_feedback_buttons_then_the_conversation_goes_on(core, sender):
    first = core.say(sender, EXAMPLES["inherit-conflicting-wills"][0])
    assert residents.FEEDBACK_THANKS in texts(core.say(sender, buttons(first)[residents.HELPFUL]))
    second = core.say(sender, EXAMPLES["marriage-divorce-by-agreement"][0])
    sorry = core.say(sender, buttons(second)[residents.UNHELPFUL])
    assert residents.FEEDBACK_SORRY in texts(sorry) and residents.NO_PERSON in buttons(sorry)
    assert "第一千一百四十二条" in texts(core.say(sender, EXAMPLES["inherit-conflicting-wills"][1]))


def test_a_person_offered_after_two_failures_and_refused(core, sender):
    assert texts(core.say(sender, "/nlu_fallback")) == residents.NOT_UNDERSTOOD
    offer = core.say(sender, "/nlu_fallback")
    assert texts(offer) == residents.OFFER_PERSON_AFTER_FAILURES
    refused = core.say(sender, buttons(offer)[residents.NO_PERSON])
    assert texts(refused) == residents.ANYTHING_ELSE and not handed_over(refused)
    assert "第一千零七十七条" in texts(core.say(sender, EXAMPLES["marriage-divorce-by-agreement"][0]))
    with Database(core.database_url).session() as s:
        assert s.scalars(select(Case).where(Case.sender_id == sender)).all() == []
