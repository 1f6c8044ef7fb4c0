"""Dates that pass: announcing started and ended memberships exactly once, the loop that runs
it, and the calendar it answers."""
