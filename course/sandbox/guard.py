"""The network guard: while the course runs, nothing leaves this machine by accident.

moto intercepts boto3 calls, but several paths still reach the real network (docs/architecture.md, "The network guard"):
a client made before moto started, a custom ``endpoint_url``, ``use_dualstack_endpoint=True``,
plain ``requests``/``urllib``, and moto's own delivery to SNS HTTP subscriptions. The guard
refuses every connection that is not to a loopback address (or a host the learner explicitly
allowed), *before* DNS resolution, in three layers:

1. friendly: botocore's, requests' and urllib's send paths raise :class:`NetworkBlockedError`
   at once, instead of botocore's "Could not connect" after three retries;
2. hard: ``socket.getaddrinfo``/``gethostbyname(_ex)`` and ``socket.socket.connect``/
   ``connect_ex``/``sendto``;
3. backstop: an audit hook (``sys.addaudithook``) on the same socket events, which also catches
   names bound before the patch (``from socket import getaddrinfo``) and raw ``_socket`` use.
   Audit hooks cannot be removed, so it is switched off with a flag.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
import urllib.request
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from course.sandbox.errors import NetworkBlockedError

__all__ = ["NetworkGuard", "is_loopback"]

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_AUDIT_EVENTS = frozenset(
    {"socket.connect", "socket.sendto", "socket.getaddrinfo", "socket.gethostbyname"}
)
_hook_state = threading.local()
_active_guard: NetworkGuard | None = None
_audit_hook_added = False


def is_loopback(host: str | bytes | None) -> bool:
    """True for ``localhost`` and any address in 127.0.0.0/8 or ``::1``."""
    if host is None:
        return True  # getaddrinfo(None, port) means the local host
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = host.strip("[]").rstrip(".").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Refuses non-loopback connections in this process while installed."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self._originals: list[tuple[Any, str, Any]] = []

    @property
    def installed(self) -> bool:
        return _active_guard is self

    def allow(self, host: str) -> None:
        """Allow one more host (the learner's explicit endpoint)."""
        self.allowed_hosts.add(host.lower())

    def permits(self, host: str | bytes | None) -> bool:
        if is_loopback(host):
            return True
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        return str(host).strip("[]").rstrip(".").lower() in self.allowed_hosts

    def check(self, host: str | bytes | None, via: str) -> None:
        """Raise :class:`NetworkBlockedError` unless ``host`` may be reached."""
        if not self.permits(host):
            raise NetworkBlockedError(str(host), via)

    # -- install / uninstall ------------------------------------------------------------------
    def install(self) -> None:
        """Install all three layers. Safe to call twice; replaces another installed guard."""
        global _active_guard, _audit_hook_added
        if _active_guard is self:
            return
        if _active_guard is not None:
            _active_guard.uninstall()
        self._patch_sockets()
        self._patch_clients()
        if not _audit_hook_added:
            sys.addaudithook(_audit_hook)
            _audit_hook_added = True
        _active_guard = self

    @staticmethod
    def environment() -> dict[str, str]:
        """Environment variables that keep SDKs off the network while the guard is on.

        No instance-metadata lookups (botocore would try 169.254.169.254 for credentials) and no
        proxy for loopback (a moto server or LocalStack on 127.0.0.1). The sandbox sets them and
        restores the previous values when it stops.
        """
        no_proxy = [p for p in os.environ.get("NO_PROXY", "").split(",") if p]
        for host in ("localhost", "127.0.0.1", "::1"):
            if host not in no_proxy:
                no_proxy.append(host)
        joined = ",".join(no_proxy)
        return {"AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": joined, "no_proxy": joined}

    def uninstall(self) -> None:
        """Restore every patched function; the audit hook stays but goes quiet."""
        global _active_guard
        for owner, name, original in reversed(self._originals):
            setattr(owner, name, original)
        self._originals.clear()
        if _active_guard is self:
            _active_guard = None

    def _patch(self, owner: Any, name: str, make: Any) -> None:
        original = getattr(owner, name)
        self._originals.append((owner, name, original))
        setattr(owner, name, make(original))

    def _patch_sockets(self) -> None:
        guard = self

        def resolver(original: Any) -> Any:
            def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
                guard.check(host, "a DNS lookup")
                return original(host, *args, **kwargs)

            return guarded

        def connector(original: Any) -> Any:
            def guarded(sock: socket.socket, address: Any, *args: Any) -> Any:
                guard.check(_host_of(address), "a socket")
                return original(sock, address, *args)

            return guarded

        def sender(original: Any) -> Any:
            def guarded(sock: socket.socket, data: Any, *args: Any) -> Any:
                guard.check(_host_of(args[-1]) if args else None, "a socket")
                return original(sock, data, *args)

            return guarded

        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            self._patch(socket, name, resolver)
        self._patch(socket.socket, "connect", connector)
        self._patch(socket.socket, "connect_ex", connector)
        self._patch(socket.socket, "sendto", sender)

    def _patch_clients(self) -> None:
        guard = self

        def botocore_send(original: Any) -> Any:
            def send(session: Any, request: Any) -> Any:
                guard.check(urlsplit(request.url).hostname, "an AWS SDK (botocore) request")
                return original(session, request)

            return send

        def requests_connection(original: Any) -> Any:
            def get_connection(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
                guard.check(urlsplit(request.url).hostname, "an HTTP request (requests)")
                return original(adapter, request, *args, **kwargs)

            return get_connection

        def urllib_open(original: Any) -> Any:
            def do_open(handler: Any, http_class: Any, req: Any, **kwargs: Any) -> Any:
                guard.check(urlsplit(req.full_url).hostname, "an HTTP request (urllib)")
                return original(handler, http_class, req, **kwargs)

            return do_open

        import botocore.httpsession

        self._patch(botocore.httpsession.URLLib3Session, "send", botocore_send)
        self._patch(urllib.request.AbstractHTTPHandler, "do_open", urllib_open)
        try:
            import requests.adapters
        except ImportError:  # requests is optional for the guard
            return
        # Not HTTPAdapter.send: moto's `responses` mock keeps a reference to the original send.
        self._patch(requests.adapters.HTTPAdapter, "get_connection_with_tls_context", requests_connection)


def _host_of(address: Any) -> str | None:
    """The host part of a socket address; None for Unix sockets (always local)."""
    if isinstance(address, tuple) and address:
        return address[0]
    return None


def _audit_hook(event: str, args: tuple[Any, ...]) -> None:
    guard = _active_guard
    if guard is None or event not in _AUDIT_EVENTS or getattr(_hook_state, "busy", False):
        return
    _hook_state.busy = True  # the check itself must not re-enter the hook
    try:
        if event in ("socket.connect", "socket.sendto"):
            host = _host_of(args[1])
        else:
            host = args[0]
        guard.check(host, "a socket")
    finally:
        _hook_state.busy = False
