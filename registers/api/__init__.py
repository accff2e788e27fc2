"""The registers in the REST API (/api/v1/projects/<id>/registers/…), issue 23 §1: every register
listed, read, created, edited and deleted as the other resources are — access-checked through the
API's project_access, ETag/If-Match, Idempotency-Key on create, problem+json errors, documented by
drf-spectacular. Driven by the registers' Kind specs (registers/kinds.py), validated by the same
forms as the pages and written by the same services."""
