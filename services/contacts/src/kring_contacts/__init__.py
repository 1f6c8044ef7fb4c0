"""Kring contacts: the central contact file of a club — people, groups and quick search."""
