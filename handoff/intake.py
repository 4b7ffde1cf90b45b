"""Before a case reaches anyone, the resident says where they live (district by button, village
or community by free text matched against the registry) and agrees to share the conversation.

Button payloads start with "#" so they are never mistaken for a question to the assistant.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from config.settings import HandoffSettings
from handoff.cases import audit, move
from handoff.models import Case, CaseStatus, IntakeStep, Village
from handoff.registry import districts, has_villages, match_district, match_villages
from handoff.routing import place, submit
from nlu.text import normalize_text
from texts import residents
from texts.reply import Reply

PAYLOAD = "#"
MISSES_BEFORE_MOVING_ON = 3
_YES = {"同意", "好", "好的", "可以", "行", "要", "是", "係", "系", "得", "ok", "yes", "嗯"}
_NO = {"不同意", "不", "不要", "不用", "唔要", "唔使", "唔同意", "no", "算了"}


def district_question(session: Session) -> Reply:
    buttons = [{"title": d, "payload": f"#district:{d}"} for d in districts(session)]
    return Reply(residents.ASK_DISTRICT, [*buttons, {"title": residents.OTHER_DISTRICT, "payload": "#district:?"}])


def unsure_button() -> dict:
    return {"title": residents.VILLAGE_UNSURE, "payload": "#village:?"}


def consent_question(session: Session, case: Case) -> Reply:
    case.intake_step, case.intake_misses = IntakeStep.consent, 0
    return Reply(
        residents.ASK_CONSENT.format(place=place(session, case)),
        [
            {"title": residents.CONSENT_YES, "payload": "#consent:yes"},
            {"title": residents.CONSENT_NO, "payload": "#consent:no"},
        ],
    )


def start(session: Session, case: Case, now: datetime) -> list[Reply]:
    """The first intake question. A channel an adviser's reply cannot reach (the local chat, a
    REST client) is promised none: the case ends at once and the resident hears what to do instead."""
    if case.resident_chat_id is None:
        case.intake_step = None
        move(session, case, CaseStatus.abandoned, "system", "the channel cannot carry an adviser's reply", now)
        audit(session, "system", "no_reply_channel", case.id)
        return [Reply(residents.NO_ADVISER_HERE)]
    return [district_question(session)]


def step(session: Session, case: Case, message: str, settings: HandoffSettings, now: datetime) -> list[Reply]:
    """The resident's answer to the current intake question; returns the next question."""
    kind, _, value = message.removeprefix(PAYLOAD).partition(":") if message.startswith(PAYLOAD) else ("", "", "")
    if case.intake_step == IntakeStep.district:
        return _district(session, case, value if kind == "district" else message)
    if case.intake_step == IntakeStep.village:
        return _village(session, case, message, kind, value)
    return _consent(session, case, value if kind == "consent" else message, settings, now)


def _district(session: Session, case: Case, said: str) -> list[Reply]:
    district = None if said == "?" else match_district(session, said)
    if district is None and said != "?":
        case.intake_misses += 1
        if case.intake_misses < MISSES_BEFORE_MOVING_ON:
            return [district_question(session)]
    case.district, case.intake_misses = district, 0
    if district is None or not has_villages(session, district):  # the district's (or every) duty pool
        return [consent_question(session, case)]
    case.intake_step = IntakeStep.village
    return [Reply(residents.ASK_VILLAGE, [unsure_button()])]


def _village(session: Session, case: Case, message: str, kind: str, value: str) -> list[Reply]:
    if kind == "village":
        village = session.get(Village, int(value)) if value.isdigit() else None
        case.village_id = village.id if village and village.district == case.district else None
        return [consent_question(session, case)]
    found = match_villages(session, case.district, message)
    if found.certain and len(found.villages) == 1:
        case.village_id = found.villages[0].id
        return [consent_question(session, case)]
    case.intake_misses += 1
    if found.villages:
        buttons = [{"title": f"{v.town or ''}{v.name}", "payload": f"#village:{v.id}"} for v in found.villages[:5]]
        return [Reply(residents.PICK_VILLAGE, [*buttons, unsure_button()])]
    if case.intake_misses >= MISSES_BEFORE_MOVING_ON:  # the district's duty pool will take it
        return [consent_question(session, case)]
    return [Reply(residents.VILLAGE_NOT_FOUND.format(district=case.district, text=message[:20]), [unsure_button()])]


def _consent(session: Session, case: Case, said: str, settings: HandoffSettings, now: datetime) -> list[Reply]:
    answer = normalize_text(said).strip("。.!！ ").lower()
    if answer in _NO:
        case.intake_step = None
        move(session, case, CaseStatus.abandoned, "resident", "consent refused", now)
        return [Reply(residents.CONSENT_REFUSED)]
    if answer in _YES:
        return [Reply(submit(session, case, settings, now))]
    return [consent_question(session, case)]
