"""The audit of every change asked of the gateway, and the admin's `/audit` query."""
