"""The organisation as invoices and SEPA files show it: the environment's settings and what
the treasurer chooses in the web app (the payment reference scheme)."""
