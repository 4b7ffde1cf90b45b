"""What the operator commands print: personal numbers masked, on a real SQLite database."""

from __future__ import annotations

from handoff.cases import open_intake
from handoff.models import CaseEvent, CaseStatus
from ops.cli import main
from storage.db import Database
from tests.privacy_seed import ID_CARD


def test_a_case_history_is_printed_with_personal_numbers_masked(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with Database(url).session() as s, s.begin():
        case = open_intake(s, "tg-1", "civil.inheritance", "request", [{"from": "resident", "text": "遗嘱"}])
        s.flush()
        note = f"居民留了身份证{ID_CARD}和电话13812345678"
        s.add(
            CaseEvent(case_id=case.id, from_status=CaseStatus.intake, to_status=CaseStatus.queued, actor="x", note=note)
        )
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["cases", str(case.id)]) == 0
    printed = capsys.readouterr().out
    assert "居民留了身份证440***********1235和电话138****5678" in printed
    assert ID_CARD not in printed
