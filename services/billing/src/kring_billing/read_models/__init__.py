"""Billing's copies of other services' data: contacts, families, membership types and
memberships, and what a contact merge does to them."""
