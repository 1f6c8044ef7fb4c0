"""The HTTP API: thin routes that open a transaction and call the service layer."""
