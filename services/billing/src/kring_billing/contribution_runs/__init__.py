"""Contribution runs: planning a run and its work items, a worker's item (set-based), the
periods billed, and the membership changes in periods a run already billed."""
