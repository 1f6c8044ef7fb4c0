"""Access tokens: a token verified once is checked only for expiry when it comes again."""

import time
import uuid

import pytest

from kring_gateway.logins.tokens import LEEWAY_S, InvalidToken, TokenIssuer
from kring_gateway.roles import Role

KEY = b"unit-test-token-signing-key-0123456789abcdef"


def issuer(ttl_s: int = 60) -> TokenIssuer:
    return TokenIssuer(key=KEY, issuer="kring", audience="kring-api", ttl_s=ttl_s)


def test_a_token_verified_again_gives_the_same_claims() -> None:
    tokens = issuer()
    user, session = uuid.uuid4(), uuid.uuid4()
    token = tokens.issue(user, session, [Role.ADMIN], None)
    first = tokens.verify(token)
    assert first.user_id == user and first.session_id == session
    assert tokens.verify(token) == first


def test_a_known_token_is_refused_once_it_expires() -> None:
    tokens = issuer(ttl_s=60)
    # Valid (with the leeway) until the end of this second.
    issued = int(time.time()) - 60 - LEEWAY_S + 1
    token = tokens.issue(uuid.uuid4(), uuid.uuid4(), [Role.ADMIN], None, now=issued)
    tokens.verify(token)
    time.sleep(1.05 - time.time() % 1)
    with pytest.raises(InvalidToken):
        tokens.verify(token)


def test_a_token_of_another_key_is_refused() -> None:
    other = TokenIssuer(key=b"x" * 48, issuer="kring", audience="kring-api", ttl_s=60)
    with pytest.raises(InvalidToken):
        issuer().verify(other.issue(uuid.uuid4(), uuid.uuid4(), [Role.ADMIN], None))
