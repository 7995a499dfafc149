"""The repository's top level holds what issue 2 lists, and the app finds the top-level templates/ and static/."""

from __future__ import annotations

from pathlib import Path

from carertrack import create_app

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "carertrack": "dir",
    "migrations": "dir",
    "templates": "dir",
    "static": "dir",
    "tests": "dir",
    "config.py": "file",
    "wsgi.py": "file",
    "README.md": "file",
    "Makefile": "file",
    "pyproject.toml": "file",
    "requirements.txt": "file",
    "requirements-dev.txt": "file",
    "package.json": "file",
    "package-lock.json": "file",
    ".ci/run": "file",
    ".env.example": "file",
}


def test_the_top_level_has_everything_listed():
    missing = [
        name
        for name, kind in REQUIRED.items()
        if not ((ROOT / name).is_dir() if kind == "dir" else (ROOT / name).is_file())
    ]
    assert missing == []


def test_the_app_finds_the_top_level_templates_and_static():
    app = create_app("test")
    assert Path(app.template_folder).resolve() == ROOT / "templates"
    assert Path(app.static_folder).resolve() == ROOT / "static"
    assert not (ROOT / "carertrack" / "templates").exists()
    assert not (ROOT / "carertrack" / "static").exists()
