"""Log lines keep no personal data a request carried in its query string."""

import logging

from kring_platform.logs import WithoutQueryString, setup_logging


def test_access_log_lines_leave_out_the_query_string() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        setup_logging("INFO")
        setup_logging("INFO")  # once per process, however often the app is made
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    access = logging.getLogger("uvicorn.access")
    [only] = [f for f in access.filters if isinstance(f, WithoutQueryString)]
    # The record as uvicorn's access logger makes it.
    record = access.makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:50000", "GET", "/contacts/search?q=El%C3%A9onore+Broeck&limit=20", "1.1", 200),
        None,
    )
    assert only.filter(record)
    assert record.getMessage() == '127.0.0.1:50000 - "GET /contacts/search HTTP/1.1" 200'
