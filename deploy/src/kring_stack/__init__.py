"""Kring's local stack: Postgres, Kafka, an SMTP sink and the services, on one machine."""
