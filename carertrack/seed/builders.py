"""Imports every area's demo builders so they register, in the order the demo needs them."""
