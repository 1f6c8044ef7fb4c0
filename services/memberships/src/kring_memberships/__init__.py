"""Kring memberships: who is a member, of which type, from when to when, and what access
that and the contact's groups grant."""
