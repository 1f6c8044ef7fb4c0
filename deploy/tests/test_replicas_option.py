"""`kring-stack up --replicas NAME=N,...` as parsed (no running stack needed); the running
replicas themselves are exercised by tests/e2e/test_replicas.py."""

import argparse

import pytest

from kring_stack.cli import _parser, _replica_counts, parse_replicas
from kring_stack.processes import StackError
from kring_stack.profiles import get_profile
from kring_stack.services import replica_urls, service_url


def test_replicas_are_counted_per_service() -> None:
    assert parse_replicas("contacts=2, newsletters=3,") == {"contacts": 2, "newsletters": 3}


@pytest.mark.parametrize("text", ["nobody=2", "contacts=0", "contacts=6", "contacts", "contacts=x"])
def test_a_wrong_replica_count_is_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_replicas(text)


def test_billing_workers_is_the_billing_worker_replica_count() -> None:
    args = _parser().parse_args(["up", "--replicas", "contacts=2", "--billing-workers", "3"])
    assert _replica_counts(args) == {"contacts": 2, "billing-worker": 3}
    args = _parser().parse_args(["up", "--replicas", "billing-worker=2", "--billing-workers", "3"])
    with pytest.raises(StackError):
        _replica_counts(args)


def test_a_service_without_running_instances_is_reached_at_its_first_port() -> None:
    profile = get_profile("test")
    if any(url != service_url("contacts", profile) for url in replica_urls("contacts", profile)):
        pytest.skip("contacts replicas run in this slot")
    assert replica_urls("contacts", profile) == [service_url("contacts", profile)]
