"""How report keys and values read on pages. The CSV and JSON keep the machine keys (CONTRACTS.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from carertrack.formatting import format_short_date

LABELS = {
    "figure": "Figure",
    "value": "Value",
    "measure": "Measure",
    "mainstream": "Mainstream",
    "connected": "Connected",
    "total": "Total",
    "short_breaks": "Short breaks",
    "parent_and_child": "Parent and child",
    "carer_type": "Type",
    "households_mainstream": "Households: mainstream",
    "households_connected": "Households: connected",
    "households_total": "Households: total",
    "households": "Households",
    "temporary_approvals": "Temporary approvals (regulation 24)",
    "staying_put": "Staying-put arrangements",
    "in_assessment": "In assessment",
    "enquiries_open": "Open enquiries",
    "on_hold": "On hold",
    "approved_places": "Approved places",
    "children_placed": "Children placed",
    "vacancies": "Vacancies",
    "households_with_vacancy": "Households with a vacancy",
    "reference": "Reference",
    "applicant": "Applicant",
    "allocated_date": "Allocated",
    "predicted_panel_date": "Predicted panel",
    "days_allocation_to_predicted_panel": "Days from allocation to panel",
    "delay_reason": "Delay reason",
    "timescale_status": "Timescale",
    "clock": "Clock",
    "deadline": "Deadline",
    "status": "Status",
    "reason": "Reason",
    "household_reference": "Household",
    "name": "Name",
    "due_date": "Due",
    "young_person_reference": "Young person",
    "date_of_birth": "Date of birth",
    "start_date": "Started",
    "ends_on": "Ends",
    "days_to_end": "Days to the end",
    "ending_within_90_days": "Ending within 90 days",
    "approved": "Approved",
    "deregistered": "Deregistered",
    "net": "Net growth",
    "approved_and_deregistered": "Approved and deregistered in the year",
    "projected_net": "Projected net growth by 31 March",
    "target": "Target",
    "completed": "Assessments completed",
    "within_timescale": "Within 8 months",
    "percent_within": "Percentage within 8 months",
    "median_days": "Median days",
    "month": "Month",
    "source": "Source",
    "enquiries": "Enquiries",
    "initial_visits": "Initial visits",
    "applications": "Applications",
    "approvals": "Approvals",
    "enquiries_applied": "Of these enquiries, applied",
    "enquiry_to_application_percent": "Enquiry to application",
    "column": "Column",
    "step": "Step",
    "enquiry_to_initial_visit": "Enquiry to initial visit",
    "initial_visit_to_application": "Initial visit to application",
    "application_to_approval": "Application to approval",
    "enquiry_to_application": "Enquiry to application",
    "enquiry_to_approval": "Enquiry to approval",
    "application_to_recommendation": "Application to panel recommendation",
    "recommendation_to_decision": "Panel recommendation to ADM decision",
    "quarter": "Quarter",
    "months": "Months",
    # Clocks, statuses and sources as values.
    "eight_month": "8 months to panel recommendation",
    "reg24": "Regulation 24 temporary approval",
    "first_contact": "First contact",
    "papers": "Papers to panel",
    "adm": "ADM decision",
    "irm": "IRM window",
    "on_track": "On track",
    "at_risk": "At risk",
    "breached": "Breached",
    "current": "Current",
    "due_soon": "Due soon",
    "expired": "Expired",
    "missing": "Missing",
    "not_recorded": "Not recorded",
    "website": "Website",
    "phone": "Phone",
    "email": "Email",
    "event": "Event",
    "existing_carer": "Existing carer",
    "social_media": "Social media",
    "ifa_transfer": "Transfer from an IFA",
    "other": "Other",
}
STATUS_COLOURS = {
    "on_track": "green",
    "at_risk": "yellow",
    "breached": "red",
    "current": "green",
    "due_soon": "yellow",
    "expired": "red",
    "missing": "red",
}
VALUE_COLUMNS = frozenset(
    {"carer_type", "clock", "status", "timescale_status", "source", "figure", "measure", "step", "quarter"}
)


def label(key: Any) -> str:
    """The words for a key: from LABELS, else the key with its underscores as spaces."""
    if key is None:
        return ""
    text = str(key)
    return LABELS.get(text, text.replace("_", " ").capitalize())


def month_label(month: str) -> str:
    """'2025-04' as 'April 2025'."""
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%B} {year}"


def cell(header: str, value: Any, row_key: Any = None) -> str:
    """A table value as a page shows it: dates short, percentages with %, None as the word.

    row_key is the row's first cell: a row of percentages (like `percent_within`) gets the % sign too.
    """
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return format_short_date(value)
    if header in VALUE_COLUMNS:
        return label(value)
    if header == "month" and isinstance(value, str) and len(value) == 7:
        return month_label(value)
    if ("percent" in header or "percent" in str(row_key or "")) and isinstance(value, int | float):
        return f"{value}%"
    return str(value)


def numeric_columns(table: Any) -> set[int]:
    """The columns holding numbers (booleans aside), to align right with their headers."""
    return {
        index
        for index in range(1, len(table.headers))
        if any(isinstance(row[index], int | float) and not isinstance(row[index], bool) for row in table.rows)
    }
