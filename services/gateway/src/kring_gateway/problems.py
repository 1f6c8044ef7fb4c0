"""The gateway's own refusals, as RFC 9457 problems (kring_platform.problems renders them)."""

from typing import Any

from kring_platform import problems


class Refusal(problems.DomainError):
    """A DomainError given its response headers (WWW-Authenticate, Retry-After) when raised;
    the platform's problem handler sends them with the problem. Calling a service raises
    one when the service cannot answer (see upstreams.py)."""

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extensions: Any):
        # The rest goes on along the MRO: to the platform's standard kind a refusal also is.
        super().__init__(detail, **extensions)
        self.headers.update(headers or {})


class Unauthenticated(Refusal):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "A valid access token is needed.") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="kring"'})


class Forbidden(Refusal, problems.Forbidden):
    """The caller's role or login may not do this."""


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


class ServiceUnavailable(Refusal, problems.ServiceUnavailable):
    def __init__(self, service: str) -> None:
        super().__init__(
            f"The {service} service does not answer; try again shortly.",
            retry_after_s=5,
            service=service,
        )


class PayloadTooLarge(Refusal, problems.ContentTooLarge):
    title = "Payload too large"


class LinkGone(Refusal, problems.Gone):
    """A mailed link that existed but is used up, expired or revoked: `state` says which."""

    def __init__(self, detail: str, state: str) -> None:
        super().__init__(detail, state=state)


class TooManyRequests(Refusal):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(
            detail, headers={"Retry-After": str(max(1, retry_after_s))}, reason="rate_limited"
        )


class MailNotSent(Refusal, problems.ServiceUnavailable):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, retry_after_s=30)


class ErasureIncomplete(Refusal, problems.ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(
            "The contact was erased, but ending its invitations and member login failed; "
            "repeat the erasure (it is safe to).",
            retry_after_s=5,
        )
