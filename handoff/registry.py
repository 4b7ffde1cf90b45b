"""The registry of villages, communities and their advisers: loaded from YAML, kept in the
database, and matched against what residents type ("我系南平村嘅", "南平", "南平村委")."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.cases import WITH_ADVISER, audit, end_offers, move, open_offers
from handoff.conversation import give_back
from handoff.hours import WorkingHours
from handoff.models import Adviser, Case, CaseOffer, CaseStatus, OfferOutcome, Village
from nlu.text import normalize_text
from storage.db import utcnow

SEED_REGISTRY = Path(__file__).resolve().parent / "registry.yml"
_SUFFIXES = re.compile(r"(村民委员会|居民委员会|村委会|居委会|村委|居委|经济联社|社区|村)$")
_NOISE = re.compile(r"[\s\W_]+")
#: Guangzhou's districts: a resident can name theirs even before any adviser or village of it is
#: registered (the case then waits for the district's office, and the resident is told so).
GUANGZHOU_DISTRICTS = (
    "越秀区",
    "海珠区",
    "荔湾区",
    "天河区",
    "白云区",
    "黄埔区",
    "番禺区",
    "花都区",
    "南沙区",
    "从化区",
    "增城区",
)
FUZZY_CUTOFF = 0.5  # names are 2–3 characters: one wrong character in two still counts


def core_name(text: str) -> str:
    """A village name without spaces, punctuation or 村/社区/居委会 endings, in simplified form."""
    return _SUFFIXES.sub("", _NOISE.sub("", normalize_text(text)))


@dataclass
class LoadReport:
    villages: int
    advisers: int


def load_registry(session: Session, path: Path = SEED_REGISTRY) -> LoadReport:
    """Insert or update every village and adviser of the file, matched by code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    villages = {}
    for item in data.get("villages", []):
        village = session.scalars(select(Village).where(Village.code == item["code"])).one_or_none()
        village = village or Village(code=item["code"])
        village.district, village.town, village.name = item["district"], item.get("town"), item["name"]
        village.aliases = list(item.get("aliases", []))
        session.add(village)
        villages[village.code] = village
    for item in data.get("advisers", []):
        WorkingHours.parse(item.get("hours", "mon-fri 09:00-18:00"))  # refuse a file with unreadable hours
        adviser = session.scalars(select(Adviser).where(Adviser.code == item["code"])).one_or_none()
        adviser = adviser or Adviser(code=item["code"])
        adviser.name, adviser.telegram_user_id = item["name"], int(item["telegram_user_id"])
        adviser.hours = item.get("hours", "mon-fri 09:00-18:00")
        adviser.capacity = int(item.get("capacity", 5))
        adviser.active = bool(item.get("active", True))
        adviser.duty_district = item.get("duty_district")
        try:
            adviser.villages = [villages[code] for code in item.get("villages", [])]
        except KeyError as error:
            raise ValueError(f"adviser {item['code']}: unknown village {error.args[0]}") from error
        session.add(adviser)
    session.flush()
    return LoadReport(len(villages), len(data.get("advisers", [])))


def districts(session: Session) -> list[str]:
    """The city's districts, then any other district the registry names."""
    registered = session.scalars(select(Village.district).distinct().order_by(Village.district))
    return list(dict.fromkeys([*GUANGZHOU_DISTRICTS, *registered]))


def has_villages(session: Session, district: str) -> bool:
    """Whether the registry knows any village of the district (if not, asking for one is pointless)."""
    return session.scalar(select(Village.id).where(Village.district == district).limit(1)) is not None


def match_district(session: Session, text: str) -> str | None:
    """The district a resident typed or picked ("从化", "從化區", "从化区")."""
    said = _NOISE.sub("", normalize_text(text)).removesuffix("区")
    return next((d for d in districts(session) if said and d.removesuffix("区") == said), None)


@dataclass
class VillageMatch:
    villages: list[Village]
    certain: bool  # the text names the village; otherwise a near spelling the resident must confirm


def match_villages(session: Session, district: str, text: str) -> VillageMatch:
    """Villages of the district the text names: exact names and aliases first, then a name the
    text contains, then near spellings (typos)."""
    said = core_name(text)
    if not said:
        return VillageMatch([], False)
    candidates = list(session.scalars(select(Village).where(Village.district == district).order_by(Village.id)))
    names = {village.id: {core_name(n) for n in [village.name, *village.aliases]} - {""} for village in candidates}
    exact = [v for v in candidates if said in names[v.id]]
    if exact:
        return VillageMatch(exact, True)
    contained = [v for v in candidates if any(name in said for name in names[v.id])]
    if contained:
        return VillageMatch(contained, True)
    by_name = {name: v for v in candidates for name in names[v.id]}
    close = difflib.get_close_matches(said, list(by_name), n=3, cutoff=FUZZY_CUTOFF)
    return VillageMatch(list(dict.fromkeys(by_name[name] for name in close)), False)


def add_adviser(
    session: Session,
    code: str,
    name: str,
    telegram_user_id: int,
    village_codes: list[str],
    hours: str,
    capacity: int,
    duty_district: str | None,
) -> Adviser:
    WorkingHours.parse(hours)
    villages = list(session.scalars(select(Village).where(Village.code.in_(village_codes))))
    missing = set(village_codes) - {v.code for v in villages}
    if missing:
        raise ValueError(f"unknown villages: {', '.join(sorted(missing))}")
    adviser = Adviser(
        code=code,
        name=name,
        telegram_user_id=telegram_user_id,
        hours=hours,
        capacity=capacity,
        duty_district=duty_district,
        active=True,
        villages=villages,
    )
    session.add(adviser)
    audit(session, "admin", "adviser_added", detail=code)
    session.flush()
    return adviser


def set_active(session: Session, code: str, active: bool) -> Adviser:
    """Deactivating withdraws the adviser's open offers and gives back the cases they hold: all
    go to the queue at once and are offered to others, so no resident waits on someone away."""
    adviser = session.scalars(select(Adviser).where(Adviser.code == code)).one_or_none()
    if adviser is None:
        raise ValueError(f"no adviser {code}")
    adviser.active = active
    audit(session, "admin", "adviser_activated" if active else "adviser_deactivated", detail=code)
    if active:
        return adviser
    offers = list(
        session.scalars(
            select(CaseOffer).where(CaseOffer.adviser_id == adviser.id, CaseOffer.outcome == OfferOutcome.open)
        )
    )  # of every case
    for offer in offers:
        end_offers(session, [offer], OfferOutcome.withdrawn)
        session.flush()
        case = session.get(Case, offer.case_id)
        if case.status == CaseStatus.offered and not open_offers(session, case.id):
            move(session, case, CaseStatus.queued, "admin", f"{code} deactivated")
    held = list(session.scalars(select(Case).where(Case.adviser_id == adviser.id, Case.status.in_(WITH_ADVISER))))
    for case in held:
        give_back(session, case, "admin", "taken off duty", utcnow())
    return adviser
