"""Publishing content into the database, on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import select

from knowledge.content import CitationSpec, ContentError, load, published_index
from knowledge.models import Entry, EntryStatus
from knowledge.render import citation_dicts, render_answer
from storage.db import Database
from tests.test_content import spec


def test_load_publishes_new_entries(db_url):
    with Database(db_url).session() as s, s.begin():
        assert load(s, [spec(), spec(slug="inherit-other-entry")]).counts["added"] == 2
    with Database(db_url).session() as s:
        index = published_index(s)
    assert set(index) == {"inherit-test-entry", "inherit-other-entry"}
    assert index["inherit-test-entry"].version == 1
    assert citation_dicts(index["inherit-test-entry"]) == [{"law": "中华人民共和国民法典", "article": 1142}]


def test_an_edit_makes_a_new_version_and_a_reload_does_not(db_url):
    with Database(db_url).session() as s, s.begin():
        load(s, [spec()])
    with Database(db_url).session() as s, s.begin():
        assert load(s, [spec()]).counts["unchanged"] == 1
    with Database(db_url).session() as s, s.begin():
        assert load(s, [spec(answer="改过的回答。")]).counts["updated"] == 1
    with Database(db_url).session() as s:
        entry = s.scalars(select(Entry)).one()
        assert (entry.version, entry.answer) == (2, "改过的回答。")


def test_an_entry_no_longer_shipped_is_retired_not_deleted(db_url):
    with Database(db_url).session() as s, s.begin():
        load(s, [spec(), spec(slug="inherit-other-entry")])
    with Database(db_url).session() as s, s.begin():
        assert load(s, [spec()]).counts["retired"] == 1
    with Database(db_url).session() as s:
        assert "inherit-other-entry" not in published_index(s)
        retired = s.scalars(select(Entry).where(Entry.slug == "inherit-other-entry")).one()
        assert retired.status == EntryStatus.retired


def test_content_with_a_bad_citation_loads_nothing(db_url):
    bad = spec(slug="inherit-bad-entry", citations=[CitationSpec(law="中华人民共和国继承法", article=16)])
    with pytest.raises(ContentError) as error, Database(db_url).session() as s, s.begin():
        load(s, [spec(), bad])
    assert any("继承法" in p for p in error.value.problems)
    with Database(db_url).session() as s:
        assert published_index(s) == {}


def test_the_rendered_answer_ends_with_its_legal_basis_and_a_person(db_url):
    citations = [
        CitationSpec(law="中华人民共和国民法典", article=1134),
        CitationSpec(law="中华人民共和国民法典", article=1142),
        CitationSpec(law="中华人民共和国公证法", article=26),
    ]
    with Database(db_url).session() as s, s.begin():
        load(s, [spec(citations=citations)])
    with Database(db_url).session() as s:
        text = render_answer(published_index(s)["inherit-test-entry"])
    assert text.startswith("以最后的遗嘱为准。")
    assert (
        "法律依据：《中华人民共和国民法典》第一千一百三十四条、第一千一百四十二条；《中华人民共和国公证法》第二十六条"
    ) in text
    assert text.rstrip().endswith("12348公共法律服务热线。")
