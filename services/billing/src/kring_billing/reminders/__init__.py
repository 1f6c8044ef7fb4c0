"""Payment reminders for overdue invoices: levels (days after the due date, a letter template
of the letters engine, an e-mail text), reminder runs that never remind twice for one level,
and each invoice's reminder history."""
