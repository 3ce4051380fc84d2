"""The REST API (django-ninja) at /api/: token authentication, the one access rule, OpenAPI at /api/openapi.json."""
