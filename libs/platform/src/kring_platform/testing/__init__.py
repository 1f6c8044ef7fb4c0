"""Helpers for the services' integration tests against the real Postgres and Kafka that
`./kring test` starts (its settings come from the environment: `KRING_PG_ADMIN_URL`,
`KAFKA_BOOTSTRAP_SERVERS`). Plain functions and context managers; each service's conftest
makes its fixtures of them.

- `databases`: fresh databases, migrated with alembic;
- `polling`: `eventually`, waiting for the system to converge;
- `kafka`: producing envelopes, reading topics from noted end offsets, consumer groups of a
  run's own;
- `contacts_feed`: `kring.contacts.v1` events as the contacts service publishes them;
- `fed`: contacts and groups fed in that way and applied (`new_contact`, `new_group`);
- `memberships_feed`: `kring.memberships.v1` events as the memberships service publishes them;
- `apps`: a service's app in-process (lifespan, ASGI client, settings, applied events);
- `schema_checks`: the migration against the models, downgrade and upgrade;
- `refusals`: a refused request changes nothing;
- `etags`: the ETag / If-Match round trip of one resource (`check_etag_round_trip`);
- `maildir`: the mail the stack's SMTP sink received;
- `personal_values`: where a database still holds a person's values (erasure tests);
- `responses`: a response's JSON body once its status is checked (`json_of`, `created`);
- `resending`: HTTP transports that send a request again on 503 "Try again" (a change that
  met a concurrent one and changed nothing), as a client of Kring should.
"""

from .apps import asgi_client, quick_settings, running_app, runtime_of, wait_applied
from .contacts_feed import ContactsFeed
from .databases import (
    DEFAULT_ADMIN_URL,
    admin_url,
    alembic,
    create_database,
    drop_database,
    migrate,
    migrated_database,
)
from .fed import applied, new_contact, new_group
from .kafka import (
    EnvelopeFeed,
    PublishedEvents,
    TopicTail,
    consumer_at_end,
    fresh_group_at_end,
    kafka_bootstrap_servers,
    kafka_producer,
    produce_raw,
    read_from_start,
    start_group_at_end,
    topic_partitions,
)
from .maildir import Maildir, maildir_path
from .memberships_feed import MembershipsFeed, type_details
from .personal_values import FoundValue, find_values
from .polling import eventually
from .refusals import assert_refused_unchanged
from .responses import created, json_of
from .schema_checks import downgrade_and_upgrade, model_differences

__all__ = [
    "DEFAULT_ADMIN_URL",
    "ContactsFeed",
    "EnvelopeFeed",
    "FoundValue",
    "Maildir",
    "MembershipsFeed",
    "PublishedEvents",
    "TopicTail",
    "admin_url",
    "alembic",
    "applied",
    "asgi_client",
    "assert_refused_unchanged",
    "consumer_at_end",
    "create_database",
    "created",
    "downgrade_and_upgrade",
    "drop_database",
    "eventually",
    "find_values",
    "fresh_group_at_end",
    "json_of",
    "kafka_bootstrap_servers",
    "kafka_producer",
    "maildir_path",
    "migrate",
    "migrated_database",
    "model_differences",
    "new_contact",
    "new_group",
    "produce_raw",
    "quick_settings",
    "read_from_start",
    "running_app",
    "runtime_of",
    "start_group_at_end",
    "topic_partitions",
    "type_details",
    "wait_applied",
]
