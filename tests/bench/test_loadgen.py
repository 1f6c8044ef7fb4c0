"""bench/loadgen (the Go load generator the benchmarks offer their requests through), built
and run against a small HTTP server of this test's own."""

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from loadgen import Outcome, Request, offer


class _Answers(BaseHTTPRequestHandler):
    """201 for an even path, 503 for an odd one; remembers each request's identity header."""

    seen: ClassVar[list[str]] = []

    def do_PUT(self) -> None:
        self.seen.append(self.headers["Kring-Identity"])
        self.send_response(201 if int(self.path.strip("/")) % 2 == 0 else 503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


async def test_requests_go_out_open_loop_at_the_rate_with_their_headers(server: str) -> None:
    requests = [Request("PUT", f"{server}/{i}", {"Kring-Identity": f"id-{i}"}) for i in range(40)]
    outcomes: list[Outcome] = []

    offered = await offer(requests, rate=200, timeout_s=5, on_end=outcomes.append)

    assert sorted(o.index for o in outcomes) == list(range(40))
    assert all(o.status == (201 if o.index % 2 == 0 else 503) for o in outcomes)
    assert sorted(_Answers.seen) == sorted(f"id-{i}" for i in range(40))
    due = sorted(o.due_s for o in outcomes)
    assert due[-1] - due[0] == pytest.approx(39 / 200, abs=0.002)  # 5 ms apart
    assert all(o.end_s >= o.due_s for o in outcomes)
    assert offered.wall_s >= 39 / 200
    assert offered.cpu_s > 0


async def test_a_request_without_an_answer_in_time_has_status_0(server: str) -> None:
    outcomes: list[Outcome] = []
    closed_port = "http://127.0.0.1:9"  # discard: nothing listens there
    await offer([Request("PUT", f"{closed_port}/0", {})], 10, 1, outcomes.append)
    assert [o.status for o in outcomes] == [0]
