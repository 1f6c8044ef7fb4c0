"""Access: the rights memberships and groups grant, a contact's effective set on a day, and
publishing `access.changed` when a set changes."""
