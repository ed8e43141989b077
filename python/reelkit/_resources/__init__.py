"""Endpoint declarations, per provider."""
