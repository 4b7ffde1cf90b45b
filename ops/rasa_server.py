"""`python -m ops.rasa_server ARG…`: `rasa ARG…` as the assistant serves it, with three of Rasa's
per-message costs cut (README, "Speed"; each measured in one process, a one-off):

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
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import sqlalchemy as sa
from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.utils.common import all_subclasses

STORED = "_legalbot_stored_events"  # a tracker's events already in the database, set when it is read or saved


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
    check_replies_with_a_prepared_validator()
    resolve_events_from_a_prepared_table()
    save_new_events_without_counting()
    main()
