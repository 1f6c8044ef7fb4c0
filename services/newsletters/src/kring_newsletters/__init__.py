"""Kring newsletters: mailing lists, their links to contact groups, and subscriptions."""
