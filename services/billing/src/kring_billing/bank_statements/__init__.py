"""Bank statements: camt.053 files read, their credits booked as payments, returned direct
debits undone."""
