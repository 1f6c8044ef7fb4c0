"""What the GDPR asks of billing: erasing a person's details, keeping the bookkeeping."""
