"""The REST API (issue 13): /api/v1/, personal access tokens, problem details, idempotent POSTs.

An integration layer like reports: it reads through the apps' selectors and writes
through their services, and checks access with the kernel's get_project_for_user.
"""
