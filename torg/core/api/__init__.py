"""The core resources of the REST API, one module each; torg/api.py mounts them under /api/v1/."""
