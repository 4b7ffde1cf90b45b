"""Publishing content into the database, on SQLite and on PostgreSQL."""

import pytest
from sqlalchemy import select, update

from knowledge.content import CitationSpec, ContentError, PublishedEntries, load, published_index
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


def test_kept_entries_are_reused_until_they_change_and_an_edit_is_live_with_the_next_call(db_url):
    db, kept, slugs = Database(db_url), PublishedEntries(), {"inherit-test-entry", "inherit-other-entry"}
    with db.session() as s, s.begin():
        load(s, [spec(), spec(slug="inherit-other-entry")])
    with db.session() as s:
        first = kept.index(s, slugs)
    with db.session() as s:
        second = kept.index(s, slugs)
        assert {slug: e.answer for slug, e in second.items()} == {
            slug: e.answer for slug, e in published_index(s, slugs).items()
        }
    assert all(second[slug] is first[slug] for slug in slugs)  # nothing changed: nothing loaded again

    with db.session() as s, s.begin():  # published anew (a new version), and the other retired
        load(s, [spec(answer="改过的回答。", citations=[CitationSpec(law="中华人民共和国民法典", article=1133)])])
    with db.session() as s:
        third = kept.index(s, slugs)
    assert set(third) == {"inherit-test-entry"}
    assert third["inherit-test-entry"].answer == "改过的回答。"
    assert citation_dicts(third["inherit-test-entry"]) == [{"law": "中华人民共和国民法典", "article": 1133}]

    with db.session() as s, s.begin():  # an edit of the row alone, without a new version
        s.execute(update(Entry).where(Entry.slug == "inherit-test-entry").values(answer="再改过。"))
    with db.session() as s:
        assert kept.index(s, slugs)["inherit-test-entry"].answer == "再改过。"


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
