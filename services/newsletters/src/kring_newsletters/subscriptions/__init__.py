"""Subscriptions: the rule (pure), changing one (list, contact) pair with its event, manual
subscriptions and opt-outs, merges, what the API shows, and the routes."""
