"""What an import did, in sentences: the command line prints them and the web pages show them."""

from __future__ import annotations

from carertrack.imports.engine import KINDS, ImportResult


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _joined(parts: list[str]) -> str:
    if not parts:
        return "nothing"
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def created_phrase(result: ImportResult) -> str:
    """'3 cases and 1 approved household', listing only what is created; 'nothing' when nothing is."""
    return _joined([phrase for phrase in result.created_phrases() if not phrase.startswith("0 ")])


def kept_lines(result: ImportResult) -> list[str]:
    """The rows that create nothing new: unchanged, or completing a record CarerTrack holds."""
    lines = []
    if result.unchanged_rows:
        lines.append(
            f"{_plural(result.unchanged_rows, 'row')} {'is' if result.unchanged_rows == 1 else 'are'} "
            "already in CarerTrack exactly as given: left unchanged."
        )
    if result.completed_rows:
        lines.append(
            f"{_plural(result.completed_rows, 'row')} {'adds' if result.completed_rows == 1 else 'add'} "
            "missing details to people already in CarerTrack."
        )
    return lines


def summary_lines(result: ImportResult) -> list[str]:
    """The closing lines of a report: nothing written and why, what a dry run would do, or what was done."""
    rows = _plural(result.rows, "row")
    if result.file_error:
        return [f"Nothing was imported from {result.file_name}."]
    if result.errors:
        return [
            f"Nothing was imported: {_plural(len(result.errors), 'error')} in {result.file_name} ({rows}). "
            "Correct every error and import the file again."
        ]
    if result.dry_run:
        return [
            f"Dry run: {result.file_name} ({rows}) has no errors. Importing it would create {created_phrase(result)}.",
            *kept_lines(result),
            "Nothing was written.",
        ]
    if not result.written:
        return [f"Nothing new to import from {result.file_name} ({rows}).", *kept_lines(result), "Nothing was written."]
    return [f"Imported {result.file_name} ({rows}): created {created_phrase(result)}.", *kept_lines(result)]


def run_created(kind: str, created: dict[str, int]) -> list[str]:
    """A stored run's counts as phrases, like '120 cases', zeros included."""
    names = KINDS[kind].record_names if kind in KINDS else {}
    phrases = []
    for key, number in created.items():
        singular, plural = names.get(key, (key, key))
        phrases.append(f"{number} {singular if number == 1 else plural}")
    return phrases
