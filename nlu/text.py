"""The one normal form of a resident's text, shared by the NLU pipeline and the decision code.

Traditional characters (遺囑公證) become simplified with OpenCC's t2s table; full-width letters
and digits (ＡＢＣ１２３) are folded to ASCII by NFKC.
"""

from __future__ import annotations

import unicodedata

import opencc

_T2S = opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    return _T2S.convert(unicodedata.normalize("NFKC", text)).strip()


def letters_and_digits(text: str) -> str:
    """The text without punctuation, spaces or emoji: what says something in a short message."""
    return "".join(ch for ch in text if ch.isalnum())
