"""The served Rasa's workers share the connections; its prepared check of action replies accepts
and refuses what Rasa's own does, its table of event classes answers what Rasa's own lookup
answers, and its tracker store writes the rows Rasa's own writes and reads back the conversation
Rasa's own reads (on SQLite and PostgreSQL)."""

import asyncio
import json
import os
import sys

import httpx
import jsonschema
import pytest
import rasa.shared.utils.common
import yaml
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

import ops.rasa_server
from config.settings import PROJECT_ROOT
from ops.rasa_server import (
    RECENT_TURNS,
    Session,
    SessionCache,
    check_replies_with_a_prepared_validator,
    read_only_new_events,
    recent_turns,
    resolve_events_from_a_prepared_table,
    save_new_events_without_counting,
    send_the_actions_what_they_read,
)
from ops.servers import free_ports, listening_sockets, running, wait_for_workers
from storage.tracker import delete_conversation

# Sanic as Rasa runs it with SANIC_WORKERS=2, each worker answering with its process id.
TWO_WORKERS = """
import os, sys
from sanic import Sanic, response
from ops.rasa_server import a_listening_socket_per_worker

a_listening_socket_per_worker()
app = Sanic("two_workers")
app.add_route(lambda request: response.text(str(os.getpid())), "/")
app.run(host="127.0.0.1", port=int(sys.argv[1]), workers=2, access_log=False)
"""


def test_connections_arriving_together_are_spread_over_the_workers(tmp_path):
    """Forty residents' connections opened at once, each kept by its own client: under Sanic's
    shared socket the first worker to wake took them all; here both workers answer, and every
    connection is answered (none waits on the main process's socket, which is never listened on)."""
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-c", TWO_WORKERS, str(port)]

    async def forty_connections() -> list[str]:
        clients = [httpx.AsyncClient(timeout=10) for _ in range(40)]
        try:
            return [r.text for r in await asyncio.gather(*(c.get(url) for c in clients))]
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))

    with running({"two workers": (command, url)}, dict(os.environ), url, tmp_path, timeout=60) as servers:
        wait_for_workers(port, 2, servers.processes["two workers"], timeout=30)
        assert listening_sockets(port) == 2  # the workers' own; the main process's never listens
        answers = asyncio.run(forty_connections())
    assert len(answers) == 40
    workers = set(answers)
    assert len(workers) == 2, f"one worker took all forty connections: {workers}"
    assert all(answers.count(pid) >= 8 for pid in workers)


VALID = {
    "events": [{"event": "slot", "timestamp": None, "name": "topic", "value": "civil.marriage"}],
    "responses": [{"text": "可以协议离婚。", "buttons": [{"title": "找法律顾问", "payload": "/request_person"}]}],
}
INVALID = {"events": [{"timestamp": None, "name": "topic"}], "responses": []}  # an event without its type


@pytest.fixture
def prepared(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    rasas = RemoteAction("action_consult", None)
    rasas_verdicts = [rasas._validate_action_result(VALID)]
    with pytest.raises(ValidationError) as rasas_error:
        rasas._validate_action_result(INVALID)
    check_replies_with_a_prepared_validator()
    return RemoteAction("action_consult", None), rasas_verdicts, rasas_error.value


def test_a_valid_reply_passes_without_checking_the_schema_again(prepared, monkeypatch):
    action, rasas_verdicts, _ = prepared

    def schema_checked_again(*args):
        raise AssertionError("jsonschema.validate checks the schema at every reply")

    monkeypatch.setattr(jsonschema, "validate", schema_checked_again)
    assert [action._validate_action_result(VALID)] == rasas_verdicts == [True]


def test_an_invalid_reply_gets_rasas_own_error(prepared):
    action, _, rasas_error = prepared
    with pytest.raises(ValidationError) as error:
        action._validate_action_result(INVALID)
    assert error.value.message == rasas_error.message
    assert "Failed to validate Action server response" in error.value.message


@pytest.fixture
def rasas_lookup(monkeypatch) -> None:
    """Rasa's own ``Event.resolve_by_type``, put back after the test."""
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])


def test_events_resolve_to_rasas_classes_without_walking_them(rasas_lookup, monkeypatch):
    names = {event_class.type_name for event_class in rasa.shared.utils.common.all_subclasses(Event)}
    rasas = {name: Event.resolve_by_type(name) for name in names}
    stored = [SessionStarted(), ActionExecuted("action_listen"), UserUttered("遗嘱怎么写"), SlotSet("topic", "x")]
    stored.append(BotUttered("可以自书遗嘱。", {"buttons": []}))
    resolve_events_from_a_prepared_table()

    def walked(*args):
        raise AssertionError("Event.resolve_by_type walked the subclasses of Event")

    monkeypatch.setattr(rasa.shared.utils.common, "all_subclasses", walked)
    assert {name: Event.resolve_by_type(name) for name in names} == rasas
    assert deserialise_events([event.as_dict() for event in stored]) == stored


def test_names_outside_the_table_get_rasas_answers(rasas_lookup):
    resolve_events_from_a_prepared_table()
    assert Event.resolve_by_type("topic") is None  # Rasa's old TopicSet
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


@pytest.fixture
def rasas_store(monkeypatch) -> None:
    """Rasa's own ``SQLTrackerStore`` methods, put back after the test."""
    for name in ("_retrieve", "save", "_additional_events"):
        monkeypatch.setattr(SQLTrackerStore, name, SQLTrackerStore.__dict__[name])


def _turn(tracker: DialogueStateTracker, n: int) -> None:
    at = 1_800_000_000.0 + 10 * n
    tracker.update(UserUttered(f"问题{n}", {"name": "ask_inheritance", "confidence": 0.9}, timestamp=at))
    tracker.update(SlotSet("topic", "civil.inheritance", timestamp=at + 1))
    tracker.update(ActionExecuted("action_consult", timestamp=at + 2))
    tracker.update(BotUttered(f"答复{n}", {"buttons": []}, timestamp=at + 3))
    tracker.update(ActionExecuted("action_listen", timestamp=at + 4))


async def _converse(store: SQLTrackerStore, sender: str) -> None:
    """A new conversation, three messages, one saved twice, then a new session and a message."""
    new = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen", timestamp=1_800_000_000.0)])
    await store.save(new)
    for n in range(3):
        tracker = await store.retrieve(sender)
        _turn(tracker, n)
        await store.save(tracker)
        if n == 1:
            await store.save(tracker)
    tracker = await store.retrieve(sender)
    tracker.update(ActionExecuted("action_session_start", timestamp=1_800_000_100.0))
    tracker.update(SessionStarted(timestamp=1_800_000_101.0))
    tracker.update(ActionExecuted("action_listen", timestamp=1_800_000_102.0))
    await store.save(tracker)
    tracker = await store.retrieve(sender)
    _turn(tracker, 20)
    await store.save(tracker)


def _rows(url: str, sender: str) -> list[tuple]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                "WHERE sender_id = :sender ORDER BY id"
            ),
            {"sender": sender},
        )
        found = [(*row[:4], json.loads(row[4])) for row in rows]
    engine.dispose()
    return found


def test_a_conversation_is_stored_as_rasas_store_stores_it_without_counting(db_url, rasas_store, monkeypatch):
    store = SQLTrackerStore(domain=Domain.empty(), host=db_url)
    asyncio.run(_converse(store, "rasa"))
    save_new_events_without_counting()
    counted = []
    rasas_count = SQLTrackerStore._additional_events

    def count(self, session, tracker):
        counted.append(len(tracker.events))
        return rasas_count(self, session, tracker)

    monkeypatch.setattr(SQLTrackerStore, "_additional_events", count)
    asyncio.run(_converse(store, "ours"))
    rasas_rows = _rows(db_url, "rasa")
    assert len(rasas_rows) == 1 + 3 * 5 + 3 + 5
    assert _rows(db_url, "ours") == rasas_rows
    assert counted == [1]  # only the tracker the store had not read
    whole = asyncio.run(store.retrieve_full_tracker("ours"))
    assert whole is not None and len(whole.events) == len(rasas_rows)


RASAS_RETRIEVE = SQLTrackerStore.__dict__["_retrieve"]  # read at import, before any test patches it


def _as_rasa_reads_it(store: SQLTrackerStore, sender: str) -> list[dict] | None:
    tracker = asyncio.run(RASAS_RETRIEVE(store, sender, False))
    return None if tracker is None else [event.as_dict() for event in tracker.events]


def _as_we_read_it(store: SQLTrackerStore, sender: str) -> list[dict] | None:
    tracker = asyncio.run(store.retrieve(sender))
    return None if tracker is None else [event.as_dict() for event in tracker.events]


def _add(store: SQLTrackerStore, sender: str, *events: Event) -> None:
    tracker = asyncio.run(store.retrieve(sender))
    tracker = tracker or DialogueStateTracker(sender, [])
    for event in events:
        tracker.update(event)
    asyncio.run(store.save(tracker))


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def test_two_workers_read_back_what_rasa_reads_back(db_url, rasas_store, monkeypatch, domain):
    """Two workers (two stores, each its own cache) take turns in one conversation: after every
    write each reads what Rasa's own query reads, through a new session, rows Rasa's session filter
    leaves out, the conversation's deletion and a new one begun after it."""
    rasas = SQLTrackerStore(domain=domain, host=db_url)  # read with RASAS_RETRIEVE
    read_only_new_events()
    save_new_events_without_counting()
    first, second = SQLTrackerStore(domain=domain, host=db_url), SQLTrackerStore(domain=domain, host=db_url)
    parsed = []
    monkeypatch.setattr(
        ops.rasa_server, "deserialise_events", lambda rows: parsed.append(len(rows)) or deserialise_events(rows)
    )

    def both_read_what_rasa_reads() -> None:
        expected = _as_rasa_reads_it(rasas, "r")
        assert _as_we_read_it(first, "r") == expected
        assert _as_we_read_it(second, "r") == expected

    _add(first, "r", ActionExecuted("action_listen", timestamp=1_800_000_000.0))
    both_read_what_rasa_reads()
    for n in range(4):
        tracker = asyncio.run((first, second)[n % 2].retrieve("r"))
        _turn(tracker, n)
        asyncio.run((first, second)[n % 2].save(tracker))
        parsed.clear()
        both_read_what_rasa_reads()
        assert parsed == [5, 5]  # each worker parsed only the turn's five new rows

    at = 1_800_000_100.0
    _add(second, "r", ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at + 1))
    both_read_what_rasa_reads()
    assert _as_we_read_it(first, "r") == [SessionStarted(timestamp=at + 1).as_dict()]  # nothing before it
    _add(second, "r", SlotSet("topic", "civil.property", timestamp=at - 50))  # before the session began
    assert min(event["timestamp"] for event in _as_rasa_reads_it(rasas, "r")) == at + 1  # Rasa leaves it out
    both_read_what_rasa_reads()
    tracker = asyncio.run(first.retrieve("r"))
    _turn(tracker, 9)
    asyncio.run(first.save(tracker))
    both_read_what_rasa_reads()

    assert delete_conversation(db_url, "r") > 0  # /forget, or retention
    assert _as_we_read_it(first, "r") is None
    _add(first, "r", ActionExecuted("action_listen", timestamp=1_800_000_200.0))  # begun anew
    both_read_what_rasa_reads()  # the second still held the deleted session
    assert len(_as_we_read_it(second, "r")) == 1


def test_the_least_recently_read_sessions_are_dropped_beyond_the_limit():
    def session(events: int) -> Session:
        return Session(1, events, None, tuple(ActionExecuted("action_listen") for _ in range(events)))

    cache = SessionCache(max_events=10)
    cache.put("a", session(4))
    cache.put("b", session(4))
    cache.put("a", session(5))  # read again: now the most recent
    cache.put("c", session(4))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    cache.put("a", None)  # the conversation is gone
    assert cache.get("a") is None
    cache.put("d", session(30))  # one session beyond the limit is still kept: it is being read
    assert cache.get("d") is not None and cache.get("c") is None


def test_the_last_turns_cover_every_rule_story_and_the_memoisations_history():
    """The window stands for the whole session only while no rule or story, and no policy's
    history, reaches further back than RECENT_TURNS user turns (each holds two actions or more)."""
    plans = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in (PROJECT_ROOT / "stories").glob("*.yml")]
    steps = [item["steps"] for plan in plans for item in plan.get("rules", []) + plan.get("stories", [])]
    assert steps and max(sum("intent" in step for step in s) for s in steps) < RECENT_TURNS
    config = yaml.safe_load((PROJECT_ROOT / "nlu" / "config.yml").read_text(encoding="utf-8"))
    histories = [policy.get("max_history") for policy in config["policies"] if policy["name"] != "RulePolicy"]
    assert None not in histories and max(histories) < 2 * RECENT_TURNS


def _turns(count: int) -> list[Event]:
    """``count`` user turns: the question, the action's reply and a slot it sets."""
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
    for n in range(count):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"问题{n}", {"name": "kb_civil_marriage", "confidence": 0.9}),
            ActionExecuted("action_consult"),
            BotUttered(f"回答{n}"),
            SlotSet("last_topic", f"topic {n}"),
        ]
    return [*events, ActionExecuted("action_listen")]


def test_the_policies_see_a_long_sessions_last_turns_with_the_slots_as_they_are_now(domain):
    tracker = DialogueStateTracker.from_events("resident", _turns(RECENT_TURNS + 5), domain.slots)
    recent = recent_turns(tracker)
    users = [e.text for e in recent.events if isinstance(e, UserUttered)]
    assert users == [f"问题{n}" for n in range(5, RECENT_TURNS + 5)]
    assert recent.events[0] == ActionExecuted("action_listen")
    assert recent.latest_message.text == f"问题{RECENT_TURNS + 4}"
    assert recent.get_slot("last_topic") == tracker.get_slot("last_topic") == f"topic {RECENT_TURNS + 4}"


@pytest.mark.parametrize(
    "events",
    [
        _turns(RECENT_TURNS),  # no turn before the last ones
        [*_turns(RECENT_TURNS + 5), UserUtteranceReverted()],  # a rewind takes back a turn
        [*_turns(RECENT_TURNS + 5), Restarted(), *_turns(2)[2:]],  # a restart among the last turns
        [*_turns(RECENT_TURNS + 5), *_turns(2)],  # a new session among them
    ],
    ids=["short", "rewind", "restart", "new session"],
)
def test_a_session_the_last_turns_cannot_stand_for_is_shown_whole(events, domain):
    tracker = DialogueStateTracker.from_events("resident", events, domain.slots)
    assert recent_turns(tracker) is tracker


def test_the_action_server_gets_the_earlier_messages_without_their_parse(monkeypatch, domain):
    """Everything Rasa sends, but the parse of the user messages before the latest: the latest
    message in full, the slots, and every event with its text and time (the transcript)."""
    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction._action_call_format)
    tracker = DialogueStateTracker.from_events("resident", _turns(3)[:-1], domain.slots)
    rasas = RemoteAction("action_consult", None)._action_call_format(tracker, domain)
    send_the_actions_what_they_read()
    ours = RemoteAction("action_consult", None)._action_call_format(tracker, domain)
    assert {k: v for k, v in ours.items() if k != "tracker"} == {k: v for k, v in rasas.items() if k != "tracker"}
    assert {k: v for k, v in ours["tracker"].items() if k != "events"} == {
        k: v for k, v in rasas["tracker"].items() if k != "events"
    }
    assert ours["tracker"]["latest_message"]["intent"]["name"] == "kb_civil_marriage"
    users = [e for e in ours["tracker"]["events"] if e["event"] == "user"]
    assert [("parse_data" in e, e["text"]) for e in users] == [(False, "问题0"), (False, "问题1"), (True, "问题2")]
    assert users[-1] == [e for e in rasas["tracker"]["events"] if e["event"] == "user"][-1]
    assert [{k: v for k, v in e.items() if k != "parse_data"} for e in ours["tracker"]["events"]] == [
        {k: v for k, v in e.items() if k != "parse_data"} for e in rasas["tracker"]["events"]
    ]
