"""Forgot password: a mailed link that sets a new password; `/auth/password-reset` routes."""
