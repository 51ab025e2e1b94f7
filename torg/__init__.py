"""Torg: service management for Norwegian municipalities."""
