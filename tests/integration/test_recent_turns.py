"""The served Rasa shows its policies a long session's last turns only (ops/rasa_server.py): at every
action of a real conversation, longer than those turns, they predict from the last turns what they
predict from the whole session."""

from __future__ import annotations

import httpx
import pytest
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker

from ops.rasa_server import RECENT_TURNS, recent_turns
from tests.integration.test_conversations import EXAMPLES

# Questions, a vague one, smalltalk, replies to an offer, feedback, a button's payload, nonsense.
MESSAGES = (
    EXAMPLES["marriage-divorce-by-agreement"][0],
    "遗嘱的事",
    "好",
    "谢谢",
    "/feedback_helpful",
    "唔使",
    "asdkjh qwe",
    EXAMPLES["marriage-divorce-by-agreement"][1],
    "你是机器人吗",
    "/feedback_unhelpful",
    "拜拜",
)


@pytest.fixture(scope="module")
def agent(core) -> Agent:
    """The served model, loaded in this process to call its policies directly."""
    return Agent.load(str(core.model))


def test_the_policies_predict_from_the_last_turns_what_they_predict_from_the_whole_session(core, agent, sender):
    for text in MESSAGES * 2:
        core.say(sender, text)
    reply = httpx.get(f"{core.url}/conversations/{sender}/tracker", params={"token": core.token}, timeout=30)
    events = deserialise_events(reply.raise_for_status().json()["events"])
    predict = MessageProcessor._predict_next_with_tracker  # Rasa's own: this process is not patched
    compared = 0
    for n, event in enumerate(events):
        if not isinstance(event, ActionExecuted):
            continue
        whole = DialogueStateTracker.from_events(sender, events[:n], agent.domain.slots)
        recent = recent_turns(whole)
        if recent is whole:  # not yet more than RECENT_TURNS turns
            continue
        assert len(recent.events) < len(whole.events)
        assert predict(agent.processor, recent) == predict(agent.processor, whole), f"before event {n}: {event}"
        compared += 1
    assert len(MESSAGES) * 2 > RECENT_TURNS and compared >= 2 * (len(MESSAGES) * 2 - RECENT_TURNS)
