"""The web import, for managers and administrators: upload, preview, confirm.

The uploaded file is kept on the server under a random token (carertrack/imports/storage.py). The
preview is a dry run of exactly that file; confirming runs the import for real on the same file,
checked again, so a record added in between can never be duplicated.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from carertrack.access import get_or_404, roles
from carertrack.extensions import db
from carertrack.imports import storage
from carertrack.imports.engine import KINDS, ImportResult, run_import
from carertrack.imports.forms import KIND_CHOICES, KIND_LABELS, ConfirmForm, UploadForm, too_large_message
from carertrack.imports.summary import created_phrase, kept_lines, run_created
from carertrack.models.import_run import ImportRun
from carertrack.models.user import Role

bp = Blueprint("imports", __name__, url_prefix="/import")

IMPORTERS = (Role.MANAGER, Role.ADMIN)
PREVIEW_ROWS = 500  # rows listed on the preview; the counts always cover the whole file
RECENT_RUNS = 10
# Room for the form's other fields around the file itself.
MULTIPART_ALLOWANCE = 64 * 1024


@bp.url_value_preprocessor
def limit_upload_size(endpoint: str | None, values: dict | None) -> None:
    """Refuse an oversized upload before anything reads it (this runs before the CSRF check parses the body)."""
    if endpoint == "imports.upload" and request.method == "POST":
        request.max_content_length = storage.max_bytes() + MULTIPART_ALLOWANCE


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
    """Show the upload page again with the GOV.UK message, not an error page."""
    form = UploadForm(formdata=None)
    form.file.errors = [too_large_message()]
    return _upload_page(form, 413)


def _upload_page(form: UploadForm, status: int):  # type: ignore[no-untyped-def]
    runs = db.session.scalars(select(ImportRun).order_by(ImportRun.imported_at.desc()).limit(RECENT_RUNS))
    kinds = [{"label": choice.label, "columns": KINDS[choice.value].columns} for choice in KIND_CHOICES]
    return render_template(
        "imports/upload.html", form=form, runs=list(runs), kinds=kinds, kind_labels=KIND_LABELS
    ), status


def _stored(token: str) -> storage.StoredUpload:
    stored = storage.load(token, current_user.id)
    if stored is None:
        abort(404)
    return stored


def _preview(stored: storage.StoredUpload, result: ImportResult, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template(
        "imports/preview.html",
        stored=stored,
        result=result,
        kind_label=KIND_LABELS[stored.kind],
        created=created_phrase(result),
        kept=kept_lines(result),
        shown_plans=result.plans[:PREVIEW_ROWS],
        confirm_form=ConfirmForm(),
    ), status


@bp.route("", methods=["GET", "POST"])
@roles(*IMPORTERS)
def upload():
    """Choose what the spreadsheet holds and upload it."""
    form = UploadForm()
    if form.validate_on_submit():
        stored = storage.save(form.file.data, form.kind.data, current_user.id)
        return redirect(url_for("imports.preview", token=stored.token))
    return _upload_page(form, 400 if form.errors else 200)


@bp.route("/<token>", methods=["GET"])
@roles(*IMPORTERS)
def preview(token: str):
    """What the file would create, and every error in it: a dry run that writes nothing."""
    stored = _stored(token)
    result = run_import(stored.kind, stored.path, stored.file_name, dry_run=True, channel="web")
    return _preview(stored, result)


@bp.route("/<token>", methods=["POST"])
@roles(*IMPORTERS)
def confirm(token: str):
    """Import the previewed file, checked again: all of it, or (if it now has errors) none of it."""
    stored = _stored(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = run_import(stored.kind, stored.path, stored.file_name, dry_run=False, channel="web")
    if not result.ok:
        return _preview(stored, result, 409)
    storage.delete(stored)
    if not result.written:
        flash(f"Nothing new to import: every row of {stored.file_name} is already in CarerTrack.", "success")
        return redirect(url_for("imports.upload"))
    flash(f"{stored.file_name} is imported: created {created_phrase(result)}.", "success")
    return redirect(url_for("imports.run", run_id=result.run_id))


@bp.route("/runs/<int:run_id>")
@roles(*IMPORTERS)
def run(run_id: int):
    """One import: who, when, which file and what it created."""
    import_run = get_or_404(ImportRun, run_id)
    return render_template(
        "imports/run.html",
        run=import_run,
        kind_label=KIND_LABELS.get(import_run.kind, import_run.kind),
        created=run_created(import_run.kind, import_run.created),
    )
