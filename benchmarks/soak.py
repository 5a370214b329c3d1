"""Soak: whole conversations, as a new user would have them, against a chaotic emulator.

An emulator runs in a child process in chaos mode (``--chaos RATE``: each API request is
hit, with that probability, by one fault drawn from all its switches; ``--seed`` makes the
draws reproducible). ``--workers`` processes each hold one runtime (as one user's machine
would) and run conversations from a shared queue; each conversation is one skill's whole
session: generate → edit → status → export (the skills take turns).

Printed at the end (``--json`` for one JSON object):

- conversations completed ok / ended in a defined error (an ``error`` event with a code) /
  hung (past ``--hang-seconds``; the worker is killed and replaced) / crashed (an exception
  out of ``send``, an ``internal`` error event, or a worker that died);
- messages lost (the runtime got a 200 stream for more messages than the emulator counted)
  and sent twice (the emulator counted more than the runtime got streams for, or one user
  message whose text went to the chat twice), against ``GET /__emulator__/stats``;
- invalid MP4s (every delivered file is decoded in full by the bundled ffmpeg), partial
  files left in the output folders, token occurrences in the events and in the runtime's
  DEBUG logs, CDN requests that carried ``Authorization``;
- "ok without the promised result": a step that ended ``ok`` without what it promised — a
  generation without its post-production (no music track), an edit after which neither the
  timeline nor the analyses changed or nothing was said, a status without the timeline, an
  export without an MP4.

Exit status 0 when none of hung, crashed, lost, doubled, invalid, partial, leaked or
ok-without-result happened; 1 otherwise. Everything runs on 127.0.0.1 and stops by itself.

Run: ``.venv/bin/python benchmarks/soak.py --conversations 100 --workers 4 --chaos 0.1``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

TOKEN = re.compile(r"nmv_usr_[A-Za-z0-9_\-]{8,}")

#: The conversation of each skill: (step, message). Steps decide what "ok" promised.
SCENARIOS: dict[str, list[tuple[str, str]]] = {
    "free-generation-maker": [
        ("generate", "generate a 2-second video about a coffee brand"),
        ("edit", "add upbeat music at 20%"),
        ("status", "status"),
        ("export", "export"),
    ],
    "caption-ab": [
        ("generate", "generate a 2-second video about a city at night"),
        ("edit", "test two caption styles"),
        ("status", "status"),
        ("export", "export"),
    ],
    "video-meta-ai": [
        ("generate", "generate a 2-second video about a mountain hike"),
        ("edit", "write titles, a description and tags for this video"),
        ("status", "status"),
        ("export", "export"),
    ],
}

_CHILD = """
import json, sys
from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import run_emulator
from skillrt.log import configure
configure("WARNING", stream=sys.stderr, json=True)
settings = EmulatorSettings.for_tests(**json.loads(sys.argv[1]))
with run_emulator(settings) as emu:
    print(emu.base_url, emu.cdn_url, flush=True)
    sys.stdin.read()
"""


@dataclass
class Options:
    """What one soak run does."""

    conversations: int
    workers: int
    chaos: float
    seed: int
    hang_seconds: float
    render_deadline: float
    gui_export: bool
    workdir: Path


@contextmanager
def emulator_process(options: Options) -> Iterator[tuple[str, str]]:
    """The chaotic emulator in a child process; yields ``(api_url, cdn_url)``."""
    settings = {
        "chaos": options.chaos,
        "seed": options.seed,
        "chaos_stall_seconds": 0.8,
        "starting_credits": 10**9,
        "tokens_per_ip": 10_000,
        "max_sessions": 100_000,
        "max_renders": 100_000,
        "max_concurrent_renders": 2,
        "render_threads": 1,
    }
    log = (options.workdir / "emulator.log").open("w")
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, json.dumps(settings)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        if len(line) != 2:
            raise SystemExit(f"the emulator did not start (see {options.workdir}/emulator.log)")
        yield line[0], line[1]
    finally:
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
        log.close()


# -- the worker processes ------------------------------------------------------------


def _valid_mp4(path: Path) -> bool:
    """The whole file decodes (H.264 video) with the bundled ffmpeg."""
    import imageio_ffmpeg

    if not path.is_file() or path.stat().st_size < 1000:
        return False
    done = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if done.returncode != 0 or done.stderr.strip():
        return False
    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return "Video: h264" in probe.stderr


class _Wire:
    """httpx hooks: each chat message that got a stream, and CDN requests with a token."""

    def __init__(self, cdn_url: str, report: Any, slot: int) -> None:
        self.cdn_url = cdn_url
        self.report = report
        self.slot = slot
        self.index = -1
        self.chat_texts: list[str] = []
        self.cdn_authorized = 0

    def request(self, request: httpx.Request) -> None:
        if str(request.url).startswith(self.cdn_url) and "authorization" in request.headers:
            self.cdn_authorized += 1

    def response(self, response: httpx.Response) -> None:
        request = response.request
        if request.url.path != "/run_sse" or response.status_code != 200:
            return
        try:
            body = json.loads(request.content)
            session = str(body["session_id"])
            text = str(body["new_message"]["parts"][0]["text"])
        except (ValueError, KeyError, IndexError, TypeError):
            return
        self.chat_texts.append(text)
        self.report.put(("chat", self.slot, self.index, session))


def _observe(client: Any, session_id: str | None) -> dict[str, Any] | None:
    """The session's state for checking a promise (a few tries: chaos hits these too)."""
    if session_id is None:
        return None
    for _ in range(8):
        try:
            state = client.state(session_id)
        except Exception:  # an observer retries whatever failed
            time.sleep(0.05)
            continue
        return {"draft": state.draft or {}, "analyses": len(state.video_analyses)}
    return None


def _has_music(draft: dict[str, Any]) -> bool:
    tracks = draft.get("t") if isinstance(draft.get("t"), list) else []
    return any(isinstance(t, dict) and t.get("tt") == 1 and t.get("sg") for t in tracks or [])


def _promise_kept(
    step: str, events: list[Any], before: dict[str, Any] | None, after: dict[str, Any] | None
) -> bool:
    """Whether an ``ok`` step delivered what it promised."""
    from skillrt.runtime import MediaEvent, TextEvent

    shown = [e for e in events if isinstance(e, TextEvent) and not e.partial]
    if step == "generate":
        return after is not None and _has_music(after["draft"])
    if step == "edit":
        said = any(e.kind in ("reply", "changes") for e in shown)
        changed = after is not None and before is not None and after != before
        return said and changed
    if step == "status":
        return any(e.kind == "timeline" for e in shown)
    return any(isinstance(e, MediaEvent) for e in events)


def _run_conversation(runtime: Any, wire: _Wire, index: int, events_log: Any) -> dict[str, Any]:
    from skillrt.runtime import DoneEvent, ErrorEvent, MediaEvent

    skill = sorted(SCENARIOS)[index % len(SCENARIOS)]
    conversation = runtime.conversation(skill)
    result: dict[str, Any] = {"index": index, "skill": skill, "outcome": "ok", "codes": [],
                              "unkept": [], "invalid_mp4": 0, "doubled_in_message": 0,
                              "mp4s": 0}  # fmt: skip
    for step, text in SCENARIOS[skill]:
        before = _observe(conversation.client, conversation.session_id)
        wire.chat_texts = []
        events = list(conversation.send(text))
        for event in events:
            events_log.write(event.model_dump_json() + "\n")
        counts = Counter(wire.chat_texts)
        result["doubled_in_message"] += sum(n - 1 for n in counts.values() if n > 1)
        for media in (e for e in events if isinstance(e, MediaEvent)):
            result["mp4s"] += 1
            if not _valid_mp4(Path(media.path)):
                result["invalid_mp4"] += 1
        errors = [e for e in events if isinstance(e, ErrorEvent)]
        result["codes"] += [e.code for e in errors]
        done = events[-1]
        assert isinstance(done, DoneEvent), "a send did not end with a done event"
        if any(e.code == "internal" for e in errors):
            result["outcome"] = "crashed"
            return result
        if not done.ok:
            result["outcome"] = "error" if errors else "ok_false_without_error"
            result["failed_step"] = step
            return result
        after = _observe(conversation.client, conversation.session_id)
        if not _promise_kept(step, events, before, after):
            result["unkept"].append(step)
            result.setdefault("unkept_events", []).append(
                [f"{e.type}:{getattr(e, 'kind', '')}:{getattr(e, 'text', '')[:80]}"
                 for e in events if not getattr(e, "partial", False)]
            )  # fmt: skip
    return result


def worker(slot: int, home: str, api_url: str, cdn_url: str, options: dict[str, Any],
           tasks: Any, report: Any) -> None:  # fmt: skip
    """One user's machine: a runtime under ``home``, conversations from ``tasks``."""
    from dataclasses import replace

    from skillrt.log import configure
    from skillrt.runtime import BackendConfig, Intervals, SkillRuntime
    from skillrt.runtime._conversation import ConversationOptions

    root = Path(home)
    root.mkdir(parents=True, exist_ok=True)
    debug = (root / "debug.log").open("a", encoding="utf-8")
    configure("DEBUG", stream=debug, json=True)
    events_log = (root / "events.jsonl").open("a", encoding="utf-8")
    wire = _Wire(cdn_url, report, slot)
    intervals = replace(
        Intervals(),
        rate_limit_wait=0.05, recovery_waits=(0.1, 0.2), unchanged_queries=5, render_poll=0.1,
        render_deadline=options["render_deadline"], retry_backoff=(0.02, 0.05, 0.1),
        keepalive_notice=5.0, keepalive_only_limit=60.0, sse_hard_limit=120.0,
        sse_read_timeout=0.4,
    )  # fmt: skip
    http = httpx.Client(
        timeout=30, event_hooks={"request": [wire.request], "response": [wire.response]}
    )
    config = BackendConfig(api_url=api_url, data_dir=root, client_id_path=root / "client_id",
                           intervals=intervals)  # fmt: skip
    runtime = SkillRuntime(http, config=config, env={}, options=ConversationOptions(
        output_dir=root / "out", gui_export=options["gui_export"]))  # fmt: skip
    try:
        while True:
            index = tasks.get()
            if index is None:
                break
            wire.index = index
            report.put(("start", slot, index, time.monotonic()))
            try:
                result = _run_conversation(runtime, wire, index, events_log)
            except Exception:  # a crash is what the soak counts
                result = {"index": index, "outcome": "crashed", "traceback":
                          traceback.format_exc()[-2000:]}  # fmt: skip
            events_log.flush()
            debug.flush()
            result["cdn_authorized"] = wire.cdn_authorized
            wire.cdn_authorized = 0
            report.put(("end", slot, index, result))
    finally:
        runtime.close()
        http.close()
        events_log.close()
        debug.close()


# -- the parent ----------------------------------------------------------------------


@dataclass
class Tally:
    """What the run found."""

    outcomes: Counter[str] = field(default_factory=Counter)
    client_streams: Counter[str] = field(default_factory=Counter)
    doubled_in_message: int = 0
    invalid_mp4: int = 0
    mp4s: int = 0
    unkept: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    cdn_authorized: int = 0
    crashes: list[str] = field(default_factory=list)
    hung: list[int] = field(default_factory=list)
    unkept_events: list[list[str]] = field(default_factory=list)

    def add(self, result: dict[str, Any]) -> None:
        outcome = result["outcome"]
        if outcome == "ok" and result.get("unkept"):
            outcome = "ok_without_result"
        self.outcomes[outcome] += 1
        self.doubled_in_message += result.get("doubled_in_message", 0)
        self.invalid_mp4 += result.get("invalid_mp4", 0)
        self.mp4s += result.get("mp4s", 0)
        self.unkept.update(result.get("unkept", []))
        self.codes.update(result.get("codes", []))
        self.cdn_authorized += result.get("cdn_authorized", 0)
        if outcome == "crashed":
            self.crashes.append(str(result.get("traceback") or result.get("codes")))
        if outcome == "ok_without_result":
            self.unkept_events.extend(result.get("unkept_events", []))


def _spawn(ctx: Any, slot: int, options: Options, urls: tuple[str, str], tasks: Any,
           report: Any) -> Any:  # fmt: skip
    home = options.workdir / f"worker-{slot}"
    settings = {"render_deadline": options.render_deadline, "gui_export": options.gui_export}
    process = ctx.Process(target=worker, args=(slot, str(home), urls[0], urls[1], settings,
                                               tasks, report), daemon=True)  # fmt: skip
    process.start()
    return process


def _drive(options: Options, urls: tuple[str, str]) -> Tally:
    ctx = multiprocessing.get_context("spawn")
    tasks = ctx.Queue()
    report = ctx.Queue()
    for index in range(options.conversations):
        tasks.put(index)
    for _ in range(options.workers * 4):  # more than enough stop marks for replacements
        tasks.put(None)
    workers = {slot: _spawn(ctx, slot, options, urls, tasks, report)
               for slot in range(options.workers)}  # fmt: skip
    running: dict[int, tuple[int, float]] = {}  # slot -> (conversation, started)
    tally = Tally()
    finished = 0
    last_print = time.monotonic()
    while finished < options.conversations:
        try:
            kind, slot, index, value = report.get(timeout=0.5)
        except queue.Empty:
            kind = ""
        if kind == "start":
            running[slot] = (index, time.monotonic())
        elif kind == "chat":
            tally.client_streams[value] += 1
        elif kind == "end":
            running.pop(slot, None)
            tally.add(value)
            finished += 1
        now = time.monotonic()
        for slot_id, (index, started) in list(running.items()):
            if now - started > options.hang_seconds:
                tally.hung.append(index)
                tally.outcomes["hung"] += 1
                finished += 1
                running.pop(slot_id)
                workers[slot_id].kill()
                workers[slot_id].join(10)
                workers[slot_id] = _spawn(ctx, slot_id, options, urls, tasks, report)
        for slot_id, process in list(workers.items()):
            if not process.is_alive() and slot_id in running:
                index, _ = running.pop(slot_id)
                tally.outcomes["crashed"] += 1
                tally.crashes.append(f"worker {slot_id} died (exit {process.exitcode})")
                finished += 1
                workers[slot_id] = _spawn(ctx, slot_id, options, urls, tasks, report)
        if now - last_print > 30:
            last_print = now
            print(f"... {finished}/{options.conversations} conversations", file=sys.stderr,
                  flush=True)  # fmt: skip
    for process in workers.values():
        process.join(30)
        if process.is_alive():
            process.kill()
            process.join(10)
    # Chat messages reported after a conversation's end (none expected) are drained.
    while True:
        try:
            kind, _slot, _index, value = report.get_nowait()
        except queue.Empty:
            break
        if kind == "chat":
            tally.client_streams[value] += 1
    return tally


def _leaks(workdir: Path) -> tuple[int, int]:
    """Token occurrences in the events and in the DEBUG logs of every worker."""
    tokens: set[str] = set()
    for credentials in workdir.glob("worker-*/credentials.json"):
        tokens.update(TOKEN.findall(credentials.read_text(encoding="utf-8", errors="replace")))
    in_events = in_logs = 0
    for home in workdir.glob("worker-*"):
        for name in ("events.jsonl", "debug.log"):
            path = home / name
            text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
            found = max(len(TOKEN.findall(text)), sum(text.count(t) for t in tokens))
            if name == "events.jsonl":
                in_events += found
            else:
                in_logs += found
    return in_events, in_logs


def _partials(workdir: Path) -> list[str]:
    return [str(p) for p in workdir.glob("worker-*/out/**/*") if p.is_file() and ".part" in p.name]


def run(options: Options) -> dict[str, Any]:
    """One soak run; the figures as a dict."""
    started = time.monotonic()
    with emulator_process(options) as urls:
        tally = _drive(options, urls)
        stats = httpx.get(f"{urls[0]}/__emulator__/stats", timeout=30).json()
    server: dict[str, int] = stats["messages_by_session"]
    sessions = set(server) | set(tally.client_streams)
    lost = sum(max(0, tally.client_streams[s] - server.get(s, 0)) for s in sessions)
    twice = sum(max(0, server.get(s, 0) - tally.client_streams[s]) for s in sessions)
    in_events, in_logs = _leaks(options.workdir)
    partials = _partials(options.workdir)
    return {
        "conversations": options.conversations,
        "workers": options.workers,
        "chaos": options.chaos,
        "seed": options.seed,
        "seconds": round(time.monotonic() - started, 1),
        "completed_ok": tally.outcomes["ok"],
        "defined_error": tally.outcomes["error"],
        "hung": tally.outcomes["hung"],
        "crashed": tally.outcomes["crashed"],
        "ok_false_without_error": tally.outcomes["ok_false_without_error"],
        "ok_without_result": tally.outcomes["ok_without_result"],
        "unkept_promises": dict(tally.unkept),
        "messages_sent": sum(tally.client_streams.values()),
        "messages_received": stats["messages_total"],
        "messages_lost": lost,
        "messages_sent_twice": twice + tally.doubled_in_message,
        "mp4s_delivered": tally.mp4s,
        "invalid_mp4s": tally.invalid_mp4,
        "partial_files": len(partials),
        "token_in_events": in_events,
        "token_in_debug_logs": in_logs,
        "cdn_requests_with_authorization": tally.cdn_authorized
        + stats.get("cdn_requests_with_authorization", 0),
        "renders_submitted": stats["renders_submitted"],
        "downloads": stats["downloads"],
        "faults_injected": stats["faults_injected"],
        "faults_by_kind": stats.get("faults_by_kind", {}),
        "error_codes": dict(tally.codes),
        "crashes": tally.crashes[:5],
        "ok_without_result_events": tally.unkept_events[:5],
        "hung_conversations": tally.hung[:20],
    }


def failures(figures: dict[str, Any]) -> list[str]:
    """The figures that must be zero and are not."""
    names = ("hung", "crashed", "ok_false_without_error", "ok_without_result", "messages_lost",
             "messages_sent_twice", "invalid_mp4s", "partial_files", "token_in_events",
             "token_in_debug_logs", "cdn_requests_with_authorization")  # fmt: skip
    return [f"{name}={figures[name]}" for name in names if figures[name]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--chaos", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hang-seconds", type=float, default=180.0,
                        help="a conversation running longer than this is hung")  # fmt: skip
    parser.add_argument("--render-deadline", type=float, default=120.0,
                        help="seconds before the runtime gives up on a render")  # fmt: skip
    parser.add_argument("--no-gui-export", action="store_true",
                        help="do not run the export a reply asks for (fewer renders)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if args.conversations < 1 or args.workers < 1 or not 0 <= args.chaos <= 1:
        parser.error("--conversations and --workers must be >= 1 and --chaos in 0..1")
    workdir = Path(tempfile.mkdtemp(prefix="skillrt-soak-"))
    options = Options(args.conversations, args.workers, args.chaos, args.seed,
                      args.hang_seconds, args.render_deadline, not args.no_gui_export,
                      workdir)  # fmt: skip
    try:
        figures = run(options)
    finally:
        if args.keep:
            print(f"work folder kept: {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    bad = failures(figures)
    if args.json:
        print(json.dumps({**figures, "failures": bad}, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
        print("result: " + ("FAIL " + ", ".join(bad) if bad else "PASS"))
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
