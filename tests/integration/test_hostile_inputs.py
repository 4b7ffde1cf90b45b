"""Hostile and odd inputs (tests/data/hostile_inputs.yml) through the real path: the fake Bot API,
the Telegram channel, the router, the Rasa and action servers. Each gets a clear reply, in
valid Telegram HTML, and nothing typed acts as an intent or a button; faults of the Bot API and
a restart of Telegram's update ids are injected on the way. A summary is printed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml

from handoff.cases import current_case
from tests.fake_telegram import FakeTelegram
from tests.integration.telegram_helpers import channel_running, new_chat, run, settled
from tests.telegram_html import visible_text
from texts import residents

CORPUS = Path(__file__).parent.parent / "data" / "hostile_inputs.yml"
# Replies that would show a typed /intent or #button acted as one, or that handling failed.
NEVER = {
    residents.ASK_DISTRICT,
    residents.FEEDBACK_THANKS,
    residents.FEEDBACK_SORRY,
    residents.RESTARTED,
    residents.EXPIRED_BUTTON,
    residents.SORRY,
    residents.NO_REPLY,
}
# Faults of the Bot API for the first replies of some chats.
FAULTS = [["429:1"], ["502"], ["drop"], ["500", "503"]]


def corpus() -> dict[str, list[str]]:
    """The inputs of each class; long ones expanded and lone surrogates decoded."""
    classes = {}
    for kind, entries in yaml.safe_load(CORPUS.read_text(encoding="utf-8")).items():
        texts = [entry["repeat"] * entry["times"] if isinstance(entry, dict) else entry for entry in entries]
        classes[kind] = [json.loads(text) for text in texts] if kind == "lone_surrogates" else texts
    return classes


CLASSES = corpus()
# Sent last: until the router refuses oversized messages, Rasa takes minutes over each of them.
ORDER = sorted(CLASSES, key=lambda kind: kind in ("oversized", "very_long_chinese"))


@pytest.fixture(scope="module")
def summary():
    """What the corpus tests tried, printed once at the end."""
    counts = {"inputs tried": 0, "faults injected": 0, "messages sent": 0, "messages answered": 0}
    yield counts
    print("\nhostile inputs: " + ", ".join(f"{name}: {count}" for name, count in counts.items()))


def test_the_corpus_has_at_least_200_inputs_in_classes():
    assert sum(map(len, CLASSES.values())) >= 200 and len(CLASSES) >= 20
    assert all(isinstance(text, str) for texts in CLASSES.values() for text in texts)


def check_reply(kind: str, text: str, replies: list[str]) -> None:
    where = f"{kind} {text[:60]!r}"
    assert replies, f"no reply to {where}"
    for reply in replies:
        visible_text(reply)  # raises where Telegram would refuse it
        assert "Traceback" not in reply and reply not in NEVER, f"{where} got {reply!r}"


@pytest.mark.parametrize("kind", ORDER)
def test_every_hostile_input_gets_a_clear_reply_and_nothing_typed_acts_as_an_intent(core, summary, kind):
    texts = CLASSES[kind]
    summary["inputs tried"] += len(texts)

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chats = [new_chat() for _ in texts]
            if kind == "emoji":  # faults of the Bot API on the first replies of a few chats
                for chat, faults in zip(chats, FAULTS, strict=False):
                    api.faults[("sendMessage", chat)] = list(faults)
                    summary["faults injected"] += len(faults)
            sent = []
            for chat, text in zip(chats, texts, strict=True):
                if len(sent) == len(texts) // 2:  # Telegram restarts its update ids, lower, on a quiet queue
                    await api.wait_for(lambda: not api.updates, timeout=900)
                    api.restart_update_ids(sent[-1]["update_id"] - 10**6)
                    summary["faults injected"] += 1
                sent.append(api.text(chat, text))
                summary["messages sent"] += 1
            await api.wait_for(lambda: all(api.to(chat) for chat in chats), timeout=900)
            await settled(api, core, chats, timeout=900)
            for chat, text in zip(chats, texts, strict=True):
                check_reply(kind, text, [m.text for m in api.to(chat)])
                summary["messages answered"] += 1
            with core.db.session() as s:
                assert [c for c in chats if current_case(s, f"tg-{c}") is not None] == []

    asyncio.run(asyncio.wait_for(scenario(), timeout=1800))


def test_the_human_command_and_a_pressed_button_still_act_while_the_same_text_typed_does_not(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            typed, command = new_chat(), new_chat()
            api.text(typed, "/request_human")
            api.text(command, "/human")
            await api.wait_for(lambda: api.to(typed) and api.to(command))
            assert residents.ASK_DISTRICT not in [m.text for m in api.to(typed)]
            assert api.to(command)[-1].text == residents.ASK_DISTRICT
            api.press(api.to(command)[-1], residents.OTHER_DISTRICT)  # a button of the intake
            await api.wait_for(lambda: len(api.to(command)) >= 2)
            assert api.to(command)[-1].text.startswith(residents.ASK_CONSENT.split("{")[0])

    run(scenario)
