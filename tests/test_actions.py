"""The action's replies where the decision alone does not say everything: a Civil Code question
that no entry answers gets the articles that may apply and the offer of a person."""

from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionConsult, answer_to_offer
from actions.decision import Decision
from knowledge.statutes import CIVIL_CODE, find_article, parse_article_ref
from texts import residents


def clarify(question: str, topic: str = "civil.property") -> tuple[dict, list]:
    dispatcher = CollectingDispatcher()
    events = ActionConsult.clarify(dispatcher, Decision(topic=topic, action="clarify", confidence=0.5), {}, 0, question)
    return dispatcher.messages[0], events


def test_a_civil_question_without_an_entry_gets_articles_in_force_and_a_person():
    message, events = clarify("邻居家的树根长到我家地基里，把墙顶裂了")
    assert message["text"].startswith(residents.RELATED_ARTICLES.split("{")[0])
    headings = [line.split("：")[0] for line in message["text"].splitlines() if line.startswith("《")]
    assert 1 <= len(headings) <= 3
    for heading in headings:
        ref = parse_article_ref(heading)
        assert ref.law == CIVIL_CODE and find_article(ref.law, ref.number) is not None
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny"]
    assert {"event": "slot", "name": "handoff_offered", "value": True} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events
    ]


def test_nothing_that_matches_gets_the_plain_question_again():
    message, _ = clarify("嗯嗯嗯 啊")
    assert message["text"] == residents.NOT_UNDERSTOOD


def test_outside_the_civil_code_no_articles_are_guessed():
    message, _ = clarify("村委会选举可以委托别人投票吗", topic="election.committee")
    assert message["text"] == residents.NOT_UNDERSTOOD


def offer_reply(text: str, *ranking: str) -> str | None:
    return answer_to_offer({"text": text, "intent_ranking": [{"name": name} for name in ranking]})


def test_a_short_yes_answers_the_offer_but_an_unsure_long_message_is_a_new_question():
    assert offer_reply("好", "nlu_fallback", "affirm") == "affirm"
    assert offer_reply("唔使喇", "nlu_fallback", "deny") == "deny"
    assert offer_reply("好的我想问下老人去公证处办遗嘱公证要带什么", "nlu_fallback", "affirm") is None
    assert offer_reply("要，请法律顾问联系我", "affirm") == "affirm"
    assert offer_reply("离婚冷静期多久", "kb_civil_marriage", "affirm") is None
