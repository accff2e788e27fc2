"""API views: DRF generic class views (they bring pagination, filters and the OpenAPI schema),
each short — access through api.access, reads through selectors, writes through services."""
