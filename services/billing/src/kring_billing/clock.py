"""The organisation's clock is `kring_platform.clock`; `FrozenClock` is named here too for the
letter and reminder tests that import it from this module."""

from kring_platform.clock import FrozenClock

__all__ = ["FrozenClock"]
