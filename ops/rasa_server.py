"""`python -m ops.rasa_server ARG…`: `rasa ARG…` as the assistant serves it, with two of Rasa's
per-message costs paid once instead (README, "Speed"; each measured in one process, a one-off):

- Rasa 3.6 checks every reply of the action server with ``jsonschema.validate``, which first
  checks Rasa's schema itself: 3.0 ms a reply against 0.66 ms with a validator built once (one
  reply of three events and a long answer with buttons). A reply that fails goes to Rasa's own
  check, so its error and message are Rasa's.
- Reading a conversation back from the SQL tracker store, Rasa finds each stored event's class
  by walking every subclass of ``Event`` (``Event.resolve_by_type``): half of the time of
  reading back a conversation of 92 events. The classes are looked up in a table made once; a
  name not in it (an event class defined later, the old ``topic``, an unknown name) goes to
  Rasa's own lookup, so its answer and its error are Rasa's.
"""

from __future__ import annotations

from typing import Any

from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


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


if __name__ == "__main__":
    check_replies_with_a_prepared_validator()
    resolve_events_from_a_prepared_table()
    main()
