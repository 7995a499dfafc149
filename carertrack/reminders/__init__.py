"""Reminders: what is due for whom (rules, derived live), the daily digest, the outbox and the scheduler.

The rules only read records through the domain rule functions (clocks, case rules, compliance, panel
rules); the scheduler only tells people, it never decides what is true. See docs/reminders.md.
"""
