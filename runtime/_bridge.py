"""Run the synchronous conversation logic on an asyncio event loop, without threads.

The conversation logic (routing, chat, recovery, export, the stores' rules) exists once,
as generators that call a blocking ``httpx.Client`` and an injected ``sleep``. To run it
under asyncio, each ``send`` runs in its own greenlet (the way SQLAlchemy's asyncio
extension runs its synchronous core): wherever the logic would block, :func:`await_`
switches back to the event loop's greenlet with the awaitable, the loop awaits it, and
switches back with the result (or throws the exception in). Nothing blocks the loop and
no thread is started per call: 500 conversations are 500 greenlets on one thread.

The seams where the logic waits are:

- HTTP: the logic's ``httpx.Client`` has a :class:`BridgeTransport` that sends each
  request with the host's ``httpx.AsyncClient``; response bodies are read chunk by chunk
  the same way, so an SSE stream waits on the loop, not on a socket.
- sleeping: :func:`bridged_sleep` is ``asyncio.sleep``.
- blocking calls (SQLite stores): :func:`offload` runs them with ``asyncio.to_thread``.

:func:`drive` is the whole async driver: it turns a generator of events into an async
iterator of the same events. Outside a driven greenlet every seam behaves as the plain
synchronous call, so the sync API is untouched.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx
from greenlet import getcurrent, greenlet

__all__ = [
    "BridgeTransport",
    "await_",
    "bridged",
    "bridged_sleep",
    "drive",
    "offload",
    "run_reporting_driven",
]

T = TypeVar("T")
E = TypeVar("E")
P = TypeVar("P")


class _Worker(greenlet):
    """The greenlet running one driven generator; its parent is the event loop's."""


@dataclass(frozen=True)
class _Await:
    """A request from a driven greenlet: await this, then switch back to ``requester``."""

    awaitable: Awaitable[Any]
    requester: greenlet


@dataclass(frozen=True)
class _Yielded:
    """An item the driven generator produced."""

    item: Any


_DONE = object()
_REPORTED = object()


def _worker() -> _Worker | None:
    current: greenlet | None = getcurrent()
    while current is not None:
        if isinstance(current, _Worker):
            return current
        current = current.parent
    return None


def _parent(of: greenlet) -> greenlet:
    parent = of.parent
    if parent is None:  # only the thread's main greenlet has none; a driven one never is
        raise RuntimeError("a driven greenlet without a parent")
    return parent


def bridged() -> bool:
    """Whether the caller runs inside :func:`drive` (its waits go to the event loop)."""
    return _worker() is not None


def await_(awaitable: Awaitable[T]) -> T:
    """Wait for ``awaitable`` on the event loop from inside a driven greenlet."""
    worker = _worker()
    if worker is None:
        raise RuntimeError("await_ called outside an async conversation")
    return cast(T, _parent(worker).switch(_Await(awaitable, getcurrent())))


def bridged_sleep(seconds: float) -> None:
    """``asyncio.sleep`` when driven, else ``time.sleep``."""
    if bridged():
        await_(asyncio.sleep(seconds))
    else:
        import time

        time.sleep(seconds)


def offload(call: Callable[[], T]) -> T:
    """Run a blocking ``call`` in a worker thread when driven (directly otherwise)."""
    if bridged():
        return await_(asyncio.to_thread(call))
    return call()


def run_reporting_driven(
    work: Callable[[Callable[[P], None]], T], convert: Callable[[P], E | None]
) -> Generator[E, None, T]:
    """:func:`~skillrt.runtime._progress.run_reporting` inside a driven greenlet.

    ``work`` runs in a child greenlet (its waits still reach the loop); a report made in
    that greenlet switches back here at once to be yielded, and one made in a thread (an
    upload body is read in one) is yielded at the next switch.
    """
    pending: deque[P] = deque()
    child: greenlet

    def report(progress: P) -> None:
        pending.append(progress)
        if getcurrent() is child:
            _parent(child).switch(_REPORTED)

    child = greenlet(lambda: work(report))
    try:
        outcome = child.switch()
        while True:
            while pending:
                event = convert(pending.popleft())
                if event is not None:
                    yield event
            if child.dead:
                return cast(T, outcome)
            outcome = child.switch()
    finally:
        if not child.dead:
            child.throw()  # GreenletExit: the work's finally blocks run, then it ends


async def _serve(message: object) -> object:
    """Await what driven greenlets ask for until one yields an item or the work ends."""
    while isinstance(message, _Await):
        requester = message.requester
        try:
            result = await message.awaitable
        except BaseException as exc:  # handed to the logic, which decides
            message = requester.throw(exc)
        else:
            message = requester.switch(result)
    return message


async def drive(make: Callable[[], Iterator[E]]) -> AsyncIterator[E]:
    """The items of the generator ``make()`` as an async iterator, its waits on the loop.

    Closing the iterator (``aclose``, or the task being cancelled) closes the generator
    in its greenlet, so its ``finally`` blocks and store updates run to the end (and may
    still wait on the loop) before the close returns.
    """

    def body() -> object:
        iterator = make()
        try:
            for item in iterator:
                _parent(getcurrent()).switch(_Yielded(item))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
        return _DONE

    worker = _Worker(body)
    # The logic sees the caller's context variables (a host's structlog or tracing
    # context), as it would in a thread of its own; a new greenlet starts with none.
    worker.gr_context = contextvars.copy_context()
    message: object = None
    try:
        message = await _serve(worker.switch())
        while isinstance(message, _Yielded):
            yield cast(E, message.item)
            message = await _serve(worker.switch())
    finally:
        if not worker.dead:
            # Closed early: GeneratorExit in the logic; what it does on the way out
            # (closing a stream, a store update) is still served.
            message = await _serve(worker.throw())


class _BridgeStream(httpx.SyncByteStream):
    """A response body read through the async client's response, chunk by chunk."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._chunks: AsyncIterator[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        chunks = self._response.aiter_raw()
        self._chunks = chunks
        while True:
            try:
                chunk = await_(chunks.__anext__())
            except StopAsyncIteration:
                return
            yield chunk

    def close(self) -> None:
        if bridged():
            await_(self._response.aclose())
        # Outside a driven greenlet (a response collected after its loop ended) there is
        # no loop to close it on; the async client's pool drops the connection itself.


class _BridgeRequestStream(httpx.AsyncByteStream):
    """A synchronous request body (a file streamed from disk) read in a worker thread."""

    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self._chunks = iter(stream)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        done = object()
        while True:
            chunk = await asyncio.to_thread(next, self._chunks, done)
            if chunk is done:
                return
            yield cast(bytes, chunk)


class BridgeTransport(httpx.BaseTransport):
    """The synchronous transport of a driven conversation: each request goes out through
    ``http`` (the host's ``httpx.AsyncClient``) on the event loop."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):
            body = request.stream
            if isinstance(body, httpx.SyncByteStream):
                request.stream = _BridgeRequestStream(body)
        response = await_(self._http.send(request, stream=True, follow_redirects=False))
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_BridgeStream(response),
            extensions=response.extensions,
            request=request,
        )
