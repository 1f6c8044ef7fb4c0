"""Count-then-page lives in `kring_platform.paging`; named here too for the saved searches
that import it from this module."""

from kring_platform.paging import Listing, fetch_listing

__all__ = ["Listing", "fetch_listing"]
