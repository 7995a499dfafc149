"""Approved households: members, DBS currency, reviews, training, placements, deregistration and staying put."""
