"""Kring gateway."""
