"""Bouncing e-mail addresses, as the newsletters service reports them."""
