"""kringctl: the operator CLI for a running Kring deployment."""
