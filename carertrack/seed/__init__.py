"""Demo data: a living fostering service, every date relative to today."""
