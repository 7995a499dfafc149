"""Uploaded import files, kept on the server between the preview and the confirmation.

The browser only ever holds a random token: what is imported on confirmation is exactly the file
that was previewed, never something sent again from the client. Each upload belongs to the person
who made it. Files are removed when imported, and any left behind are removed after a day.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from carertrack.imports.readers import suffix_of

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KEEP_FOR = timedelta(days=1)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    """The largest file the web import accepts (config IMPORT_MAX_BYTES, default 10 MB)."""
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def folder() -> Path:
    """Where uploads wait: config IMPORT_UPLOAD_FOLDER, or imports/ in the instance folder."""
    configured = current_app.config.get("IMPORT_UPLOAD_FOLDER")
    path = Path(configured) if configured else Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class StoredUpload:
    """An uploaded file waiting for confirmation."""

    token: str
    kind: str
    file_name: str
    user_id: int
    uploaded_at: datetime

    @property
    def path(self) -> Path:
        """The stored file (its extension kept, so it is read the same way as the original)."""
        return folder() / f"{self.token}{suffix_of(self.file_name)}"


def _meta_path(token: str) -> Path:
    return folder() / f"{token}.json"


def save(upload: FileStorage, kind: str, user_id: int) -> StoredUpload:
    """Keep the uploaded file under a new random token; clear out uploads older than a day."""
    remove_stale()
    token = secrets.token_urlsafe(32)
    file_name = Path(upload.filename or "upload").name[:255]
    stored = StoredUpload(token, kind, file_name, user_id, datetime.now(UTC))
    upload.save(stored.path)
    meta = {"kind": kind, "file_name": file_name, "user_id": user_id, "uploaded_at": stored.uploaded_at.isoformat()}
    _meta_path(token).write_text(json.dumps(meta), encoding="utf-8")
    return stored


def load(token: str, user_id: int) -> StoredUpload | None:
    """The upload with this token, when it exists and belongs to this person; else None."""
    if not TOKEN.match(token):
        return None
    try:
        meta = json.loads(_meta_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stored = StoredUpload(
        token, meta["kind"], meta["file_name"], int(meta["user_id"]), datetime.fromisoformat(meta["uploaded_at"])
    )
    if stored.user_id != user_id or not stored.path.exists():
        return None
    return stored


def delete(stored: StoredUpload) -> None:
    """Remove an upload once it is imported."""
    stored.path.unlink(missing_ok=True)
    _meta_path(stored.token).unlink(missing_ok=True)


def remove_stale(now: datetime | None = None) -> None:
    """Remove uploads nobody confirmed within a day."""
    cutoff = (now or datetime.now(UTC)) - KEEP_FOR
    for path in folder().iterdir():
        try:
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue
        if modified < cutoff and TOKEN.match(path.stem):
            path.unlink(missing_ok=True)
