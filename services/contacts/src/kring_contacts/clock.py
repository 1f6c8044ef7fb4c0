"""The organisation's today, now one dependency for every service (`kring_platform.route_deps`);
kept under this name for the search routes that import it from here."""

from kring_platform.route_deps import Today

__all__ = ["Today"]
