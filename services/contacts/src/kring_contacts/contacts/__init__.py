"""The contact itself: creating, changing, deleting, showing and listing contacts."""
