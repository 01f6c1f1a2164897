"""Loopback ports for the servers the tests start (moto, Scrapyd) and for a port nothing listens on."""

import socket


def free_port() -> int:
    """A loopback port free now (bound, read, closed): a server started next can take it; until one does,
    nothing answers there."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
