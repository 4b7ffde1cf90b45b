"""The Rasa action server's actions: carry out the decision and talk to the resident."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.decision import CHOOSE_ENTRY, Decision, HandoffReason, decide, failed_turns_after, slugs_in
from actions.recorder import Recorder
from config.settings import Settings, stored_secret
from handoff.cases import HANDOFF_KEY, current_case, open_intake
from handoff.models import Reason
from knowledge.content import PublishedEntries
from knowledge.records import mark_unhelpful, record_consultation, record_feedback, sender_hash
from knowledge.render import render_answer
from knowledge.retrieval import article_lines, related_articles
from knowledge.statutes import article_label, find_article, repealed_name
from knowledge.topics import Action as Do
from storage.db import Database
from texts import residents

#: The action server's database and sender-hash key, from the settings it was started with.
SETTINGS = Settings.from_env()
DB = Database(SETTINGS.database_url)
SENDER_KEY = SETTINGS.sender_hash_key or stored_secret("sender-hash-key")
RECORDS = Recorder(DB)
ENTRIES = PublishedEntries()
FAILED_TURNS_BEFORE_PERSON = 2
SHORT_REPLY = 6  # 好 / 好的 / 可以啊 / 唔使喇: how long a yes or no to an offer is, at most
_SMALLTALK = {
    "greet": residents.GREET,
    "thanks": residents.THANKS,
    "goodbye": residents.GOODBYE,
    "bot_challenge": residents.I_AM_A_BOT,
}


def transcript(tracker: Tracker) -> list[dict]:
    """The conversation so far, for the adviser who takes the case."""
    return [
        {"from": "resident" if e["event"] == "user" else "assistant", "text": e.get("text"), "time": e.get("timestamp")}
        for e in tracker.events
        if e.get("event") in ("user", "bot") and e.get("text")
    ]


def answer_to_offer(parse: dict) -> str | None:
    """ "affirm" or "deny" if the message answers the offer of a person. One of the examples (好,
    唔使) is read as such by the NLU itself (nlu/known_phrases.py); another short reply the model
    was unsure of counts by its best intent behind nlu_fallback, but a longer message the NLU was
    unsure of is a new question."""
    ranking = [r.get("name") for r in parse.get("intent_ranking") or [parse.get("intent") or {}]]
    best = next((name for name in ranking if name != "nlu_fallback"), None)
    if ranking[0] == "nlu_fallback" and len((parse.get("text") or "").strip()) > SHORT_REPLY:
        return None
    return best if best in ("affirm", "deny") and ranking[0] in (best, "nlu_fallback") else None


def person_buttons() -> list[dict]:
    return [{"title": residents.YES_PERSON, "payload": "/affirm"}, {"title": residents.NO_PERSON, "payload": "/deny"}]


def hand_to_person(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, reason: Reason, priority: bool = False
) -> None:
    """Open the case in intake with the conversation so far; the router then asks the resident
    where they live and for consent before any adviser sees it."""
    with DB.session() as s, s.begin():
        case = current_case(s, tracker.sender_id) or open_intake(
            s, tracker.sender_id, topic, reason, transcript(tracker), priority=priority
        )
        case_id = case.id
    dispatcher.utter_message(json_message={HANDOFF_KEY: case_id})


class ActionConsult(Action):
    """Answer, clarify, look up an article, offer a person or give safety information."""

    def name(self) -> str:
        return "action_consult"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("handoff_offered"):
            reply = answer_to_offer(tracker.latest_message)
            if reply == "affirm":
                hand_to_person(
                    dispatcher, tracker, tracker.get_slot("last_topic") or "other.legal", Reason.offer_accepted
                )
                return [SlotSet("handoff_offered", False), SlotSet("failed_turns", 0)]
            if reply == "deny":
                dispatcher.utter_message(text=residents.ANYTHING_ELSE)
                return [SlotSet("handoff_offered", False)]
        with DB.session() as s:  # on the message path: only the entries this parse can lead to
            entries = ENTRIES.index(s, slugs_in(tracker.latest_message))
        decision = decide(tracker.latest_message, entries)
        hashed, text = sender_hash(tracker.sender_id, SENDER_KEY), tracker.latest_message.get("text") or ""
        RECORDS.write(  # what the console shows the 普法 team (masked)
            lambda s: record_consultation(
                s,
                hashed,
                text,
                decision.topic,
                decision.action.value,
                decision.entry,
                decision.confidence,
                decision.choices,
            )
        )
        before = int(tracker.get_slot("failed_turns") or 0)
        events: list[EventType] = [SlotSet("handoff_offered", False), SlotSet("last_topic", decision.topic)]

        if decision.action == Do.answer:
            assert decision.entry is not None, "an answer always names its entry"
            entry = entries[decision.entry]
            dispatcher.utter_message(
                text=render_answer(entry),
                buttons=[
                    {"title": residents.HELPFUL, "payload": "/feedback_helpful"},
                    {"title": residents.UNHELPFUL, "payload": "/feedback_unhelpful"},
                ],
            )
            return [*events, SlotSet("last_entry", entry.slug), SlotSet("failed_turns", 0)]
        if decision.action == Do.clarify:
            return events + self.clarify(
                dispatcher, decision, entries, before, tracker.latest_message.get("text") or ""
            )
        if decision.action == Do.article:
            self.article(dispatcher, decision)
        elif decision.action == Do.emergency:
            dispatcher.utter_message(text=residents.EMERGENCY)
            if decision.entry:
                dispatcher.utter_message(text=render_answer(entries[decision.entry]))
            hand_to_person(dispatcher, tracker, decision.topic, Reason.emergency, priority=True)
            return [*events, SlotSet("last_entry", decision.entry), SlotSet("failed_turns", 0)]
        elif decision.action == Do.handoff:
            return events + self.handoff(dispatcher, tracker, decision, entries)
        elif decision.action == Do.out_of_scope:
            dispatcher.utter_message(text=residents.OUT_OF_SCOPE)
        elif decision.intent in _SMALLTALK:
            dispatcher.utter_message(text=_SMALLTALK[decision.intent])
        else:
            dispatcher.utter_message(text=residents.ANYTHING_ELSE)
        return [*events, SlotSet("failed_turns", 0)]

    @staticmethod
    def clarify(
        dispatcher: CollectingDispatcher, decision: Decision, entries: dict, before: int, question: str = ""
    ) -> list[EventType]:
        """Ask which entry, point to the law, or say so when nothing was understood; only the
        second message in a row not understood at all offers a person instead."""
        articles = (
            []
            if decision.choices or not decision.topic.startswith("civil.")
            else related_articles(question, decision.topic)
        )
        if articles:  # a Civil Code question no entry answers: point to the law, offer a person
            dispatcher.utter_message(
                text=residents.RELATED_ARTICLES.format(articles=article_lines(articles)), buttons=person_buttons()
            )
            return [SlotSet("failed_turns", 0), SlotSet("handoff_offered", True)]
        failed = failed_turns_after(decision, before)
        if failed >= FAILED_TURNS_BEFORE_PERSON:
            dispatcher.utter_message(text=residents.OFFER_PERSON_AFTER_FAILURES, buttons=person_buttons())
            return [SlotSet("failed_turns", 0), SlotSet("handoff_offered", True)]
        if decision.intent == CHOOSE_ENTRY:  # a button of an old message, its entry since retired
            dispatcher.utter_message(text=residents.CHOICE_GONE)
        elif decision.choices:
            buttons = [
                {
                    "title": entries[slug].title,
                    "payload": "/choose_entry" + json.dumps({"entry": slug}, ensure_ascii=False),
                }
                for slug in decision.choices
            ]
            buttons.append({"title": residents.NONE_OF_THESE, "payload": "/request_human"})
            dispatcher.utter_message(text=residents.WHICH_ONE, buttons=buttons)
        else:
            dispatcher.utter_message(text=residents.NOT_UNDERSTOOD)
        return [SlotSet("failed_turns", failed)]

    @staticmethod
    def article(dispatcher: CollectingDispatcher, decision: Decision) -> None:
        ref = decision.article
        assert ref is not None, "an article decision always carries its reference"
        if ref.law is None:
            template = residents.ARTICLE_REPEALED if repealed_name(ref.law_text) else residents.ARTICLE_UNKNOWN_LAW
            dispatcher.utter_message(text=template.format(law=ref.law_text))
            return
        article = find_article(ref.law, ref.number)
        if article is None:
            dispatcher.utter_message(
                text=residents.ARTICLE_NOT_FOUND.format(law=ref.law, label=article_label(ref.number))
            )
        else:
            dispatcher.utter_message(text=f"{article.heading}\n{article.text}")

    @staticmethod
    def handoff(
        dispatcher: CollectingDispatcher, tracker: Tracker, decision: Decision, entries: dict
    ) -> list[EventType]:
        if decision.reason == HandoffReason.request:
            topic = decision.topic
            if topic == "other.legal" and tracker.get_slot("last_topic") not in (None, "smalltalk", "out_of_scope"):
                topic = tracker.get_slot("last_topic")  # "转人工" right after a question is about that question
            hand_to_person(dispatcher, tracker, topic, Reason.request)
            return [SlotSet("handoff_offered", False), SlotSet("failed_turns", 0)]
        if decision.entry:  # complex: answer what can be answered, then offer a person
            dispatcher.utter_message(text=render_answer(entries[decision.entry]))
            dispatcher.utter_message(text=residents.COMPLEX, buttons=person_buttons())
        else:
            dispatcher.utter_message(text=residents.OTHER_LEGAL, buttons=person_buttons())
        return [SlotSet("handoff_offered", True), SlotSet("last_entry", decision.entry), SlotSet("failed_turns", 0)]


class ActionFeedback(Action):
    """Record 有帮助 / 没帮助 on the last answer; after 没帮助, offer a person."""

    def name(self) -> str:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        helpful = tracker.latest_message.get("intent", {}).get("name") == "feedback_helpful"
        with DB.session() as s, s.begin():
            record_feedback(s, tracker.sender_id, tracker.get_slot("last_entry"), helpful)
        if helpful:
            dispatcher.utter_message(text=residents.FEEDBACK_THANKS)
            return []
        hashed, entry = sender_hash(tracker.sender_id, SENDER_KEY), tracker.get_slot("last_entry")
        RECORDS.write(lambda s: mark_unhelpful(s, hashed, entry))
        dispatcher.utter_message(text=residents.FEEDBACK_SORRY, buttons=person_buttons())
        return [SlotSet("handoff_offered", True)]
