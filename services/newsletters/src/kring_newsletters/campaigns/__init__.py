"""Campaigns: composing, scheduling, cancelling and reporting, who they go to, previews and
test mails, the personalised mail for one recipient, and `/campaigns` routes."""
