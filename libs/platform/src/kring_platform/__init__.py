"""Plumbing every Kring service shares, written once: settings, database sessions, the
transactional outbox and its relay, the consumer runner with inbox and DLQ, telemetry,
health and problem details."""
