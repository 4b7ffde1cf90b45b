"""The served Rasa's prepared check of action replies accepts and refuses what Rasa's own does, and
its table of event classes answers what Rasa's own lookup answers."""

import jsonschema
import pytest
import rasa.shared.utils.common
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)

from ops.rasa_server import check_replies_with_a_prepared_validator, resolve_events_from_a_prepared_table

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
