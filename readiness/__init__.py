"""Certification readiness in one place: the two gates a certification body applies, their rules
and their evaluation (docs/readiness.md).

* `readiness.gate.readiness(project, stage)` — the one call every reader makes: the readiness page
  and the dashboard card (readiness/views.py), the management report's sections, the API, the
  `readiness` command and the readiness.changed webhook (readiness/watch.py).
* `readiness/rules/` — the built-in rules, one module per subject (roadmap, gap analysis,
  documented information, audits), each set-based: a constant number of queries whatever the
  project's size, counting in SQL rather than looping in Python.
* Other apps add rules through the extension registry (`Contributions.readiness_blockers`,
  `stage2_readiness_blockers`, `readiness_warnings`, `readiness_groups` in
  kernel/extensions.py); the gate evaluates them after the built-in ones.

An integration app: it reads every domain app; no domain app imports it."""
