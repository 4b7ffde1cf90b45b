"""A yes or a no typed in answer to the offer of a person, instead of pressing its button.

The model barely tells 好 from 你好 or 唔使 from 好: a reply of a character or two has few n-grams,
and its e5 vector is near every question's (cross-validation of 2026-12-04: affirm and deny
F1 0.00, the held-out ones mostly taken for out_of_scope). So while an offer is pending, a reply
that is one of the affirm or deny examples of nlu/general.yml, punctuation aside, is that answer;
the training examples stay the one list of what counts as yes and no.
"""

from __future__ import annotations

from functools import lru_cache

from nlu.general import general_examples
from nlu.text import letters_and_digits, normalize_text

ANSWERS = ("affirm", "deny")
#: Sentence-final particles: 好啊, 不用了 and 唔使喇 answer as 好, 不用 and 唔使 do.
PARTICLES = "了啦喇呀啊吧哦噢喔嘞咯啰嘛"


def _bare(text: str) -> str:
    return letters_and_digits(normalize_text(text)).lower()


@lru_cache(maxsize=1)
def _answers() -> dict[str, str]:
    examples = general_examples()
    return {_bare(example): intent for intent in ANSWERS for example in examples[intent]}


def yes_or_no(text: str) -> str | None:
    """ "affirm" or "deny" when ``text`` is one of their examples (好, 要！, 唔使, 不用了), else None."""
    bare = _bare(text)
    return _answers().get(bare) or _answers().get(bare.rstrip(PARTICLES))
