"""Properties, checked by hypothesis on generated inputs: the decision function takes any parse
Rasa could produce (and some it should not) and returns a valid decision, danger first; what
the router sends on is well formed and never acts as an intent; any reply becomes Telegram
HTML messages under the limit that together say the whole reply."""

from __future__ import annotations

import html
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.decision import decide
from bot.router import Inbound, well_formed
from bot.telegram.format import split_message
from knowledge.models import Citation, Entry
from knowledge.topics import Action
from tests.telegram_html import visible_text

SLUGS = ["inherit-conflicting-wills", "inherit-legal-order", "marriage-divorce-by-agreement"]
ENTRIES = {
    slug: Entry(
        slug=slug,
        topic=topic,
        title=slug,
        answer="…",
        citations=[Citation(law="中华人民共和国民法典", article=1142, source="statute")],
    )
    for slug, topic in zip(SLUGS, ["civil.inheritance", "civil.inheritance", "civil.marriage"], strict=True)
}
INTENTS = ["kb_civil_inheritance", "kb_civil_marriage", "greet", "request_human", "emergency", "choose_entry"]
INTENTS += ["nlu_fallback", "out_of_scope", "other_legal", "feedback_unhelpful", "ask_article"]
DANGER = ["老公打我", "救命", "他拿着菜刀威胁我", "我不想活了", "爸爸失踪了三天"]

confidence = st.one_of(st.none(), st.floats(0, 1), st.integers(0, 1))
name = st.one_of(st.none(), st.sampled_from(INTENTS), st.text(max_size=20))
slug = st.one_of(st.sampled_from(SLUGS), st.text(max_size=30))
intent = st.one_of(st.none(), st.fixed_dictionaries({}, optional={"name": name, "confidence": confidence}))
selector_item = st.fixed_dictionaries(
    {},
    optional={"intent_response_key": st.builds(lambda s: f"kb_civil_inheritance/{s}", slug), "confidence": confidence},
)
parse = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(st.none(), st.text(max_size=300)),
        "intent": intent,
        "intent_ranking": st.one_of(
            st.none(), st.lists(st.fixed_dictionaries({"name": name, "confidence": confidence}))
        ),
        "entities": st.lists(st.fixed_dictionaries({"entity": st.sampled_from(["entry", "other"]), "value": slug})),
        "response_selector": st.one_of(
            st.none(),
            st.fixed_dictionaries({"default": st.fixed_dictionaries({"ranking": st.lists(selector_item, max_size=5)})}),
        ),
        "entry_matches": st.lists(
            st.fixed_dictionaries({"entry": slug, "similarity": st.floats(-1, 1), "top3": st.floats(-1, 1)}), max_size=5
        ),
        "safety": st.dictionaries(st.sampled_from(["danger", "needs_person", "ordinary"]), st.floats(-1, 1)),
    },
)


def _valid(decision) -> None:
    assert isinstance(decision.action, Action) and isinstance(decision.topic, str) and decision.topic
    assert decision.entry is None or decision.entry in ENTRIES
    assert set(decision.choices) <= set(ENTRIES)
    assert math.isfinite(decision.confidence)
    if decision.action == Action.answer:
        assert decision.entry is not None and decision.citations


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parse)
def test_any_parse_gives_a_valid_decision(parse):
    _valid(decide(parse, ENTRIES))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parse, st.sampled_from(DANGER), st.text(max_size=40), st.text(max_size=40))
def test_danger_always_wins(parse, danger, before, after):
    decision = decide({**parse, "text": f"{before}。{danger}。{after}"}, ENTRIES)
    _valid(decision)
    assert decision.action == Action.emergency


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_what_the_router_sends_on_is_well_formed_and_typed_text_is_never_an_intent(text):
    sent = well_formed(text)
    sent.encode("utf-8")  # no lone surrogate left
    assert well_formed(sent) == sent
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in sent)
    words = Inbound().as_typed(sent)
    assert not words.strip().startswith(("/", "#"))  # Rasa strips, then reads a leading "/" as an intent
    assert Inbound(typed=False).as_typed(sent) == sent  # a button's payload is left as it is


PARAGRAPHS = ["a", " " * 5000, "\n", "离" * 4096, "&" * 900, "法律依据：x"]  # at and around the limit
reply_text = st.one_of(
    st.text(min_size=1),
    st.lists(st.text(alphabet="离婚遗嘱<>&\"' \n法律依据：", min_size=1, max_size=3000), min_size=1, max_size=6).map(
        "\n\n".join
    ),
    st.builds(lambda n, c: c * n, st.integers(1, 12000), st.sampled_from(["&", "<", "离", "😀", "a\n", "\n\n"])),
    st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=4).map("\n\n".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply_text)
def test_any_reply_becomes_telegram_html_under_the_limit_that_says_all_of_it(text):
    messages = split_message(text)
    if not text.strip():
        return  # a reply with no text is never sent as text (delivery.py)
    shown = [visible_text(m) for m in messages]  # each one Telegram accepts: not empty, valid, short enough
    squeeze = str.maketrans("", "", " \n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029")
    assert "".join(shown).translate(squeeze) == html.unescape(html.escape(text)).translate(squeeze)
