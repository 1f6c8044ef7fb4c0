"""Kring billing."""
