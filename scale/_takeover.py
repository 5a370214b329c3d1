"""The worker side of durable render watching: hold, renew, and take over renders.

:class:`RenderTakeover` plugs into a ``skillrt serve`` engine. When a message's run
submits a render (the runtime has recorded it in its job store before polling), the
worker registers it in the :class:`RenderWatch` with its own lease and renews it while the
run lives; when the run ends the watch ends (the runtime reported the outcome itself).
Every ``ttl / 2`` the worker scans for watched renders whose lease lapsed — their worker
died — and takes over at most one copy of each: it resumes polling the same render id
through the runtime's ``resume_exports``, appends the events (the media event with a file
URL) to the original message's stream, and fires the engine's render hooks (webhooks).
"""

from __future__ import annotations

import asyncio
import contextlib

from skillrt.errors import StoreError
from skillrt.log import get_logger
from skillrt.scale._async_lease import new_owner
from skillrt.scale._watch import RenderWatch
from skillrt.serve import Engine, Owner, SubmittedRender

__all__ = ["RenderTakeover"]

_log = get_logger(__name__)


class RenderTakeover:
    """Render watching for one worker's engine."""

    def __init__(self, watch: RenderWatch, *, owner: str | None = None) -> None:
        self.watch = watch
        self.owner = owner or new_owner()
        self._keepers: dict[str, asyncio.Task[None]] = {}
        self._resuming: set[asyncio.Task[None]] = set()

    def _key(self, job_id: str) -> str:
        return f"{self.watch.prefix}watchlease:{job_id}"

    async def submitted(self, render: SubmittedRender, finished: bool) -> None:
        """The engine's submit hook: watch a new render, or end the watch with its run."""
        if finished:
            keeper = self._keepers.pop(render.job_id, None)
            if keeper is not None:
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper
            await self.watch.done(render.job_id)
            await self.watch.lease.release(self._key(render.job_id), self.owner)
            return
        record = render.conversation
        info = {
            "conversation": record.id, "message": render.message_id,
            "key_id": record.owner.key_id, "user": record.owner.user,
            "file_url": render.file_url,
        }  # fmt: skip
        if await self.watch.register(render.job_id, info, self.owner):
            lost = asyncio.Event()
            keep = self.watch.lease.keep(self._key(render.job_id), self.owner, lost)
            self._keepers[render.job_id] = asyncio.get_running_loop().create_task(keep)

    async def resume(self, engine: Engine, job_id: str) -> None:
        """Poll a taken-over render to its end and deliver it to its message's stream."""
        try:
            info = await self.watch.info(job_id)
            if info is None:
                return
            owner = Owner(info["key_id"], info["user"])
            record = engine.store.get_conversation(info["conversation"], owner)
            if record is None:
                await self.watch.done(job_id)
                return
            render = SubmittedRender(record, info["message"], job_id, info["file_url"])
            async with self.watch.polling(job_id, self.owner):
                _log.info("render.taken_over", job=job_id)
                await engine.resume_render(render)
            await self.watch.done(job_id)
        except StoreError as exc:
            # Redis down or lease lost: the lease lapses and a worker tries again.
            _log.warning("render.takeover_failed", job=job_id, error=type(exc).__name__)

    async def run(self, engine: Engine) -> None:
        """Watch the engine's renders and take over orphans until cancelled."""
        engine.on_submit.append(self.submitted)
        try:
            while True:
                await asyncio.sleep(self.watch.ttl / 2)
                try:
                    taken = await self.watch.scan(self.owner)
                except StoreError:
                    continue  # Redis away: look again next round
                for job_id in taken:
                    task = asyncio.get_running_loop().create_task(self.resume(engine, job_id))
                    self._resuming.add(task)
                    task.add_done_callback(self._resuming.discard)
        finally:
            engine.on_submit.remove(self.submitted)
            for task in [*self._keepers.values(), *self._resuming]:
                task.cancel()
