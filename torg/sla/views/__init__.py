"""Pages of the SLA app."""
