"""Delivering campaigns: the sender loop, marking a mail sent as it is handed over, the
shared rate, and what routes need to send."""
