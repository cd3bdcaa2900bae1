"""The workflow engine shared by every case kind. See docs/development/adding-a-case-kind.md.

- `definitions`: CaseKind, State, Transition, DeadlineRule, register/get_kind (the declarations);
- `models`: WorkflowCase (abstract fields) and WorkflowQuerySet (open / overdue at query time);
- `engine`: allowed actions, transitions, 督办, 延期, the log;
- `numbers`: readable case numbers; `files`: photo validation.
"""
