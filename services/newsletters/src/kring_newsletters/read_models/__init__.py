"""The copies of other services' data this service keeps: contacts, groups and group
members, families, membership types."""
