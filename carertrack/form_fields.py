"""Form fields and checks every area's forms share: dates, whole numbers and times typed as text, yes/no
questions, and the cross-field date checks, each with GOV.UK-style messages that name the question.

A typed field keeps exactly what the person typed when it cannot be read, so the page shows it back to them
beside the message and nothing they entered is lost.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import RadioField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from carertrack.dates import parse_date, today
from carertrack.formatting import format_date

DATE_HINT = "For example, 27/3/2026"
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _sentence(what: str) -> str:
    return f"{what[0].upper()}{what[1:]}"


class TypedText(StringField):
    """A value typed as text and read by `parse`; `data` is the value, or None when blank.

    `parse` returns the value or raises ValueError with the message to show. `what` names the question
    in messages ("the date of birth").
    """

    widget = GovTextInput()

    def __init__(self, label: str, what: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.what = what
        self.parse_error: str | None = None
        self.raw_text: str | None = None

    def parse(self, text: str) -> Any:
        """The value of the (stripped, non-blank) text; subclasses read dates, numbers and times."""
        return text

    def show(self, value: Any) -> str:
        return str(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.parse_error = None
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw_text.strip():
            return
        try:
            self.data = self.parse(self.raw_text.strip())
        except ValueError as exc:
            self.parse_error = str(exc)

    def pre_validate(self, form: Any) -> None:
        if self.parse_error:
            raise StopValidation(self.parse_error)

    def _value(self) -> str:
        if self.parse_error and self.raw_text is not None:
            return self.raw_text
        return "" if self.data is None else self.show(self.data)


class DateText(TypedText):
    """A date typed as 27/3/2026 or 2026-03-27 (the shared parser the import uses too)."""

    def __init__(self, label: str, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("description", DATE_HINT)
        super().__init__(label, what, **kwargs)

    def parse(self, text: str) -> date | None:
        try:
            return parse_date(text)
        except ValueError as exc:
            if "real" in str(exc):
                raise ValueError(f"{_sentence(self.what)} must be a real date") from exc
            raise ValueError(f"Enter {self.what} as a date, like 27/3/2026") from exc

    def show(self, value: Any) -> str:
        return f"{value.day}/{value.month}/{value.year}" if isinstance(value, date) else ""


class NumberText(TypedText):
    """A whole number within a range (GOV.UK asks for numbers with a text input)."""

    def __init__(self, label: str, what: str, minimum: int = 0, maximum: int = 99, **kwargs: Any) -> None:
        super().__init__(label, what, **kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def parse(self, text: str) -> int:
        if not (text.isascii() and text.isdigit()):  # isdigit alone accepts "²", which int() refuses
            raise ValueError(f"Enter {self.what} as a whole number, like {max(self.minimum, 1)}")
        value = int(text)
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{_sentence(self.what)} must be between {self.minimum} and {self.maximum}")
        return value


class TimeText(TypedText):
    """A 24-hour time typed as 10:00 or 14.30."""

    def __init__(self, label: str, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("description", "Use the 24-hour clock, for example 10:00 or 14:30")
        super().__init__(label, what, **kwargs)

    def parse(self, text: str) -> time:
        match = _TIME.match(text)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return time(int(match.group(1)), int(match.group(2)))
        raise ValueError(f"Enter {self.what} as a time on the 24-hour clock, like 10:00")

    def show(self, value: Any) -> str:
        return value.strftime("%H:%M") if isinstance(value, time) else ""


class YesNoField(RadioField):
    """A yes/no question as two radios. `answer` is True, False or None; `set_answer` fills it."""

    widget = GovRadioInput()

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [SelectChoice("yes", "Yes"), SelectChoice("no", "No")])
        super().__init__(label, **kwargs)

    @property
    def answer(self) -> bool | None:
        """The answer as a boolean."""
        return {"yes": True, "no": False}.get(self.data or "")

    def set_answer(self, value: bool | None) -> None:
        """Show a stored boolean as the chosen radio."""
        self.data = None if value is None else ("yes" if value else "no")


class NotInFuture:
    """'Date of birth must be today or in the past'."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, date) and field.data > today():
            raise ValidationError(self.message)


class NotBefore:
    """The date must be on or after another field's date (or a fixed date the form holds); `{date}` in the
    message becomes that date."""

    def __init__(self, other: str, message: str, strictly_after: bool = False) -> None:
        self.other = other
        self.message = message
        self.strictly_after = strictly_after

    def __call__(self, form: Any, field: Any) -> None:
        other = getattr(form, self.other, None)
        earlier = other.data if other is not None and hasattr(other, "data") else other
        if not isinstance(field.data, date) or not isinstance(earlier, date):
            return
        if field.data < earlier or (self.strictly_after and field.data == earlier):
            raise ValidationError(self.message.replace("{date}", format_date(earlier)))


class RequiredIf:
    """'Enter ...' when another answer makes this question required; otherwise the other checks still run.

    (ValidateIf skips every later check when its condition is false; this one does not.)
    """

    def __init__(self, condition: Any, message: str) -> None:
        self.condition = condition
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        empty = field.data is None or (isinstance(field.data, str) and not field.data.strip())
        if empty and self.condition(form):
            raise StopValidation(self.message)
