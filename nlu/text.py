"""The one normal form of a resident's text, shared by the NLU pipeline and the decision code.

Traditional characters (遺囑公證) become simplified with OpenCC's t2s table; full-width letters
and digits (ＡＢＣ１２３) are folded to ASCII by NFKC; a legal term typed with a wrong character of
the same sound (继成公正) is put right (nlu/homophones.py).
"""

from __future__ import annotations

import unicodedata

import opencc

from nlu.homophones import correct_homophones

_T2S = opencc.OpenCC("t2s")


def normalize_text(text: str) -> str:
    return correct_homophones(_T2S.convert(unicodedata.normalize("NFKC", text)).strip())


def letters_and_digits(text: str) -> str:
    """The text without punctuation, spaces or emoji: what says something in a short message."""
    return "".join(ch for ch in text if ch.isalnum())
