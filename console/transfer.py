"""Import and export: the published entries as Excel or shipped-format YAML, and uploads that
become drafts (a new revision of an existing entry, never an overwrite), each row checked."""

from __future__ import annotations

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from console.auth import audit, requires
from console.context import console
from console.models import Role
from console.spreadsheet import FileProblems, read_file, write_xlsx, write_yaml_zip
from knowledge.content import CitationSpec, EntrySpec, published
from knowledge.revisions import newest
from knowledge.workflow import save_draft
from storage.privacy import mask
from texts import console as t

blueprint = Blueprint("transfer", __name__)


def _published_specs() -> list[EntrySpec]:
    """What residents get now, entry by entry; the example questions, which may be residents'
    own words, masked (storage/privacy.py)."""
    with console().db.session() as s:
        return [
            EntrySpec(
                slug=e.slug,
                topic=e.topic,
                title=e.title,
                answer=e.answer,
                examples=[mask(x.text) for x in e.examples],
                citations=[CitationSpec(c.law, c.article, c.quote) for c in e.citations],
            )
            for e in published(s)
        ]


@blueprint.route("/transfer")
@requires(Role.editor)
def page() -> str:
    return render_template("transfer.html", problems=[])


@blueprint.route("/export.xlsx")
@requires(Role.editor)
def export_xlsx() -> Response:
    return send_file(
        io.BytesIO(write_xlsx(_published_specs())),
        download_name="legalbot-entries.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
    )


@blueprint.route("/export.zip")
@requires(Role.editor)
def export_yaml() -> Response:
    return send_file(
        io.BytesIO(write_yaml_zip(_published_specs())),
        download_name="legalbot-content.zip",
        mimetype="application/zip",
        as_attachment=True,
    )


@blueprint.route("/import", methods=["POST"])
@requires(Role.editor)
def upload() -> WerkzeugResponse | tuple[str, int]:
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template("transfer.html", problems=[t.IMPORT_HELP]), 400
    name = file.filename.lower()
    try:
        specs = read_file(file.read(), name)
    except FileProblems as error:
        return render_template("transfer.html", problems=error.problems, filename=file.filename), 400
    drafted = 0
    with console().db.session() as s, s.begin():
        for spec in specs:
            current = newest(s, spec.slug)
            if current is not None and current.content == spec.content():
                continue  # nothing new in this row
            save_draft(s, spec.content(), current_user.name, f"imported from {file.filename}")
            drafted += 1
        audit(s, current_user.name, "import", f"{file.filename}: {drafted} drafts")
    flash(t.IMPORTED.format(count=drafted))
    return redirect(url_for("entries.index", status="draft"))
