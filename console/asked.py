"""What residents asked that nobody answered: messages that fell back (a clarifying question
with nothing to choose), were handed to an adviser, or got 没帮助, grouped by topic and by
similar wording, counted per week, and turned into a draft entry with one press."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from console.auth import audit, requires
from console.context import console
from console.models import ConsoleUser, Role
from console.tryit import sender_key, sender_of
from knowledge.models import Consultation
from knowledge.records import sender_hash
from knowledge.similarity import group_similar
from knowledge.topics import ENTRY_TOPICS, Action
from knowledge.workflow import save_draft
from storage.db import utcnow
from storage.privacy import mask
from texts import console as t

blueprint = Blueprint("asked", __name__)
WEEKS = 12
KINDS = ("fallback", "handoff", "unhelpful")


def kind_of(c: Consultation) -> str:
    if c.unhelpful:
        return "unhelpful"
    if c.action in (Action.handoff.value, Action.emergency.value):
        return "handoff"
    return "fallback"


@dataclass
class Group:
    topic: str
    ids: list[int]
    texts: list[str]  # distinct, masked
    kinds: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.ids)


def unanswered(session: Session, since: datetime, testers: frozenset[str] = frozenset()) -> list[Consultation]:
    """What residents asked since then and nobody answered; ``testers``: the hashed senders of
    the team's own Try it conversations, left out."""
    query = select(Consultation).where(
        Consultation.at >= since,
        Consultation.sender_hash.not_in(testers),
        or_(
            Consultation.unhelpful.is_(True),
            Consultation.action.in_([Action.handoff.value, Action.emergency.value]),
            Consultation.action == Action.clarify.value,
        ),
    )
    rows = list(session.scalars(query.order_by(Consultation.at)))
    # "clarify without choices" is filtered here: comparing JSON is not portable across databases
    return [c for c in rows if c.unhelpful or c.action != Action.clarify.value or not c.choices]


def groups_of(rows: list[Consultation]) -> list[Group]:
    """By topic, then by similar wording within the topic; largest first."""
    by_topic: dict[str, list[Consultation]] = {}
    for c in rows:
        by_topic.setdefault(c.topic, []).append(c)
    groups = []
    for topic, items in by_topic.items():
        texts = [mask(c.text) for c in items]  # masked when written; masked again in case of an older row
        for members in group_similar(texts):
            chosen = [items[i] for i in members]
            groups.append(
                Group(
                    topic,
                    [c.id for c in chosen],
                    list(dict.fromkeys(texts[i] for i in members)),
                    Counter(kind_of(c) for c in chosen),
                )
            )
    return sorted(groups, key=lambda g: -g.count)


def week_of(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def weekly(rows: list[Consultation], now: datetime) -> list[tuple[date, Counter]]:
    """Counts per kind for each of the last WEEKS weeks (Monday first), oldest first."""
    this_week = week_of(now)
    weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    counts: dict[date, Counter] = {w: Counter() for w in weeks}
    for c in rows:
        week = week_of(c.at)
        if week in counts:
            counts[week][kind_of(c)] += 1
    return [(w, counts[w]) for w in weeks]


@blueprint.route("/asked")
@requires(Role.editor)
def page() -> str:
    now = utcnow()
    with console().db.session() as s:
        testers = frozenset(sender_hash(sender_of(name), sender_key()) for name in s.scalars(select(ConsoleUser.name)))
        rows = unanswered(s, now - timedelta(weeks=WEEKS), testers)
    topic = request.args.get("topic", "")
    groups = [g for g in groups_of(rows) if not topic or g.topic == topic]
    weeks = weekly(rows, now)
    top = max([sum(c.values()) for _, c in weeks] + [1])
    return render_template("asked.html", groups=groups, weeks=weeks, top=top, kinds=KINDS, topic=topic)


@blueprint.route("/asked/draft", methods=["POST"])
@requires(Role.editor)
def draft() -> Response:
    ids = [int(i) for i in request.form.getlist("id") if i.isdigit()]
    with console().db.session() as s, s.begin():
        rows = list(s.scalars(select(Consultation).where(Consultation.id.in_(ids)))) if ids else []
        if not rows:
            abort(400)
        topic = rows[0].topic if rows[0].topic in ENTRY_TOPICS else ""
        stamp = utcnow().strftime("%Y%m%d%H%M%S")
        slug = f"new-{(topic or 'other').replace('.', '-').replace('_', '')}-{stamp}"
        examples = list(dict.fromkeys(mask(c.text) for c in rows))
        content = {
            "slug": slug,
            "topic": topic,
            "title": t.DRAFT_FROM_GROUP_TITLE.format(topic=topic or "?"),
            "answer": "",
            "examples": examples,
            "citations": [],
        }
        save_draft(s, content, current_user.name, "from what residents asked")
        audit(s, current_user.name, "entry_draft", f"{slug} from {len(rows)} residents' messages")
    flash(t.SAVED)
    return redirect(url_for("entries.edit", slug=slug))
