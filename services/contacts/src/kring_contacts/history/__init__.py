"""Each contact's history: written from its events, its table, body and route."""
