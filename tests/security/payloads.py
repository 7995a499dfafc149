"""The bad input the security suite types into every field and query parameter."""

from __future__ import annotations

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
LONG = "x" * 10_000

# Text a person might type that must never break a page, be stored unchecked or reach the HTML raw.
TEXT = (
    LONG,
    SCRIPT,
    ATTRIBUTE_BREAK,
    "' OR 1=1 --",
    "1; DROP TABLE users",
    "\x00nul",
    "   ",
    "ünïcödé ✓ 🙂",
)
# Dates a calendar cannot hold, or a parser might choke on.
DATES = ("31/2/2026", "2026-13-01", "0/0/0", "99999-01-01", "29/2/2025", "1/1/0", "-1/-1/-1")
# Numbers out of any sensible range.
NUMBERS = ("-1", "2147483648", "²⁰²⁵", "²", "-99999999999999999999", "99999999999999999999", "1e309", "NaN", "0x10")
EVERYTHING = TEXT + DATES + NUMBERS
# Tried in every field and parameter on every run (hypothesis samples EVERYTHING, and arbitrary text, besides).
SHORT = TEXT[:6] + DATES[:4] + NUMBERS[:6]

# Payloads that would run as markup if a page showed them unescaped.
MARKUP = tuple(p for p in EVERYTHING if any(c in p for c in '<>"'))

# Ids no record has: one past anything the tests create, and one past what a database integer holds.
UNKNOWN_ID = 987_654_321
HUGE_ID = 2**64 + 1
