"""Serializers of the API, one module per app. Reads only: writes go through the services."""
