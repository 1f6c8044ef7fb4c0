"""Families: households linking contacts under one address."""
