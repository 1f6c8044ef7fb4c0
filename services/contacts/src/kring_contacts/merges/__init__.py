"""Duplicates and merges: the duplicate scan, dismissed pairs, merging a duplicate into the
survivor."""
