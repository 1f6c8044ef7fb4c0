"""Subscriptions following contact groups: a list linked to a group (explicitly or by name),
and group and contact events from `kring.contacts.v1` applied to subscriptions."""
