"""The upload and confirmation forms of the web import."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from werkzeug.datastructures import FileStorage
from wtforms import RadioField, SubmitField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from carertrack.imports import storage
from carertrack.imports.readers import SUPPORTED_SUFFIXES, suffix_of
from carertrack.validators import Required

KIND_CHOICES = [
    SelectChoice("cases", "Cases: prospective carers, at whatever stage they reached"),
    SelectChoice("households", "Approved households, current and past"),
    SelectChoice("people", "People in approved households, with their DBS"),
    SelectChoice("staying-put", "Staying-put arrangements"),
]
KIND_LABELS = {
    "cases": "Cases",
    "households": "Approved households",
    "people": "People in approved households",
    "staying-put": "Staying-put arrangements",
}


def size_text(size: int) -> str:
    """'10 MB', '500 KB' or '100 bytes' for a size in bytes."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    if size >= 1024:
        return f"{round(size / 1024):g} KB"
    return f"{size} bytes"


def too_large_message() -> str:
    """The GOV.UK file upload message for a file over the limit."""
    return f"The selected file must be smaller than {size_text(storage.max_bytes())}"


def _size(upload: FileStorage) -> int:
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


class UploadForm(FlaskForm):
    """What the spreadsheet holds, and the file."""

    kind = RadioField(
        "What does the spreadsheet hold?",
        widget=GovRadioInput(),
        choices=KIND_CHOICES,
        description="Import cases first, then households, then people, then staying put.",
        validators=[Required("Select what the spreadsheet holds")],
    )
    file = FileField(
        "Upload a spreadsheet",
        widget=GovFileInput(),
        description="A .csv file saved as CSV UTF-8, or an .xlsx workbook (only its first sheet is read).",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file.description += f" Smaller than {size_text(storage.max_bytes())}."

    def validate_file(self, field):  # type: ignore[no-untyped-def]
        upload = field.data
        if not isinstance(upload, FileStorage) or not upload.filename:
            raise StopValidation("Select a spreadsheet to upload")
        if suffix_of(upload.filename) not in SUPPORTED_SUFFIXES:
            raise ValidationError("The selected file must be a CSV or XLSX")
        size = _size(upload)
        if size == 0:
            raise ValidationError("The selected file is empty")
        if size > storage.max_bytes():
            raise ValidationError(too_large_message())


class ConfirmForm(FlaskForm):
    """Confirm the import that was previewed."""

    submit = SubmitField("Import the file", widget=GovSubmitInput())
