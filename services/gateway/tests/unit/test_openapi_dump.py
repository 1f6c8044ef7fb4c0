"""`kring-gateway-openapi`: the merged document without a server, database or broker, the same
bytes every run."""

import json
import os
import subprocess
import sys
from pathlib import Path

from kring_gateway.openapi_dump import SERVICES, main
from kring_gateway.policy import API


def test_the_dump_holds_every_service_and_is_the_same_every_run(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    # Nothing to connect to: the database and broker settings point nowhere.
    nowhere = {
        **os.environ,
        "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    }
    subprocess.run(
        [sys.executable, "-m", "kring_gateway.openapi_dump", str(first)],
        env=nowhere,
        check=True,
        timeout=120,
    )
    assert main([str(second)]) == 0  # in-process, as the console script calls it
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    document = json.loads(text)
    for service in SERVICES:
        assert any(path.startswith(f"{API}/{service}/") for path in document["paths"]), service
    assert f"{API}/contacts/contacts/{{contact_id}}" in document["paths"]
    for route in ("login", "refresh", "logout", "password", "me"):
        assert f"{API}/auth/{route}" in document["paths"], route
    assert "x-kring-unavailable-services" not in document["info"]
    assert "contacts.Contact" in document["components"]["schemas"]
    assert json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text


def test_the_script_is_declared() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'kring-gateway-openapi = "kring_gateway.openapi_dump:main"' in pyproject
