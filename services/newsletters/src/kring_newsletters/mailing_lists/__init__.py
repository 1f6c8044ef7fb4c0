"""Mailing lists: creating, renaming, deleting, finding and locking them, their events and
`/lists` routes."""
