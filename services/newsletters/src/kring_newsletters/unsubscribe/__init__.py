"""Unsubscribe links (RFC 8058): signed links, what following one does, and its routes."""
