"""WTForms validators whose messages read like GOV.UK content, shared by every form."""

from __future__ import annotations

from typing import Any

from wtforms import ValidationError
from wtforms.validators import StopValidation


class Required:
    """Stop with a message when the field is empty, e.g. 'Enter your email address'."""

    field_flags = {"required": False}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()) or data == []:
            field.errors[:] = []
            raise StopValidation(self.message)


class MaxLength:
    """'Name must be 120 characters or fewer'."""

    def __init__(self, maximum: int, label: str) -> None:
        self.maximum = maximum
        self.label = label

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(f"{self.label} must be {self.maximum} characters or fewer")


class EmailAddress:
    """A real-looking email address, checked by email-validator without a DNS look-up."""

    def __init__(self, message: str = "Enter an email address in the correct format, like name@example.org") -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        from email_validator import EmailNotValidError, validate_email

        if not field.data:
            return
        try:
            result = validate_email(field.data.strip(), check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(self.message) from exc
        field.data = result.normalized


class ValidateIf:
    """Run the wrapped validators only when another answer makes this question apply."""

    def __init__(self, condition: Any, *validators: Any) -> None:
        self.condition = condition
        self.validators = validators

    def __call__(self, form: Any, field: Any) -> None:
        if not self.condition(form):
            field.errors[:] = []
            raise StopValidation()
        for validator in self.validators:
            validator(form, field)
