"""Revisions and the review workflow, and the shipped content never overwriting the console."""

import pytest
from sqlalchemy import select

from knowledge.content import load, published_index
from knowledge.models import Entry, EntryStatus, RevisionStatus
from knowledge.revisions import SHIPPED_AUTHOR, history, newest
from knowledge.workflow import WorkflowError, approve, reject, retire, rollback, save_draft, submit
from storage.db import Database
from tests.test_content import spec

SLUG = "inherit-test-entry"


def statuses(s, slug=SLUG) -> list[tuple[str, str]]:
    return [(r.status, r.author) for r in history(s, slug)]


def test_the_shipped_content_becomes_revisions_by_shipped_content(db_url):
    with Database(db_url).session() as s, s.begin():
        load(s, [spec()])
        load(s, [spec()])  # unchanged: no new revision
        load(s, [spec(answer="改过的回答。")])
    with Database(db_url).session() as s:
        assert statuses(s) == [("published", SHIPPED_AUTHOR)] * 2
        assert newest(s, SLUG).content["answer"] == "改过的回答。"


def test_an_entry_edited_in_the_console_keeps_the_consoles_version(db_url):
    with Database(db_url).session() as s, s.begin():
        load(s, [spec(), spec(slug="inherit-other-entry")])
        save_draft(s, {**spec().content(), "answer": "编辑改的回答。"}, "editor1")
        submit(s, SLUG, "editor1")
        approve(s, SLUG, "reviewer1")
        save_draft(s, {**spec(slug="inherit-console-entry").content()}, "editor1")
    with Database(db_url).session() as s, s.begin():
        report = load(s, [spec(answer="新发布的回答。"), spec(slug="inherit-other-entry", answer="新发布的回答。")])
    assert report.skipped == [SLUG]
    with Database(db_url).session() as s:
        index = published_index(s)
        assert index[SLUG].answer == "编辑改的回答。"
        assert index["inherit-other-entry"].answer == "新发布的回答。"
        assert newest(s, "inherit-console-entry").status == RevisionStatus.draft  # not retired by the load


def test_a_change_goes_through_review_by_someone_else(db_url):
    with Database(db_url).session() as s, s.begin():
        save_draft(s, spec(examples=["只有一个问题"]).content(), "editor1")
        with pytest.raises(WorkflowError, match="distinct example questions"):
            submit(s, SLUG, "editor1")
        save_draft(s, spec().content(), "editor1")
        submit(s, SLUG, "editor1")
        with pytest.raises(WorkflowError, match="another reviewer"):
            approve(s, SLUG, "editor1")
        with pytest.raises(WorkflowError, match="comment"):
            reject(s, SLUG, "reviewer1", " ")
        reject(s, SLUG, "reviewer1", "引用不够")
        assert published_index(s) == {}
        submit(s, SLUG, "editor1")
        approve(s, SLUG, "reviewer1", "好")
        assert published_index(s)[SLUG].answer == spec().answer
        assert [st for st, _ in statuses(s)] == ["draft", "draft", "in_review", "rejected", "in_review", "published"]


def test_rollback_is_a_new_draft_reviewed_again_and_retire_hides_the_entry(db_url):
    with Database(db_url).session() as s, s.begin():
        load(s, [spec()])
        save_draft(s, spec(answer="错误的新回答。").content(), "editor1")
        submit(s, SLUG, "editor1")
        approve(s, SLUG, "reviewer1")
        draft = rollback(s, SLUG, 1, "editor2")
        assert (draft.status, draft.content["answer"]) == ("draft", spec().answer)
        assert published_index(s)[SLUG].answer == "错误的新回答。"  # live only after review
        submit(s, SLUG, "editor2")
        approve(s, SLUG, "reviewer1")
        assert published_index(s)[SLUG].answer == spec().answer
        retire(s, SLUG, "reviewer1")
        assert published_index(s) == {}
        entry = s.scalars(select(Entry).where(Entry.slug == SLUG)).one()
        assert entry.status == EntryStatus.retired
