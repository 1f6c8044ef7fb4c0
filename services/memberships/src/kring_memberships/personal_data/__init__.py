"""Personal data: what a contact's deletion or erasure does here, and this service's part of
an access request."""
