"""The memberships read model: types and memberships from `kring.memberships.v1`, and
status on a day."""
