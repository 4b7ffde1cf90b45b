"""The dense half of statute retrieval: every Civil Code article with its chapter and section
headings as an e5 vector (nlu/encoder.py), compared with the question's vector. It finds the
article a resident describes in other words than the statute's.

The article vectors are computed once per machine and kept under var/, named by a hash of the
encoder's version and of every article's text, so a changed statute database or encoder never
reuses stale vectors.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from config.settings import VAR
from knowledge import statutes
from nlu import encoder


def _documents(articles: list[statutes.CodeArticle]) -> list[str]:
    # Questions are compared with articles as queries on both sides: measured on STARD's dev
    # questions, hit@5 0.704 against 0.674 with e5's passage prefix on the articles.
    return [" ".join(f"{a.chapter} {a.section} {a.text}".split()) for a in articles]


class CivilCodeVectors:
    def __init__(self) -> None:
        articles = statutes.civil_code_articles()
        documents = _documents(articles)
        digest = hashlib.sha256("\0".join([encoder.encoder_version(), *documents]).encode()).hexdigest()[:16]
        path = VAR / f"civil-code-vectors-{digest}.npy"
        if path.exists():
            self.vectors = np.load(path)
        else:
            self.vectors = encoder.queries(documents)
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, self.vectors)
        self.numbers = [a.number for a in articles]

    def scores(self, question: str) -> np.ndarray:
        """Cosine of the question with every article, in the order of ``numbers``."""
        return self.vectors @ encoder.queries([question])[0]


@lru_cache(maxsize=1)
def civil_code_vectors() -> CivilCodeVectors:
    return CivilCodeVectors()
