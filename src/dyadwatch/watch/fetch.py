"""Polite, safe HTTP for the watcher.

Every request goes only to http(s) URLs on public addresses (every address the host resolves
to, checked again at each redirect) unless private ones are allowed; only where the site's
robots.txt allows it; and no sooner than the host's delay (ours, or its Crawl-delay if longer)
after the previous request to it. A body over the size cap, or not read within the timeout, is
abandoned. 429 and 5xx answers and network errors are retried with exponential backoff, or
after Retry-After when the server says how long to wait.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from dyadwatch import __version__
from dyadwatch.ingest.decode import decode
from dyadwatch.ingest.readers import MAX_PAGE_BYTES

USER_AGENT = f"dyadwatch/{__version__} (news event data from public feeds; obeys robots.txt)"
ROBOTS_AGENT = "dyadwatch"  # the token robots.txt rules name
REDIRECTS = {301, 302, 303, 307, 308}
RETRIED = {429, 500, 502, 503, 504}
# RFC 9309: a robots.txt that cannot be read (5xx, network error) means the whole site is off.
DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")

FailureKind = Literal["refused", "disallowed", "failed", "transient"]


@dataclass(frozen=True)
class Politeness:
    """How the watcher fetches; the defaults are polite to news sites."""

    delay: float = 5.0  # seconds between two requests to one host (more if Crawl-delay says)
    timeout: float = 20.0  # seconds to connect, and to read a whole body
    max_bytes: int = MAX_PAGE_BYTES  # a larger body is abandoned
    retries: int = 2  # more tries of a request that failed in a way worth trying again
    backoff: float = 2.0  # seconds before the first retry, doubling each time
    max_wait: float = 300.0  # a longer Retry-After is not waited for within a round
    max_redirects: int = 5
    allow_private: bool = False  # fetch from private, loopback and link-local addresses
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A URL not fetched. ``kind``: refused (scheme or address), disallowed (robots.txt),
    failed (for good: too large, redirect loop) or transient (worth another round)."""

    def __init__(self, url: str, reason: str, kind: FailureKind) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.kind = url, reason, kind


class Stopped(Exception):
    """A stop was asked for while waiting for a host's turn."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    reason: str
    http_version: str
    headers: httpx.Headers
    body: bytes  # decoded from any Content-Encoding


class Fetcher:
    """GETs URLs one at a time under the rules above. ``stop`` cuts waits short (raising
    ``Stopped``); ``on_response`` sees every response received (to archive it)."""

    def __init__(
        self,
        politeness: Politeness | None = None,
        stop: threading.Event | None = None,
        on_response: Callable[[Response], None] | None = None,
    ) -> None:
        self.politeness = politeness or Politeness()
        self.stop = stop or threading.Event()
        self.on_response = on_response
        self.client = httpx.Client(
            headers={"User-Agent": self.politeness.user_agent},
            timeout=self.politeness.timeout,
            follow_redirects=False,  # each hop is checked here
        )
        self._robots: dict[str, Protego] = {}  # by origin
        self._delays: dict[str, float] = {}  # by host, where Crawl-delay asks for more
        self._turns: dict[str, float] = {}  # by host: the monotonic time of its next turn

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """The response to a GET of ``url``, redirects followed; raises ``FetchError`` when
        it may not or could not be fetched. A 4xx or 5xx answer is a response."""
        return self._follow(url, headers or {}, obey_robots=True)

    def _follow(self, url: str, headers: dict[str, str], obey_robots: bool) -> Response:
        for _ in range(self.politeness.max_redirects + 1):
            check_address(url, self.politeness.allow_private)
            if obey_robots and not self._allowed(url):
                raise FetchError(url, "disallowed by robots.txt", "disallowed")
            response = self._retrying(url, headers)
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            url = urljoin(url, location)
        raise FetchError(url, f"more than {self.politeness.max_redirects} redirects", "failed")

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
            delay = self._robots[origin].crawl_delay(ROBOTS_AGENT)
            if delay:
                self._delays[parts.netloc] = max(float(delay), self._delays.get(parts.netloc, 0))
        return bool(self._robots[origin].can_fetch(url, ROBOTS_AGENT))

    def _read_robots(self, origin: str) -> Protego:
        try:
            response = self._follow(f"{origin}/robots.txt", {}, obey_robots=False)
        except FetchError as error:
            if error.kind == "refused":
                raise
            return DISALLOW_ALL
        if 200 <= response.status < 300:
            return Protego.parse(decode(response.body))
        # No robots.txt (4xx) allows everything; a server error is taken as a closed site.
        return DISALLOW_ALL if response.status >= 500 else Protego.parse("")

    def _retrying(self, url: str, headers: dict[str, str]) -> Response:
        host = urlsplit(url).netloc
        for attempt in range(self.politeness.retries + 1):
            self._take_turn(url, host)
            try:
                response: Response | None = self._request(url, headers)
            except httpx.TimeoutException:
                response, failure = None, f"timed out after {self.politeness.timeout:g} s"
            except httpx.HTTPError as error:
                response, failure = None, f"{type(error).__name__}: {error}"
            if response is not None and response.status not in RETRIED:
                return response
            wait = retry_after(response) if response else None
            wait = self.politeness.backoff * 2**attempt if wait is None else wait
            self._turns[host] = max(self._turns.get(host, 0.0), time.monotonic() + wait)
            if attempt == self.politeness.retries or wait > self.politeness.max_wait:
                break
        if response is None:
            raise FetchError(url, failure, "transient")
        return response

    def _take_turn(self, url: str, host: str) -> None:
        """Wait for the host's turn, and set its next one; a turn further off than the round
        should wait (a long Retry-After or Crawl-delay) is left to a later round."""
        wait = self._turns.get(host, 0.0) - time.monotonic()
        if wait > self.politeness.max_wait:
            raise FetchError(url, f"{host} asks to wait {wait:.0f} s", "transient")
        if wait > 0 and self.stop.wait(wait):
            raise Stopped
        delay = max(self.politeness.delay, self._delays.get(host, 0.0))
        self._turns[host] = time.monotonic() + delay

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        cap, deadline = self.politeness.max_bytes, time.monotonic() + self.politeness.timeout
        with self.client.stream("GET", url, headers=headers) as answer:
            declared = answer.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise _too_large(url, cap)
            body = bytearray()
            for chunk in answer.iter_bytes():  # decompressed: the cap holds for gzip bombs
                body += chunk
                if len(body) > cap:
                    raise _too_large(url, cap)
                if time.monotonic() > deadline:  # a server trickling bytes
                    raise httpx.ReadTimeout("body not read in time", request=answer.request)
        response = Response(
            url,
            answer.status_code,
            answer.reason_phrase,
            answer.http_version,
            answer.headers,
            bytes(body),
        )
        if self.on_response:
            self.on_response(response)
        return response


def check_address(url: str, allow_private: bool) -> None:
    """Raise ``FetchError`` (refused) unless ``url`` is http(s) on a host whose every address
    is public, or private ones are allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"only http and https are fetched, not {parts.scheme!r}", "refused")
    if not parts.hostname:
        raise FetchError(url, "no host in the URL", "refused")
    if allow_private:
        return
    try:
        found = addresses(parts.hostname)
    except OSError as error:
        raise FetchError(url, f"cannot resolve {parts.hostname}: {error}", "transient") from error
    for address in found:
        ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            where = ip if parts.hostname == str(ip) else f"{parts.hostname} (at {ip})"
            reason = (
                f"{where} is a {_address_kind(ip)} address: refused (pass --allow-private "
                "to fetch from private, loopback or link-local addresses)"
            )
            raise FetchError(url, reason, "refused")


def addresses(host: str) -> list[str]:
    """Every IP address ``host`` resolves to."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for kind in ("loopback", "link_local", "unspecified", "private", "multicast"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "reserved"


def retry_after(response: Response) -> float | None:
    """Seconds the server asks to wait: Retry-After as seconds or as an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _too_large(url: str, cap: int) -> FetchError:
    return FetchError(url, f"body over the size cap ({cap / 2**20:g} MB)", "failed")
