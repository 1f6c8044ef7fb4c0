"""The local stack's topics: those of kring_contracts.TOPICS, made by kring_platform.topics."""

from kring_platform.topics import TopicError, ensure_topics_async
from kring_stack.blocking import run_blocking
from kring_stack.kafka import bootstrap_servers
from kring_stack.processes import StackError
from kring_stack.profiles import Profile

__all__ = ["ensure_topics", "ensure_topics_async"]


def ensure_topics(profile: Profile) -> list[str]:
    try:
        return run_blocking(ensure_topics_async(bootstrap_servers(profile)))
    except TopicError as error:
        raise StackError(str(error)) from error
