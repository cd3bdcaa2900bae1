"""Background jobs: long imports and exports run by a worker (django-tasks' database backend), with progress,
a result page and result files only their owner can download. See docs/ledgers.md, “Background jobs”."""
