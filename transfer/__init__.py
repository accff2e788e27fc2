"""Whole-project export and import: one archive (JSON rows plus the uploaded files, with a manifest
of SHA-256 checksums) that imports as a new project into this or another installation.

The models that belong to a project are found through Django's model meta (graph.py), so a model
added later is exported without a change here; rules.py names what is deliberately left out and the
shared content (the checklist library) that is matched by natural key instead of copied."""
