"""A billing worker: `uvicorn kring_billing.worker:app`. Only /health, /metrics and the consumer of
contribution-run work items (`kring.billing.runs.v1`, group "billing-workers"); run as many
as the run's partitions allow. A worker that dies leaves its items to the others."""

from fastapi import FastAPI

from kring_billing.contribution_runs.run_items import create_worker_handlers
from kring_billing.settings import Settings
from kring_contracts import BILLING_RUNS_TOPIC
from kring_platform.app import create_service_app
from kring_platform.runtime import ConsumerSpec


def create_worker_app(settings: Settings) -> FastAPI:
    return create_service_app(
        settings,
        title="Kring billing worker",
        description="Works off the items of contribution runs from `kring.billing.runs.v1`.",
        routers=[],
        consumers=[
            ConsumerSpec(
                group_id=settings.worker_consumer_group,
                topics=[BILLING_RUNS_TOPIC],
                handlers=create_worker_handlers(),
                # An item is a chunk of memberships: each its own transaction, so a run's
                # progress moves item by item, the year's invoice counter is held for one
                # item at a time, and a killed worker loses one item's work.
                batch_size=1,
            )
        ],
    )


app = create_worker_app(Settings())
