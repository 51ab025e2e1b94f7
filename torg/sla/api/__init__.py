"""The SLA app's API routers."""
