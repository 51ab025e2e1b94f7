"""Test bases shared by the apps (never collected themselves)."""
