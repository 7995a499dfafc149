"""Every dependency is pinned to one exact version, so CI and production install exactly what was tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+$")


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_is_pinned_exactly(name: str) -> None:
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / name).read_text().splitlines()]
    requirements = [line for line in lines if line and not line.startswith("-r ")]
    assert requirements, f"{name} lists nothing"
    loose = [line for line in requirements if not PINNED.match(line)]
    assert not loose, f"{name}: not pinned with ==: {loose}"


def test_the_pin_check_refuses_loose_requirements() -> None:
    for loose in ("flask", "flask>=3", "flask~=3.1", "flask==3.*", "flask @ https://example.org/flask.whl"):
        assert not PINNED.match(loose), loose
    assert PINNED.match("Flask==3.1.3") and PINNED.match("python-dateutil==2.9.0.post0")
