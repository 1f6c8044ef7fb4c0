"""Member invitations: a login for a contact, by a mailed link; `/invitations` routes."""
