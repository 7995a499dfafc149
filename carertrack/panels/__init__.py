"""Panels and decisions: the calendar, agendas, papers, quorum, recommendations, ADM decisions and approval."""
