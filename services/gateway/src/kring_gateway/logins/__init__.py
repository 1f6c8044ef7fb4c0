"""Logins and their sessions: users and roles, argon2id passwords, access and refresh tokens,
the refresh cookie with its CSRF check; `/auth` and `/users` routes."""
