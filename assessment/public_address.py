"""Whether links built from BASE_URL reach the app where it is served.

Invite links and e-mailed links are built from BASE_URL, never from the request (a forged
Host header must not end up in a candidate's e-mail). When BASE_URL names another address
than the one the app answers on, those links lead nowhere: the start banner and the invite
page say so.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# Listening on every address of the machine (to recognise it, never to bind).
ANY_ADDRESS = {"0.0.0.0", "::", ""}  # compared with, never bound  # nosec B104
DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    return ("localhost" if host in LOOPBACK else host), port


def same_address(base_url: str, served: str, port_known: bool = True) -> bool:
    """Does BASE_URL name the address `served` (a URL)? The loopback names count as one;
    a server on every address matches any host but loopback (others could not follow a
    link to 127.0.0.1); `port_known=False` compares hosts only (a request through a proxy
    on the default port does not show its port)."""
    base_host, base_port = _host_port(base_url)
    host, port = _host_port(served)
    if host in ANY_ADDRESS:
        if base_host == "localhost":
            return False
    elif host != base_host:
        return False
    return not port_known or port == base_port


def served_elsewhere(base_url: str, served: str, port_known: bool = True) -> str | None:
    """The start banner's warning when BASE_URL's links would not reach `served`."""
    if same_address(base_url, served, port_known):
        return None
    return (
        f"Links (invites, e-mails) are built from BASE_URL, {base_url}, but the app serves "
        f"at {served.rstrip('/')}. People given a link will not reach this app unless "
        "BASE_URL is set to the address they open it at."
    )


def request_warning(base_url: str, host_url: str, host: str) -> str | None:
    """A page's warning when it was opened at another address than BASE_URL names
    (`host_url` and `host`: the request's). The request's address is not repeated: a
    forged Host header must not put words on the page."""
    if same_address(base_url, host_url, port_known=":" in host.rsplit("]", 1)[-1]):
        return None
    return (
        f"Links are built from BASE_URL, {base_url}, which is not the address you opened "
        "this page at. People given a link will not reach this app unless BASE_URL is "
        "the address they open it at."
    )
