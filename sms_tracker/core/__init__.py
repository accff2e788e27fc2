"""The kernel every app may import, and which imports no app: access, optimistic locking, form
helpers, uploads, history, queueing and the outbox."""
