"""The served Rasa's prepared check of action replies accepts and refuses what Rasa's own does."""

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from ops.rasa_server import check_replies_with_a_prepared_validator

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
