"""Contact imports: files, the column mapping, rows, and the job loop."""
