"""The person's rights (GDPR): erasure (art. 17) and the access request (art. 15)."""
