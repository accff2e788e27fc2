"""Backup and restore of a whole installation (issue 22 §5): every row of every table and every stored
file, with a manifest of checksums. `manage.py backup PATH` writes it, `manage.py restore PATH` puts it
into an empty installation after checking every part. docs/operations-backup.md describes the format."""
