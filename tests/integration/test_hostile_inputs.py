"""Hostile and odd inputs (tests/data/hostile_inputs.yml) through the real path: the fake Bot API,
the Telegram channel, the router, the Rasa and action servers. Each gets a clear reply, in
valid Telegram HTML, and nothing typed acts as an intent or a button; faults of the Bot API and
a restart of Telegram's update ids are injected on the way. A summary is printed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml

from handoff.cases import current_case
from tests.fake_telegram import FakeTelegram
from tests.integration.telegram_helpers import channel_running, new_chat, run, settled
from tests.telegram_html import visible_text
from texts import residents

CORPUS = Path(__file__).parent.parent / "data" / "hostile_inputs.yml"
BATCH = 25
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
# Faults of the Bot API for the first replies of some chats of the first batch.
FAULTS = [["429:1"], ["502"], ["drop"], ["500", "503"]]


def corpus() -> list[tuple[str, str]]:
    """(class, text) for every input; long ones are expanded and lone surrogates decoded."""
    items = []
    for kind, entries in yaml.safe_load(CORPUS.read_text(encoding="utf-8")).items():
        for entry in entries:
            text = entry["repeat"] * entry["times"] if isinstance(entry, dict) else entry
            items.append((kind, json.loads(text) if kind == "lone_surrogates" else text))
    return items


def check_reply(kind: str, text: str, replies: list[str]) -> None:
    where = f"{kind} {text[:60]!r}"
    assert replies, f"no reply to {where}"
    for reply in replies:
        visible_text(reply)  # raises where Telegram would refuse it
        assert "Traceback" not in reply and reply not in NEVER, f"{where} got {reply!r}"


def test_every_hostile_input_gets_a_clear_reply_and_nothing_typed_acts_as_an_intent(core):
    items = corpus()
    assert len(items) >= 200
    summary = {"inputs tried": len(items), "faults injected": 0, "messages sent": 0, "messages answered": 0}

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chats: list[int] = []
            last_id = 0
            for start in range(0, len(items), BATCH):
                batch = [(new_chat(), kind, text) for kind, text in items[start : start + BATCH]]
                if start == 0:
                    for (chat, _, _), faults in zip(batch, FAULTS, strict=False):
                        api.faults[("sendMessage", chat)] = list(faults)
                        summary["faults injected"] += len(faults)
                if start == BATCH * 4:  # Telegram restarts its update ids, lower, mid-run
                    api.restart_update_ids(last_id - 10**6)
                    summary["faults injected"] += 1
                for chat, _, text in batch:
                    last_id = api.text(chat, text)["update_id"]
                    summary["messages sent"] += 1
                chats += [chat for chat, _, _ in batch]
                await api.wait_for(lambda batch=batch: all(api.to(chat) for chat, _, _ in batch), timeout=600)
                await settled(api, core, [chat for chat, _, _ in batch], timeout=900)  # 20,000 characters take a while
                for chat, kind, text in batch:
                    check_reply(kind, text, [m.text for m in api.to(chat)])
                    summary["messages answered"] += 1
            with core.db.session() as s:
                assert [c for c in chats if current_case(s, f"tg-{c}") is not None] == []

    asyncio.run(asyncio.wait_for(scenario(), timeout=3600))
    print("\n" + ", ".join(f"{name}: {count}" for name, count in summary.items()))
    assert summary["messages answered"] == summary["messages sent"] == len(items)


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
