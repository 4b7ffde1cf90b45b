"""The action's replies where the decision alone does not say everything: a Civil Code question
that no entry answers gets the articles that may apply and the offer of a person."""

from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionConsult
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
