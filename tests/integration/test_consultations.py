"""The action server records what each message led to, for the console: masked, under a keyed
hash of the sender; 没帮助 marks the record of the answer it was pressed on. (The text is kept in
the pipeline's normal form: simplified characters, NFKC.)"""

from __future__ import annotations

import time

from sqlalchemy import select

from config.settings import stored_secret
from knowledge.content import read_content
from knowledge.models import Consultation
from knowledge.records import sender_hash

QUESTION = next(s.examples[0] for s in read_content() if s.slug == "inherit-conflicting-wills")


def records(core, sender: str, count: int, timeout: float = 30) -> list[Consultation]:
    """The sender's records once ``count`` are written (the action server writes them beside its
    replies) and the last 没帮助 has been applied."""
    hashed = sender_hash(sender, core.settings.sender_hash_key or stored_secret("sender-hash-key"))
    deadline = time.monotonic() + timeout
    while True:
        with core.db.session() as s:
            found = list(
                s.scalars(select(Consultation).where(Consultation.sender_hash == hashed).order_by(Consultation.id))
            )
        if (len(found) >= count and found[0].unhelpful) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_each_message_is_recorded_masked_and_unhelpful_marks_it(core, sender):
    core.say(sender, QUESTION)
    core.say(sender, "/feedback_unhelpful")
    core.say(sender, "今天天气怎么样 我电话13812345678")
    answer, other = records(core, sender, 2)
    assert (answer.action, answer.entry_slug, answer.unhelpful) == ("answer", "inherit-conflicting-wills", True)
    assert answer.text == QUESTION and answer.confidence > 0 and sender not in answer.sender_hash
    assert other.text == "今天天气怎么样 我电话138****5678" and not other.unhelpful
