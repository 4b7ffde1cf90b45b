"""Real conversations through the Rasa server and the action server over HTTP."""

from __future__ import annotations

import dataclasses
import json

import httpx
import opencc
from sqlalchemy import select, update

from handoff.cases import HANDOFF_KEY
from handoff.models import Case
from knowledge.content import read_content
from knowledge.models import Entry, Feedback
from ops.servers import free_ports, running_core
from storage.db import Database

EXAMPLES = {s.slug: s.examples for s in read_content()}


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def handed_over(messages: list[dict]) -> int | None:
    """The case the action opened: the router takes the conversation from here (intake)."""
    return next((m["custom"][HANDOFF_KEY] for m in messages if HANDOFF_KEY in (m.get("custom") or {})), None)


def buttons(messages: list[dict]) -> dict[str, str]:
    return {b["title"]: b["payload"] for m in messages for b in m.get("buttons", [])}


def test_a_question_gets_its_cited_answer_and_feedback_is_recorded(core, sender):
    reply = core.say(sender, EXAMPLES["inherit-conflicting-wills"][0])
    assert "以最后" in texts(reply)
    assert "法律依据：《中华人民共和国民法典》第一千一百四十二条" in texts(reply)
    assert "转人工" in texts(reply)
    choice = buttons(reply)
    assert set(choice) == {"有帮助", "没帮助"}

    assert "谢谢" in texts(core.say(sender, choice["有帮助"]))
    with Database(core.database_url).session() as s:
        feedback = s.scalars(select(Feedback).where(Feedback.sender_id == sender)).one()
    assert (feedback.entry_slug, feedback.helpful) == ("inherit-conflicting-wills", True)


def test_traditional_characters_reach_the_same_answer(core, sender):
    question = opencc.OpenCC("s2t").convert(EXAMPLES["marriage-divorce-by-agreement"][0])
    assert "第一千零七十七条" in texts(core.say(sender, question))


def test_a_picked_entry_is_answered(core, sender):
    reply = core.say(sender, '/choose_entry{"entry": "inherit-handwritten-will"}')
    assert "第一千一百三十四条" in texts(reply)


def test_an_article_is_quoted_from_the_statute_database(core, sender):
    assert "自书遗嘱由遗嘱人亲笔书写" in texts(core.say(sender, "民法典第一千一百三十四条"))
    assert "民法典" in texts(core.say(sender, "婚姻法第三十二条"))  # repealed: points to the Civil Code


def test_danger_gets_safety_information_first_and_a_priority_case(core, sender):
    reply = core.say(sender, "我老公喝醉了在打我，好害怕")
    assert reply[0]["text"].find("110") >= 0
    with Database(core.database_url).session() as s:
        case = s.scalars(select(Case).where(Case.sender_id == sender)).one()
    assert handed_over(reply) == case.id
    assert case.priority and case.reason == "emergency" and case.status == "intake"
    assert case.transcript[0]["text"] == "我老公喝醉了在打我，好害怕"


def test_danger_with_a_question_an_entry_answers_gets_the_notice_the_answer_and_a_person(core, sender):
    # One of the entry's own examples: its answer clearly fits, and the safety notice still comes first.
    reply = core.say(sender, "老公打我，能离婚并要赔偿吗")
    assert reply[0]["text"].find("110") >= 0
    answer = next(s for s in read_content() if s.slug == "marriage-domestic-violence-fault-compensation").answer
    assert answer.strip()[:30] in texts(reply) and "法律依据" in texts(reply)
    with Database(core.database_url).session() as s:
        case = s.scalars(select(Case).where(Case.sender_id == sender)).one()
    assert handed_over(reply) == case.id and case.priority


def test_other_legal_questions_are_offered_a_person_who_gets_the_transcript(core, sender):
    reply = core.say(sender, "醉驾被查到会不会坐牢")
    assert "超出" in texts(reply)
    offer = buttons(reply)
    case_id = handed_over(core.say(sender, offer["要，请法律顾问联系我"]))
    with Database(core.database_url).session() as s:
        case = s.scalars(select(Case).where(Case.sender_id == sender)).one()
    assert case.id == case_id
    assert (case.topic, case.reason, case.status) == ("other.legal", "offer_accepted", "intake")
    assert case.transcript[0] == {**case.transcript[0], "from": "resident", "text": "醉驾被查到会不会坐牢"}


def test_a_question_near_the_examples_of_another_law_is_offered_a_person_on_the_live_path(core, sender):
    """The nearness the model's example matcher adds to the parse reaches the action server."""
    reply = core.say(sender, "导游要负啲咩责任")
    assert "超出" in texts(reply) and "要，请法律顾问联系我" in buttons(reply)


def test_declining_the_person_opens_no_case(core, sender):
    core.say(sender, "醉驾被查到会不会坐牢")
    assert "还有其他问题" in texts(core.say(sender, "/deny"))
    with Database(core.database_url).session() as s:
        assert s.scalars(select(Case).where(Case.sender_id == sender)).all() == []


def test_a_typed_yes_or_no_answers_the_offer_of_a_person(core, sender):
    # 好 and 不用了 as residents type them, not the buttons' payloads: the model alone ranks
    # out_of_scope or greet above affirm and deny for replies this short.
    core.say(sender, "醉驾被查到会不会坐牢")
    declined = core.say(sender, "不用了")
    assert "还有其他问题" in texts(declined) and not handed_over(declined)
    core.say(sender, "醉驾被查到会不会坐牢")
    assert handed_over(core.say(sender, "好"))


def test_feedback_and_goodbye_typed_in_words_are_understood(core, sender):
    # The model alone took 没帮助 for a greeting (its feedback lost) and 拜拜 for a question.
    core.say(sender, EXAMPLES["inherit-conflicting-wills"][0])
    unhelpful = core.say(sender, "没帮助！")
    assert "抱歉这个回答没帮上忙" in texts(unhelpful)
    with Database(core.database_url).session() as s:
        feedback = s.scalars(select(Feedback).where(Feedback.sender_id == sender)).one()
    assert (feedback.entry_slug, feedback.helpful) == ("inherit-conflicting-wills", False)
    assert "再见" in texts(core.say(sender, "拜拜"))


def test_two_failed_turns_in_a_row_offer_a_person(core, sender):
    first = core.say(sender, "/nlu_fallback")
    assert "要不要请村居法律顾问" not in texts(first)
    second = core.say(sender, "/nlu_fallback")
    assert "要不要请村居法律顾问" in texts(second)
    assert "要，请法律顾问联系我" in buttons(second)


def test_asking_for_a_person_opens_a_case_about_the_last_question(core, sender):
    core.say(sender, EXAMPLES["election-proxy-voting"][0])
    assert handed_over(core.say(sender, "转人工"))
    with Database(core.database_url).session() as s:
        case = s.scalars(select(Case).where(Case.sender_id == sender)).one()
    assert (case.topic, case.reason) == ("election.committee", "request")


def test_not_a_legal_question_says_what_the_assistant_can_do(core, sender):
    assert "法律咨询助手" in texts(core.say(sender, "今天天气怎么样"))


def test_smalltalk(core, sender):
    assert "您好" in texts(core.say(sender, "你好"))
    assert "不是真人" in texts(core.say(sender, "你是机器人吗"))
    assert "不客气" in texts(core.say(sender, "收到！"))


def test_an_edited_answer_is_live_without_retraining(core, sender):
    slug = "notary-fee-reduction"
    with Database(core.database_url).session() as s, s.begin():
        original = s.scalars(select(Entry.answer).where(Entry.slug == slug)).one()
        s.execute(update(Entry).where(Entry.slug == slug).values(answer="【已更新】" + original))
    try:
        reply = core.say(sender, f"/choose_entry{json.dumps({'entry': slug})}")
        assert texts(reply).startswith("【已更新】")
    finally:
        with Database(core.database_url).session() as s, s.begin():
            s.execute(update(Entry).where(Entry.slug == slug).values(answer=original))


def test_another_rasa_server_continues_the_conversation_as_after_a_restart(core, sender, tmp_path):
    """Conversations live in the tracker store's database: a Rasa server started afresh knows the
    offer it made."""
    assert "要，请法律顾问联系我" in buttons(core.say(sender, "醉驾被查到会不会坐牢"))
    one_worker = dataclasses.replace(core.settings, rasa_workers=1)
    rasa_port, action_port, model_port = free_ports(3)
    with running_core(
        core.model, one_worker, rasa_port=rasa_port, action_port=action_port, model_port=model_port, log_dir=tmp_path
    ) as fresh:
        reply = httpx.post(
            f"{fresh.url}/webhooks/rest/webhook", json={"sender": sender, "message": "/affirm"}, timeout=60
        ).json()
    assert handed_over(reply)
