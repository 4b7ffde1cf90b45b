"""`python -m ops.rasa_server ARG…`: `rasa ARG…` as the assistant serves it, with its workers
sharing the load and six of Rasa's per-message costs cut (docs/measurements.md, "Speed"; each
measured in one process, a one-off):

- Sanic's workers (Rasa's SANIC_WORKERS) accept connections from one shared listening socket, and
  the first to wake accepts every connection waiting: 50 residents arriving at once were all
  served by one of two workers in 4 of 6 runs (the other's CPU time 0.0 s), and as their
  connections are kept alive the other worker idled for the whole run (29 messages a second
  against 46 when the two shared). Each worker listens on a socket of its own on the same port
  (SO_REUSEPORT), and the kernel spreads the connections over them; the port is reserved in the
  main process by a socket bound but never listened on, so no connection waits where no worker
  accepts.

- Rasa 3.6 checks every reply of the action server with ``jsonschema.validate``, which first
  checks Rasa's schema itself: 3.0 ms a reply against 0.66 ms with a validator built once (one
  reply of three events and a long answer with buttons). A reply that fails goes to Rasa's own
  check, so its error and message are Rasa's.
- Reading a conversation back from the SQL tracker store, Rasa finds each stored event's class
  by walking every subclass of ``Event`` (``Event.resolve_by_type``): half of the time of
  reading back a conversation of 92 events. The classes are looked up in a table made once; a
  name not in it (an event class defined later, the old ``topic``, an unknown name) goes to
  Rasa's own lookup, so its answer and its error are Rasa's.
- Saving a conversation, Rasa's SQL tracker store first counts the stored events of its session
  (a query with a subquery) to know which are new, then inserts the new ones one statement each.
  A tracker it read knows how many events it was read with, so the new ones are written at once,
  in one statement, without the count; a tracker read otherwise (a whole history, a new one, a
  copy) is counted as Rasa counts it. The rows are Rasa's, column for column.
- Reading a conversation back, Rasa reads, parses and rebuilds every event of the session at every
  message: 134 ms for a session of 2,354 events, so that a resident's message took 81 ms at the
  start of a session and 300 ms after 150 messages. Each worker keeps the events of the sessions
  it read last and reads only the rows added since (by its own or another worker's save), and
  the session's first row, whose absence means the conversation was deleted (/forget, retention).
  A new session, or a row Rasa's session filter would leave out, sends it back to Rasa's query.
  Rasa's lock store serialises the writes of one conversation across workers, so its row ids
  grow in the order they are committed.
- Choosing the next action, the policies rebuild the dialogue state after every action of the
  session (``past_states``), twice a message, though they look at its last few turns: the rules
  are one user turn each and the memoisation looks three states back (nlu/config.yml). A message
  took 43 ms at the start of a session and 125 ms after 300 messages, 57 % of that worker's time
  in those states (py-spy, 2026-12-08). The policies are shown the session's last RECENT_TURNS
  user turns, as a tracker that starts at the action before the first of them and holds the slots
  as they are now (none of them influences the conversation); a tracker with an active loop or a
  follow-up action goes to Rasa whole.
- Calling the action server, Rasa sends the whole session, every user message with the NLU's
  parse of it (3.9 kB a message: intents, entries, the selector's ranking), and the action server
  parses it all: 2.8 MB after 360 messages, a third of that worker's time in ``json.dumps`` and
  half of the action server's in reading it. The actions read the latest message's parse (sent
  apart, as ``latest_message``), the slots, and of the earlier events only their text and time
  (the transcript a handoff carries, actions/actions.py); the earlier user messages are sent
  without their parse.
"""

from __future__ import annotations

import itertools
import json
import socket
from collections import OrderedDict
from typing import Any, NamedTuple

import sqlalchemy as sa
from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses
from sanic.server import runners

STORED = "_legalbot_stored_events"  # a tracker's events already in the database, set when it is read or saved
SESSIONS = "_legalbot_sessions"  # a tracker store's SessionCache
CACHED_EVENTS = 20_000  # a worker's cached events, all sessions together (about 3 kB each)
#: The user turns the policies are shown: more than the longest rule or story they match needs
#: (stories/, and the memoisation's max_history of 3 states), so their prediction is the same.
RECENT_TURNS = 10
#: Events that only add to a conversation, never take back or reshape what came before.
PLAIN_EVENTS = frozenset(
    e.type_name
    for e in (UserUttered, BotUttered, SlotSet, ActionExecuted, DefinePrevUserUtteredFeaturization, EntitiesAdded)
)


def _reusable_socket(family: socket.AddressFamily, address: Any) -> socket.socket:
    sock = socket.socket(family)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def a_listening_socket_per_worker() -> None:
    sanics_serve = runners.serve

    def reserve_the_port(host: str, port: int, *, backlog: int = 100) -> socket.socket:
        """In place of Sanic's shared socket: the address bound, never listened on."""
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        return _reusable_socket(family, address)

    def serve(**settings: Any) -> Any:
        shared = settings.get("sock")
        if settings.get("run_multiple") and shared is not None and shared.family != socket.AF_UNIX:
            settings["sock"] = _reusable_socket(shared.family, shared.getsockname())
            shared.close()  # this worker's copy of the reserving socket
        return sanics_serve(**settings)

    runners.bind_socket = reserve_the_port
    runners.serve = serve


def check_replies_with_a_prepared_validator() -> None:
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)
    rasas_check = RemoteAction._validate_action_result

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        return validator.is_valid(result) or rasas_check(self, result)

    RemoteAction._validate_action_result = validate  # type: ignore[method-assign]


def resolve_events_from_a_prepared_table() -> None:
    classes: dict[str, type[Event]] = {}
    for event_class in all_subclasses(Event):  # Rasa's order: the first class of a name wins
        classes.setdefault(event_class.type_name, event_class)
    rasas_lookup = Event.resolve_by_type

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        return classes.get(type_name) or rasas_lookup(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


class Session(NamedTuple):
    """The latest session of a conversation as a worker last read it."""

    first_id: int  # the session's first row: gone when the conversation was deleted
    last_id: int  # the last row read
    started_at: float | None  # its SessionStarted's timestamp: Rasa reads the rows from it on
    events: tuple[Event, ...]


class SessionCache:
    """The sessions a worker read last, the least recently read dropped beyond ``max_events``."""

    def __init__(self, max_events: int = CACHED_EVENTS) -> None:
        self.max_events = max_events
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._events = 0

    def get(self, sender_id: str) -> Session | None:
        return self._sessions.get(sender_id)

    def put(self, sender_id: str, session: Session | None) -> None:
        old = self._sessions.pop(sender_id, None)
        self._events -= len(old.events) if old else 0
        if session is None:
            return
        self._sessions[sender_id] = session
        self._events += len(session.events)
        while self._events > self.max_events and len(self._sessions) > 1:
            _, dropped = self._sessions.popitem(last=False)
            self._events -= len(dropped.events)


def _sessions(store: SQLTrackerStore) -> SessionCache:
    if not hasattr(store, SESSIONS):
        setattr(store, SESSIONS, SessionCache())
    return getattr(store, SESSIONS)


def _read_session(store: SQLTrackerStore, session: Any, sender_id: str, cached: Session | None) -> Session | None:
    """The latest session of ``sender_id``: the cached one with the rows added since, or else
    Rasa's query (``None``: no rows)."""
    table = store.SQLEvent
    columns = (table.id, table.type_name, table.timestamp, table.data)
    if cached is not None:
        rows = session.execute(
            sa.select(*columns)
            .where(table.sender_id == sender_id, sa.or_(table.id > cached.last_id, table.id == cached.first_id))
            .order_by(table.id)
        ).all()
        new = rows[1:]
        if (
            rows
            and rows[0].id == cached.first_id
            and all(row.type_name != SessionStarted.type_name for row in new)
            and (cached.started_at is None or all(row.timestamp >= cached.started_at for row in new))
        ):
            last_id = new[-1].id if new else cached.last_id
            return cached._replace(last_id=last_id, events=cached.events + _events(new))
    rows = store._event_query(session, sender_id, fetch_events_from_all_sessions=False).with_entities(*columns).all()
    if not rows:
        return None
    starts = [row.timestamp for row in rows if row.type_name == SessionStarted.type_name]
    return Session(rows[0].id, rows[-1].id, max(starts) if starts else None, _events(rows))


def _events(rows: list[Any]) -> tuple[Event, ...]:
    return tuple(deserialise_events([json.loads(row.data) for row in rows]))


def read_only_new_events() -> None:
    rasas_retrieve = SQLTrackerStore._retrieve

    async def retrieve(
        self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await rasas_retrieve(self, sender_id, fetch_events_from_all_sessions)
        cache = _sessions(self)
        with self.session_scope() as session:
            read = _read_session(self, session, sender_id, cache.get(sender_id))
        cache.put(sender_id, read)
        if read is None or not self.domain:  # Rasa's answers: no rows, or no domain to rebuild with
            return None
        return DialogueStateTracker.from_events(sender_id, list(read.events), self.domain.slots)

    SQLTrackerStore._retrieve = retrieve  # type: ignore[method-assign]


def save_new_events_without_counting() -> None:
    rasas_retrieve = SQLTrackerStore._retrieve

    async def retrieve(
        self: SQLTrackerStore, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        tracker = await rasas_retrieve(self, sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:  # the session Rasa's count counts
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None or stored > len(tracker.events):
                new = self._additional_events(session, tracker)
            else:
                new = itertools.islice(tracker.events, stored, None)
            rows = [_row(tracker.sender_id, event) for event in new]
            if rows:
                session.execute(sa.insert(self.SQLEvent), rows)
            session.commit()
        setattr(tracker, STORED, len(tracker.events))

    SQLTrackerStore._retrieve = retrieve  # type: ignore[method-assign]
    SQLTrackerStore.save = save  # type: ignore[method-assign]


def recent_turns(tracker: DialogueStateTracker, turns: int = RECENT_TURNS) -> DialogueStateTracker:
    """``tracker``'s last ``turns`` user turns from the action before the first of them, with the
    slots as they are now; ``tracker`` itself if it has no earlier turn, an active loop or a
    follow-up action, or if an event on the way changes which events apply (a rewind, a restart,
    a new session, a loop: Rasa's ``applied_events``). The events are read from the end, so a long
    session costs no more than a short one."""
    if tracker.active_loop_name or tracker.followup_action:
        return tracker
    events, seen, start = tracker.events, 0, None
    for i in range(len(events) - 1, -1, -1):
        kind = events[i].type_name
        if kind not in PLAIN_EVENTS:
            return tracker
        if kind == UserUttered.type_name:
            if start is not None:  # an earlier turn: the window leaves something out
                window = list(itertools.islice(events, start, None))
                return DialogueStateTracker.from_events(tracker.sender_id, window, tracker.slots.values())
            seen += 1
        elif kind == ActionExecuted.type_name and seen == turns and start is None:
            start = i
    return tracker


def predict_from_the_recent_turns() -> None:
    rasas_predict = MessageProcessor._predict_next_with_tracker

    def predict(self: MessageProcessor, tracker: DialogueStateTracker) -> PolicyPrediction:
        return rasas_predict(self, recent_turns(tracker))

    MessageProcessor._predict_next_with_tracker = predict  # type: ignore[method-assign]


def send_the_actions_what_they_read() -> None:
    rasas_format = RemoteAction._action_call_format

    def call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
        request = rasas_format(self, tracker, domain)
        events = request["tracker"]["events"]
        users = [i for i, event in enumerate(events) if event.get("event") == UserUttered.type_name]
        for i in users[:-1]:
            events[i] = {key: value for key, value in events[i].items() if key != "parse_data"}
        return request

    RemoteAction._action_call_format = call_format  # type: ignore[method-assign]


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """The row Rasa's ``SQLTrackerStore.save`` writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


if __name__ == "__main__":
    a_listening_socket_per_worker()
    check_replies_with_a_prepared_validator()
    resolve_events_from_a_prepared_table()
    read_only_new_events()
    save_new_events_without_counting()  # wraps the retrieve above: it marks what it read as stored
    predict_from_the_recent_turns()
    send_the_actions_what_they_read()
    main()
