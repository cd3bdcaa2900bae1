"""The contract test finds each kind's factory in its app's `testing.py` (`pingan.cases.testing.case_factory`:
events and hazards register theirs there); a kind without one fails the contract test, naming the hook."""
