"""Personal data: what a contact's erasure does here, and this service's part of an
access request."""
