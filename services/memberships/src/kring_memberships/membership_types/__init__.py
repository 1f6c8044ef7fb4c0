"""Membership types: their terms, rights and fee versions, with their events."""
