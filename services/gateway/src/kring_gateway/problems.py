"""The gateway's own refusals, as RFC 9457 problems (kring_platform.problems renders them)."""

from typing import Any

from kring_platform.problems import DomainError


class Refusal(DomainError):
    """A DomainError given its response headers (WWW-Authenticate, Retry-After) when raised;
    the platform's problem handler sends them with the problem."""

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extensions: Any):
        super().__init__(detail, **extensions)
        self.headers.update(headers or {})


class Unauthenticated(Refusal):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "A valid access token is needed.") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="kring"'})


class Forbidden(Refusal):
    status = 403
    title = "Forbidden"


class NotYours(Refusal):
    """A member asking for someone else's object: answered as if it did not exist."""

    status = 404
    title = "Not found"

    def __init__(self) -> None:
        super().__init__("No such object.")


class TooManyAttempts(Refusal):
    status = 429
    title = "Too many attempts"

    def __init__(self, retry_after_s: int, *, locked: bool = False) -> None:
        # `reason` lets the sign-in screen say which: a lock ends sooner with an admin's unlock.
        super().__init__(
            "This login is locked after repeated failures; try again later."
            if locked
            else "Too many login attempts; try again later.",
            headers={"Retry-After": str(retry_after_s)},
            reason="locked" if locked else "rate_limited",
        )


class ServiceUnavailable(Refusal):
    status = 503
    title = "Service unavailable"

    def __init__(self, service: str) -> None:
        super().__init__(
            f"The {service} service does not answer; try again shortly.",
            headers={"Retry-After": "5"},
            service=service,
        )


class PayloadTooLarge(Refusal):
    status = 413
    title = "Payload too large"


class LinkGone(Refusal):
    """A mailed link that existed but is used up, expired or revoked: `state` says which."""

    status = 410
    title = "Gone"

    def __init__(self, detail: str, state: str) -> None:
        super().__init__(detail, state=state)


class TooManyRequests(Refusal):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(
            detail, headers={"Retry-After": str(max(1, retry_after_s))}, reason="rate_limited"
        )


class MailNotSent(Refusal):
    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(
            detail,
            headers={"Retry-After": "30"},
        )


class ErasureIncomplete(Refusal):
    status = 503
    title = "Service unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The contact was erased, but ending its invitations and member login failed; "
            "repeat the erasure (it is safe to).",
            headers={"Retry-After": "5"},
        )
