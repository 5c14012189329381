"""`make faults`: the production topology on this machine, with each fault injected (run.py)."""
