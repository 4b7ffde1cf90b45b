"""What the handoff tests share: the settings, two moments in Guangzhou time, and ways to find
and make advisers, villages and cases in the shipped sample registry."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from config.settings import HandoffSettings
from handoff.cases import open_intake
from handoff.models import Adviser, Case, CaseOffer, Village
from handoff.routing import submit, take

SETTINGS = HandoffSettings(
    offer_timeout=timedelta(minutes=10),
    first_response=timedelta(minutes=30),
    next_response=timedelta(hours=2),
    inactivity_close=timedelta(hours=72),
)
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)  # 10:00 in Guangzhou
SUNDAY_23 = datetime(2026, 11, 29, 15, 0, tzinfo=timezone.utc)  # 23:00 in Guangzhou
ZONE = SETTINGS.zone


def adviser(s, code: str) -> Adviser:
    return s.scalars(select(Adviser).where(Adviser.code == code)).one()


def village(s, code: str) -> Village:
    return s.scalars(select(Village).where(Village.code == code)).one()


def new_case(s, village_code: str | None, district: str = "从化区", chat: int = 4242) -> Case:
    case = open_intake(
        s, f"tg-{chat}", "civil.inheritance", "request", [{"from": "resident", "text": "两份遗嘱听哪份"}]
    )
    case.district = district
    case.village_id = village(s, village_code).id if village_code else None
    return case


def offers(s, case: Case) -> list[tuple[str, str]]:
    rows = s.scalars(select(CaseOffer).where(CaseOffer.case_id == case.id).order_by(CaseOffer.id))
    return [(s.get(Adviser, o.adviser_id).code, o.outcome) for o in rows]


def taken_case(s) -> tuple[Case, Adviser]:
    case = new_case(s, "chh-wq-nanping")
    submit(s, case, SETTINGS, MONDAY_10)
    chen = adviser(s, "chh-chen")
    assert take(s, case.id, chen, SETTINGS, MONDAY_10).taken
    return case, chen
