"""Issue 12's "done when" for privacy, with the real Rasa and action servers and the Telegram
channel on the fake Bot API, every process logging at DEBUG (the worst case: Rasa then logs each
message's text, python-telegram-bot each update): a seeded ID-card number (fake, with a valid
checksum) never reaches a log file, and it leaves every table after /forget (one resident) and
after the retention periods (another)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.forget import Forgetting
from ops.retention import Retention, prune_all
from ops.servers import free_ports, running_core
from ops.training import prepare
from storage.db import Database, utcnow
from storage.privacy import mask, mask_logs
from tests.fake_telegram import FakeTelegram
from tests.integration.conftest import Core, isolated_settings
from tests.integration.telegram_helpers import channel_running, new_chat, run, settled
from tests.privacy_seed import ID_CARD, KEY, rows_of, tables_holding
from texts import residents

OTHER_ID_CARD = "440112198506152810"  # fake, valid checksum too
QUESTION = "我身份证号{id}，我阿爸立咗两份遗嘱，内容唔同，以边份为准？"


@pytest.fixture(scope="module")
def logged_core(tmp_path_factory) -> Iterator[tuple[Core, Path]]:
    """Servers of their own, logging at DEBUG into a temporary directory."""
    logs = tmp_path_factory.mktemp("privacy-logs")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOG_LEVEL", "DEBUG")
        env.setenv("LEGALBOT_SENDER_HASH_KEY", KEY)
        # one Rasa worker is enough here, and loads sooner on a busy machine
        settings = isolated_settings(tmp_path_factory, rasa_workers=1)
        model = prepare(Database(settings.database_url))
        rasa_port, action_port, model_port = free_ports(3)
        with running_core(
            model,
            settings,
            log_dir=logs,
            timeout=600,
            rasa_port=rasa_port,
            action_port=action_port,
            model_port=model_port,
        ) as servers:
            yield Core(servers.url, settings.database_url, model, settings, servers.model_url), logs


def _until(condition, timeout: float = 60) -> None:
    """Wait for a row the action server writes beside its reply."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the action server did not record the message"
        time.sleep(0.1)


@pytest.fixture
def channel_log(logged_core) -> Iterator[Path]:
    """This process (the channel) logging at DEBUG into the same directory, masked as
    `legalbot` masks it (ops/cli.py)."""
    path = logged_core[1] / "channel.log"
    handler, root, factory = (
        logging.FileHandler(path, encoding="utf-8"),
        logging.getLogger(),
        logging.getLogRecordFactory(),
    )
    level = root.level
    mask_logs()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
        logging.setLogRecordFactory(factory)


def test_an_id_card_number_never_reaches_a_log_and_leaves_every_table(logged_core, channel_log):
    core, logs = logged_core
    forgetting = Forgetting(core.db, core.settings.tracker_store_url, KEY)
    tracker = core.settings.tracker_store_url
    forgotten, kept = new_chat(), new_chat()

    async def scenario() -> None:
        async with FakeTelegram() as api, channel_running(api, core, forgetting=forgetting):
            for chat, number in ((forgotten, ID_CARD), (kept, OTHER_ID_CARD)):
                api.text(chat, QUESTION.format(id=number))
                await api.wait_for(lambda chat=chat: len(api.to(chat)) >= 1)
            await asyncio.to_thread(_until, lambda: rows_of(core.db, forgotten)["consultations"] == 1)
            assert {"events", "telegram_updates"} <= tables_holding(core.db, tracker, ID_CARD)

            api.text(forgotten, "/forget")
            await api.wait_for(lambda: api.to(forgotten)[-1].text == residents.FORGET_ASK)
            api.press(api.to(forgotten)[-1], residents.FORGET_YES)
            await api.wait_for(lambda: api.to(forgotten)[-1].text == residents.FORGOTTEN)
            await settled(api, core, [forgotten, kept])

    run(scenario)
    assert tables_holding(core.db, tracker, ID_CARD) == set()
    assert rows_of(core.db, forgotten) == {"consultations": 0, "feedback": 0}
    assert {"events", "telegram_updates"} <= tables_holding(core.db, tracker, OTHER_ID_CARD)
    assert rows_of(core.db, kept)["consultations"] == 1

    counts = prune_all(Retention.of(core.settings), utcnow() + timedelta(days=366))
    print(f"\nretention a year on: {counts}")
    assert tables_holding(core.db, tracker, OTHER_ID_CARD) == set()
    assert rows_of(core.db, kept) == {"consultations": 0, "feedback": 0}

    written = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in logs.iterdir()}
    print(f"log files: { {name: len(text) for name, text in written.items()} } characters")
    for name, text in written.items():
        assert ID_CARD not in text and OTHER_ID_CARD not in text, name
    rasa_log = next(text for name, text in written.items() if name.startswith("Rasa-server"))
    for text in (written["channel.log"], rasa_log):  # the text was logged, masked
        assert mask(ID_CARD) in text and mask(OTHER_ID_CARD) in text
