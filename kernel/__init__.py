"""The kernel every app may import, and which imports no app: access, abstract base models and roles,
optimistic locking, form helpers (versioned_edit), uploads, history, queueing, the outbox, clause
numbers and the extension registry (extensions.py)."""
