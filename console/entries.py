"""The entry pages: the list, the edit form, the review steps, the history with its diffs and
rollback, and the citation check the form calls as a citation is typed."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from console.auth import audit, requires
from console.context import console
from console.forms import citation_from, content_from_form, describe
from console.listing import (
    Filters,
    citation_checks,
    duplicates_of,
    entry_rows,
    revision_text,
    unhelpful_questions,
)
from console.models import Role
from knowledge import sources, statutes, workflow
from knowledge.citations import check_citation
from knowledge.content import EntrySpec
from knowledge.models import EntryRevision
from knowledge.revisions import history, newest, revision
from knowledge.training_data import training_data
from storage.db import utcnow
from texts import console as t

blueprint = Blueprint("entries", __name__)


@blueprint.route("/entries")
@requires(Role.editor)
def index() -> str:
    days = request.args.get("edited", "")
    filters = Filters(
        text=request.args.get("q", "").strip(),
        topic=request.args.get("topic", ""),
        status=request.args.get("status", ""),
        edited_days=int(days) if days.isdigit() else None,
        non_national=bool(request.args.get("non_national")),
        unhelpful=bool(request.args.get("unhelpful")),
    )
    with console().db.session() as s:
        rows = entry_rows(s, filters, utcnow())
    return render_template("entries.html", rows=rows, filters=filters)


def _form_page(content: dict, problems: list[str] | None = None, new: bool = False) -> str:
    spec = EntrySpec.from_content(content)
    with console().db.session() as s:
        duplicates = duplicates_of(s, spec) if spec.examples else {}
    return render_template(
        "edit.html",
        spec=spec,
        new=new,
        problems=problems or [],
        duplicates=duplicates,
        checks=[describe(c, check) for c, check in citation_checks(spec)],
        laws=[*statutes.laws_in_force(), *sources.titles_in_force()],
    )


@blueprint.route("/entries/new", methods=["GET", "POST"])
@requires(Role.editor)
def new() -> Response | str:
    if request.method == "GET":
        return _form_page({"slug": "", "topic": request.args.get("topic", "")}, new=True)
    content = content_from_form(request.form)
    with console().db.session() as s, s.begin():
        if newest(s, content["slug"]) is not None:
            return _form_page(content, [t.SLUG_TAKEN], new=True)
        try:
            workflow.save_draft(s, content, current_user.name, request.form.get("comment") or None)
        except workflow.WorkflowError as error:
            return _form_page(content, error.problems, new=True)
        audit(s, current_user.name, "entry_draft", content["slug"])
    flash(t.SAVED)
    return redirect(url_for("entries.show", slug=content["slug"]))


@blueprint.route("/entries/<slug>")
@requires(Role.editor)
def show(slug: str) -> str:
    with console().db.session() as s:
        current = newest(s, slug) or abort(404)
        spec = EntrySpec.from_content(current.content)
        return render_template(
            "entry.html",
            current=current,
            spec=spec,
            live=workflow.published_content(s, slug),
            revisions=list(reversed(history(s, slug))),
            problems=workflow.problems_of(current.content),
            duplicates=duplicates_of(s, spec),
            checks=[describe(c, check) for c, check in citation_checks(spec)],
            authors=workflow.authors_of_change(s, slug),
            unhelpful=unhelpful_questions(s, slug),
        )


@blueprint.route("/entries/<slug>/edit", methods=["GET", "POST"])
@requires(Role.editor)
def edit(slug: str) -> Response | str:
    with console().db.session() as s:
        current = newest(s, slug) or abort(404)
    if request.method == "GET":
        return _form_page(current.content)
    content = content_from_form(request.form, slug)
    with console().db.session() as s, s.begin():
        workflow.save_draft(s, content, current_user.name, request.form.get("comment") or None)
        audit(s, current_user.name, "entry_draft", slug)
    flash(t.SAVED)
    return redirect(url_for("entries.show", slug=slug))


def _step(slug: str, action: str, done: str, step: Callable[[Session, str], EntryRevision]) -> Response:
    """Run one review step as the current user; say what happened, or why it was refused."""
    comment = request.form.get("comment", "").strip()
    with console().db.session() as s, s.begin():
        before = training_data(s)
        try:
            made = step(s, comment)
        except workflow.WorkflowError as error:
            audit(s, current_user.name, action, f"{slug}: refused: {error}", allowed=False)
            for problem in error.problems:
                flash(problem, "error")
            return redirect(url_for("entries.show", slug=slug))
        audit(s, current_user.name, action, f"{slug} revision {made.number}" + (f": {comment}" if comment else ""))
        retrain = training_data(s) != before
    flash(done)
    if retrain:
        console().retrainer.request(current_user.name)
        flash(t.RETRAIN_STARTED)
    return redirect(url_for("entries.show", slug=slug))


@blueprint.route("/entries/<slug>/submit", methods=["POST"])
@requires(Role.editor)
def submit(slug: str) -> Response:
    return _step(slug, "entry_submit", t.SUBMITTED, lambda s, c: workflow.submit(s, slug, current_user.name, c or None))


@blueprint.route("/entries/<slug>/approve", methods=["POST"])
@requires(Role.reviewer)
def approve(slug: str) -> Response:
    return _step(
        slug, "entry_approve", t.APPROVED, lambda s, c: workflow.approve(s, slug, current_user.name, c or None)
    )


@blueprint.route("/entries/<slug>/reject", methods=["POST"])
@requires(Role.reviewer)
def reject(slug: str) -> Response:
    return _step(slug, "entry_reject", t.REJECTED, lambda s, c: workflow.reject(s, slug, current_user.name, c))


@blueprint.route("/entries/<slug>/retire", methods=["POST"])
@requires(Role.reviewer)
def retire(slug: str) -> Response:
    return _step(slug, "entry_retire", t.RETIRED, lambda s, c: workflow.retire(s, slug, current_user.name, c or None))


@blueprint.route("/entries/<slug>/revisions/<int:number>")
@requires(Role.editor)
def show_revision(slug: str, number: int) -> str:
    with console().db.session() as s:
        this = revision(s, slug, number) or abort(404)
        before = revision(s, slug, number - 1)
        diff = list(
            difflib.unified_diff(
                revision_text(before) if before else [],
                revision_text(this),
                f"{t.REVISION} {number - 1}",
                f"{t.REVISION} {number}",
                lineterm="",
            )
        )
        return render_template("revision.html", revision=this, spec=EntrySpec.from_content(this.content), diff=diff)


@blueprint.route("/entries/<slug>/revisions/<int:number>/rollback", methods=["POST"])
@requires(Role.editor)
def rollback(slug: str, number: int) -> Response:
    return _step(
        slug, "entry_rollback", t.ROLLED_BACK, lambda s, c: workflow.rollback(s, slug, number, current_user.name)
    )


@blueprint.route("/api/citation")
@requires(Role.editor)
def check() -> Response:
    """The same check as `legalbot kb check`, for one citation as it is typed."""
    a = request.args
    c = citation_from(a.get("law", ""), a.get("article", ""), a.get("quote", ""))
    return jsonify(describe(c, check_citation(c.law, c.article, c.quote)))
