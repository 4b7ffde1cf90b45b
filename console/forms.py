"""From the edit form to an entry's content, and from a citation check to what the page says."""

from __future__ import annotations

from itertools import zip_longest

from werkzeug.datastructures import MultiDict

from knowledge import statutes
from knowledge.citations import CitationCheck, label
from knowledge.content import CitationSpec, EntrySpec
from texts import console as t


def lines(text: str) -> list[str]:
    """One item per non-empty line, duplicates dropped, order kept."""
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def citation_from(law: str, article: str, quote: str = "") -> CitationSpec:
    law = law.strip().strip("《》")
    article = article.strip().removeprefix("第").removesuffix("条")
    return CitationSpec(law=law, article=int(article) if article.isdigit() else None, quote=quote.strip() or None)


def content_from_form(form: MultiDict, slug: str | None = None) -> dict:
    """The entry as the form describes it (``slug``: the entry being edited; its slug stays)."""
    rows = zip_longest(
        form.getlist("law"),
        form.getlist("article"),
        form.getlist("quote"),
        fillvalue="",
    )
    citations = [citation_from(*row) for row in rows if row[0].strip()]
    return EntrySpec(
        slug=slug or form.get("slug", "").strip(),
        topic=form.get("topic", "").strip(),
        title=form.get("title", "").strip(),
        answer=form.get("answer", "").strip().replace("\r\n", "\n"),
        examples=lines(form.get("examples", "")),
        citations=citations,
    ).content()


def describe(c: CitationSpec, check: CitationCheck) -> dict:
    """What the page shows beside a citation: the article's text, or the error in plain words."""
    shown: dict = {"ok": check.fault is None, "fault": check.fault.value if check.fault else None}
    if check.provision is not None:
        shown["heading"] = check.provision.heading
        shown["text"] = check.provision.text
    if check.fault is not None:
        numbered = label(c.law, c.article) if c.article else ""
        law = statutes.repealed_name(c.law) or c.law
        shown["message"] = t.CITATION_FAULTS[check.fault.value].format(law=law, label=numbered)
        full = statutes.resolve_law_name(c.law)
        if full and full != c.law:
            shown["suggestion"] = t.DID_YOU_MEAN.format(law=full)
    return shown
