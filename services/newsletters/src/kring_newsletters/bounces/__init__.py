"""Bounces: reading delivery status notifications, bounce counts and the bouncing mark,
and the routes."""
