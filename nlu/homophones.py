"""Homophone typos of legal terms: residents type by pinyin, and one wrong character of the same
sound (继成公正 for 继承公证) turns a legal term into words that no training example holds.

A span is put right only when it sounds exactly like one term of the legal dictionary
(nlu/dictionary/legal.txt, three characters or more; tones ignored) and jieba's dictionary cuts
the text at both of its ends: 去公正处办 becomes 去公证处办, while 公正处理 (fair handling) stays
as it is, because 处理 is a word and 公正处 would end inside it.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache
from pathlib import Path

import jieba

# Each character's own sound is all this needs: without its 400,000 phrases pypinyin takes
# about 10 MB in each Rasa worker instead of about 60.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
from pypinyin import lazy_pinyin

LEGAL_DICTIONARY = Path(__file__).parent / "dictionary" / "legal.txt"
SHORTEST_TERM = 3  # two-character sounds collide with everyday words (公正, 遗属)


@lru_cache(maxsize=20_000)  # the common characters, bounded whatever residents send
def _sound(char: str) -> str:
    return lazy_pinyin(char)[0]


def sounds(text: str) -> tuple[str, ...]:
    """One toneless syllable per character; anything but Chinese stays itself. Each character's
    sound is looked up once and kept: pypinyin takes 0.1 ms for a sentence."""
    return tuple(_sound(char) for char in text)


@cache
def terms_by_sound() -> dict[tuple[str, ...], frozenset[str]]:
    """The dictionary's terms by their sound (抚养费 and 扶养费 share one)."""
    found: dict[tuple[str, ...], set[str]] = {}
    for line in LEGAL_DICTIONARY.read_text(encoding="utf-8").splitlines():
        term = line.split(maxsplit=1)[0] if line.strip() else ""
        if len(term) >= SHORTEST_TERM:
            found.setdefault(sounds(term), set()).add(term)
    return {sound: frozenset(terms) for sound, terms in found.items()}


@cache
def _term_lengths() -> list[int]:
    """The terms' lengths, longest first: the spans a text is looked up by."""
    return sorted({len(sound) for sound in terms_by_sound()}, reverse=True)


def _dictionary_cuts(text: str) -> set[int]:
    """Where jieba cuts the text by its dictionary alone: its HMM would glue the characters next
    to a typo into a made-up word (去公正处办 -> 去|公正|处办)."""
    cuts, position = {0}, 0
    for word in jieba.cut(text, HMM=False):
        position += len(word)
        cuts.add(position)
    return cuts


def correct_homophones(text: str) -> str:
    """The text with each homophone of a legal term replaced by the term (longest first); a span
    that sounds like two terms is left alone, as is one already spelt as a term."""
    terms = terms_by_sound()
    spoken = sounds(text)
    found: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        for length in _term_lengths():
            candidates = terms.get(spoken[start : start + length], frozenset())
            if candidates and text[start : start + length] not in candidates:
                if len(candidates) == 1:
                    found.append((start, next(iter(candidates))))
                start += length
                break
        else:
            start += 1
    if not found:
        return text
    cuts = _dictionary_cuts(text)
    corrected = list(text)
    for start, term in found:
        if {start, start + len(term)} <= cuts:
            corrected[start : start + len(term)] = term
    return "".join(corrected)
