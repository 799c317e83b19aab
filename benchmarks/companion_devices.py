"""The classroom's devices for ``bench_companion``: run in a process of their own.

35 students' devices join by the class code and a name and hold ``/api/events`` open;
the teacher's phone pairs, holds its stream and records a check every 2 s for a student
of ``view.pad``, opens a check-in that some students answer, and pauses and resumes the
clock once. Their CPU and GIL are this process's, not the app's.

The app side talks to it over pipes, one JSON line each way at a time:

- stdin, first line: ``{"url", "pair_secret", "join_code", "students", "busy_seconds",
  "check_every"}``; this process connects everyone and prints ``{"ready": ...}``;
- stdin ``go``: the busy phase runs for ``busy_seconds``, then it prints ``{"result": ...}``
  (latencies in ms) and leaves.

    python -m benchmarks.companion_devices < config.json   # (normally started by the bench)
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

STREAM_TIMEOUT = httpx.Timeout(10.0, read=None)  # a stream is quiet up to 15 s between pings


@dataclass
class Tally:
    """What the devices saw: every POST's latency, pushes and errors."""

    posts: list[tuple[str, float]] = field(default_factory=list)  # (path, s), busy phase
    checks: list[float] = field(default_factory=list)  # the teacher's /api/check alone
    push_after_answer: list[float] = field(default_factory=list)
    push_after_tap: list[float] = field(default_factory=list)
    views: int = 0  # view events received by every stream during the busy phase
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # check ticks with no pad (no group at the teacher's table)
    busy: bool = False


def device(url: str) -> httpx.AsyncClient:
    """A browser-like device: its own cookie jar and connections, the pages' headers."""
    return httpx.AsyncClient(
        base_url=url,
        headers={"X-Companion": "1", "Origin": url, "User-Agent": "CrOS bench"},
        timeout=10.0,
    )


class Stream:
    """One device's ``/api/events``: keeps the latest view, wakes whoever waits for one."""

    def __init__(self, client: httpx.AsyncClient, name: str, tally: Tally) -> None:
        self.client, self.name, self.tally = client, name, tally
        self.view: dict[str, Any] | None = None
        self.first = asyncio.Event()
        self.on_view: list[Any] = []
        self.closing = False
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        try:
            async with self.client.stream("GET", "/api/events", timeout=STREAM_TIMEOUT) as reply:
                if reply.status_code != 200:
                    self.tally.errors.append(f"{self.name} events {reply.status_code}")
                    return
                event = ""
                async for line in reply.aiter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        if event == "ended":
                            self.tally.errors.append(f"{self.name} stream ended")
                            return
                        if event == "view":
                            self._got(json.loads(line[6:]))
                        event = ""
        except (httpx.HTTPError, OSError) as error:
            if not self.closing:
                self.tally.errors.append(f"{self.name} stream {type(error).__name__}: {error}")
            return
        if not self.closing:
            self.tally.errors.append(f"{self.name} stream closed by the server")

    def _got(self, view: dict[str, Any]) -> None:
        self.view = view
        if self.tally.busy:
            self.tally.views += 1
        self.first.set()
        now = time.perf_counter()
        for callback in list(self.on_view):
            callback(view, now)

    async def close(self) -> None:
        self.closing = True
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.client.aclose()


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], tally: Tally
) -> tuple[float, dict[str, Any] | None]:
    """POST and time it; a refusal or a failure is an error."""
    started = time.perf_counter()
    try:
        reply = await client.post(path, json=body)
    except httpx.HTTPError as error:
        tally.errors.append(f"POST {path} {type(error).__name__}: {error}")
        return time.perf_counter() - started, None
    took = time.perf_counter() - started
    if tally.busy:
        tally.posts.append((path, took))
    if reply.status_code != 200:
        tally.errors.append(f"POST {path} {reply.status_code} {reply.text[:200]}")
        return took, None
    answer: dict[str, Any] = reply.json()
    return took, answer


async def join_all(url: str, code: str, count: int, tally: Tally) -> list[Stream]:
    """``count`` students join by the class code, each with a different name."""
    scout = device(url)
    await scout.post("/api/join", json={"code": code})
    groups = (await scout.get("/api/join/groups")).json()["groups"]
    seats = []
    for group in groups:
        students = (await scout.get(f"/api/join/groups/{group['key']}")).json()["students"]
        seats += [(group["key"], s["key"]) for s in students]
    await scout.post("/api/leave")
    await scout.aclose()
    if not seats:
        raise SystemExit("nobody to join as: the run has no groups")
    streams = []
    for index in range(count):
        group, student = seats[index % len(seats)]  # more devices than students: doubles
        pupil = device(url)
        joined = await pupil.post("/api/join", json={"code": code})
        picked = await pupil.post("/api/join/pick", json={"group": group, "student": student})
        if joined.status_code != 200 or picked.status_code != 200:
            raise SystemExit(f"student {index} could not join: {joined.text} {picked.text}")
        stream = Stream(pupil, f"student {index}", tally)
        stream.start()
        streams.append(stream)
    return streams


class Teacher:
    """The teacher's phone: a check every ``every`` s, watching its stream for each one."""

    def __init__(self, stream: Stream, tally: Tally) -> None:
        self.stream, self.tally = stream, tally
        self.pending: dict[str, tuple[float, float | None]] = {}  # check id: (tap, answer)
        self.seen_before_answer: dict[str, float] = {}
        self.count = 0
        stream.on_view.append(self._view)

    def _view(self, view: dict[str, Any], at: float) -> None:
        pad = view.get("pad") or {}
        shown = {
            level["check_id"]
            for student in pad.get("students", [])
            for level in student["levels"].values()
        }
        for check_id in [c for c in self.pending if c in shown]:
            tap, answered = self.pending.pop(check_id)
            self.tally.push_after_tap.append(at - tap)
            if answered is None:  # the view came before the answer: it waits for none
                self.seen_before_answer[check_id] = at
            else:
                self.tally.push_after_answer.append(max(0.0, at - answered))

    async def check(self) -> None:
        view = self.stream.view or {}
        pad = view.get("pad")
        if not pad or not pad["students"] or not pad["targets"]:
            self.tally.skipped += 1
            return
        student = pad["students"][self.count % len(pad["students"])]
        target = pad["targets"][(self.count // len(pad["students"])) % len(pad["targets"])]
        levels = target["levels"]
        score = levels[self.count % len(levels)]["value"]
        self.count += 1
        check_id = str(uuid.uuid4())
        tap = time.perf_counter()
        self.pending[check_id] = (tap, None)
        body = {"id": check_id, "student_id": student["id"], "target_id": target["id"]}
        took, answer = await post(
            self.stream.client, "/api/check", {**body, "score": score}, self.tally
        )
        self.tally.checks.append(took)
        if answer is None:
            self.pending.pop(check_id, None)
            return
        if check_id in self.seen_before_answer:
            self.seen_before_answer.pop(check_id)
            self.tally.push_after_answer.append(0.0)
        elif check_id in self.pending:
            self.pending[check_id] = (tap, tap + took)


async def busy(
    teacher: Teacher, students: list[Stream], seconds: float, every: float, tally: Tally
) -> None:
    """Checks every ``every`` s; a check-in a quarter in, answered by a third of the
    students over a few seconds and closed; a pause and a resume half-way."""
    client = teacher.stream.client
    started = time.perf_counter()
    plan: list[tuple[float, str]] = [
        (seconds * 0.25, "checkin"),
        (seconds * 0.5, "pause"),
        (seconds * 0.5 + 3.0, "resume"),
        (seconds * 0.75, "checkin_close"),
    ]
    side: list[asyncio.Task[Any]] = []

    async def reflect(stream: Stream, delay: float, index: int) -> None:
        await asyncio.sleep(delay)
        body = {"id": str(uuid.uuid4()), "confidence": index % 4 + 1, "words": "I can do it."}
        await post(stream.client, "/api/reflection", body, tally)

    async def command(name: str) -> None:
        if name == "checkin":
            await post(client, "/api/checkin", {"open": True}, tally)
            for index, stream in enumerate(students[::3]):
                side.append(asyncio.ensure_future(reflect(stream, 0.5 + 0.3 * index, index)))
        elif name == "checkin_close":
            await post(client, "/api/checkin", {"open": False}, tally)
        else:
            await post(client, "/api/command", {"id": str(uuid.uuid4()), "command": name}, tally)

    tick = 0
    while True:
        due = started + tick * every
        now = time.perf_counter()
        if due - started >= seconds:
            break
        while plan and started + plan[0][0] <= due:
            side.append(asyncio.ensure_future(command(plan.pop(0)[1])))
        if due > now:
            await asyncio.sleep(due - now)
        await teacher.check()
        tick += 1
    await asyncio.gather(*side)
    await asyncio.sleep(1.0)  # the last pushes
    for check_id in teacher.pending:
        if teacher.pending[check_id][1] is not None:
            tally.errors.append(f"check {check_id} never reached the teacher's stream")


async def run() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    config = json.loads(await reader.readline())
    tally = Tally()
    url = config["url"]
    phone = device(url)
    paired = await phone.post("/api/pair", json={"secret": config["pair_secret"]})
    if paired.status_code != 200:
        raise SystemExit(f"the teacher's phone could not pair: {paired.text}")
    teacher_stream = Stream(phone, "teacher", tally)
    teacher_stream.start()
    joined = time.perf_counter()
    students = await join_all(url, config["join_code"], config["students"], tally)
    everyone = [teacher_stream, *students]
    await asyncio.wait_for(asyncio.gather(*(s.first.wait() for s in everyone)), 30)
    connect_s = time.perf_counter() - joined
    cpu = time.process_time()
    print(json.dumps({"ready": {"streams": len(everyone), "connect_s": connect_s}}), flush=True)

    assert (await reader.readline()).strip() == b"go"
    idle_cpu = time.process_time() - cpu
    teacher = Teacher(teacher_stream, tally)
    tally.busy = True
    cpu = time.process_time()
    await busy(teacher, students, config["busy_seconds"], config["check_every"], tally)
    tally.busy = False
    busy_cpu = time.process_time() - cpu
    alive = sum(1 for s in everyone if s.task is not None and not s.task.done())
    if alive != len(everyone):
        tally.errors.append(f"only {alive} of {len(everyone)} streams still open")

    def scaled(values: list[float]) -> list[float]:
        return [v * 1000 for v in values]

    result = {
        "posts": [(path, took * 1000) for path, took in tally.posts],
        "checks": scaled(tally.checks),
        "push_after_answer": scaled(tally.push_after_answer),
        "push_after_tap": scaled(tally.push_after_tap),
        "views": tally.views,
        "skipped": tally.skipped,
        "errors": tally.errors,
        "devices_cpu_idle_s": idle_cpu,
        "devices_cpu_busy_s": busy_cpu,
    }
    print(json.dumps({"result": result}), flush=True)
    await asyncio.gather(*(s.close() for s in everyone))


if __name__ == "__main__":
    asyncio.run(run())
