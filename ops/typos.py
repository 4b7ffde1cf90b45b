"""Questions with a legal term mistyped as residents mistype it, for `legalbot eval --typos`.

In each question the first legal-dictionary term it holds (nlu/homophones.py's terms, longest
first) gets one character replaced by the commonest other character of the same sound, by jieba's
word frequencies, trying the term's last character first: 违约金 becomes 违约进, 放弃继承 becomes
放弃继成. A question with no such term is left out.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import jieba

from nlu.homophones import sounds, terms_by_sound
from nlu.text import normalize_text


@cache
def _commonest_by_sound() -> dict[str, list[str]]:
    """Chinese characters by their sound, the commonest first."""
    jieba.initialize()
    weight: Counter[str] = Counter()
    for word, frequency in jieba.dt.FREQ.items():
        for char in word:
            if "\u4e00" <= char <= "\u9fff":
                weight[char] += frequency
    by_sound: dict[str, list[str]] = {}
    for char, _ in weight.most_common():
        by_sound.setdefault(sounds(char)[0], []).append(char)
    return by_sound


@cache
def _terms_longest_first() -> list[str]:
    return sorted({t for ts in terms_by_sound().values() for t in ts}, key=lambda t: (-len(t), t))


def mistype(question: str) -> str | None:
    """The question (in its normal form) with one legal term mistyped, or None if it holds none."""
    text = normalize_text(question)
    by_sound = _commonest_by_sound()
    for term in _terms_longest_first():
        start = text.find(term)
        if start < 0:
            continue
        for offset in reversed(range(len(term))):
            others = [c for c in by_sound.get(sounds(term[offset])[0], []) if c != term[offset]]
            if others:
                at = start + offset
                return text[:at] + others[0] + text[at + 1 :]
    return None
