"""The classroom companion during a rotation: 35 student devices and the teacher's phone.

The app side runs in this process as the app runs it: a QApplication (offscreen) on a
qasync loop, the real rotation page with today's plan of a 35-student sample class
started and the projector open (1920×1080), the change relay feeding the page, a 1 ms
GIL switch interval (``ui/app.py``), and the companion (``Access``, ``Classroom``,
``CompanionServer`` on its own thread, loopback). The devices run in a process of their
own (``benchmarks/companion_devices.py``, httpx), so their CPU and GIL are not the app's.

Phases, one after another in one run:

- **baseline**: app + projector, companion off: the tick and probe lateness floor and
  the app's CPU (``time.process_time()`` over wall time, % of one core);
- **idle**: 35 students' devices joined (class code → group → name) and the teacher's
  phone paired, all 36 holding ``/api/events`` open, nobody tapping: CPU minus the
  baseline's is what 36 idle connections cost;
- **busy**: the teacher records a check every 2 s for a student of ``view.pad`` (cycling
  students, targets and levels), opens a check-in a quarter in that a third of the
  students answer (``/api/reflection``), closes it, and pauses and resumes half-way:
  latency of every POST and of the checks alone, the delay from a check's answer to the
  teacher's stream showing it (push delay), tick and probe lateness.

Targets (TARGETS.md): request p99 < 100 ms on loopback; tick and probe lateness p99
still < 50 ms; 36 idle connections < 5 % of one core; 0 errors.

    python -m benchmarks companion
    BENCH_COMPANION_BASE=5 BENCH_COMPANION_IDLE=5 BENCH_COMPANION_BUSY=10 \\
        python -m benchmarks companion   # a quick run
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_projector_ticks import Probe, _pct
from station_rotation.companion.access import Access
from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.relay import ChangeRelay
from station_rotation.ui.rotation.rotation_page import RotationPage

BASE_SECONDS = float(os.environ.get("BENCH_COMPANION_BASE", "20"))
IDLE_SECONDS = float(os.environ.get("BENCH_COMPANION_IDLE", "30"))
BUSY_SECONDS = float(os.environ.get("BENCH_COMPANION_BUSY", "60"))
CHECK_EVERY = float(os.environ.get("BENCH_COMPANION_CHECK_EVERY", "2"))
STUDENTS = int(os.environ.get("BENCH_COMPANION_STUDENTS", "35"))
SWITCH_INTERVAL = float(os.environ.get("BENCH_SWITCH_INTERVAL", "0.001"))  # as ui/app.py


class Lines:
    """The devices' process's stdout, one JSON line at a time, on the qasync loop."""

    def __init__(self, process: subprocess.Popen[str], loop: asyncio.AbstractEventLoop) -> None:
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._process, self._loop = process, loop
        threading.Thread(target=self._read, name="devices-stdout", daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, line)
        self._loop.call_soon_threadsafe(self._queue.put_nowait, "")

    async def next(self, key: str) -> Any:
        line = await self._queue.get()
        if not line:
            raise RuntimeError(f"the devices' process ended before sending {key!r}")
        return json.loads(line)[key]

    def send(self, text: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(text + "\n")
        self._process.stdin.flush()


class Window:
    """Tick and probe lateness and the process's CPU over one phase."""

    def __init__(self, page: RotationPage) -> None:
        self._page = page
        page.ticker.lateness.clear()
        self._probe = Probe()
        self._probe.start()
        self._cpu = time.process_time()
        self._wall = time.monotonic()

    def close(self) -> dict[str, float]:
        cpu = time.process_time() - self._cpu
        wall = time.monotonic() - self._wall
        self._probe.stop()
        ticks = list(self._page.ticker.lateness)
        probes = self._probe.lateness
        return {
            "seconds": wall,
            "cpu_pct": 100 * cpu / wall,
            "ticks": len(ticks),
            "tick_p50": _pct(ticks, 0.5),
            "tick_p99": _pct(ticks, 0.99),
            "probes": len(probes),
            "probe_p50": _pct(probes, 0.5),
            "probe_p99": _pct(probes, 0.99),
        }


def measure() -> dict[str, Any]:
    import qasync

    from station_rotation.ui.app import make_application

    sys.setswitchinterval(SWITCH_INTERVAL)
    app = make_application([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        services = AppServices.open(Path(folder))
        section = create_sample_class(services, students=STUDENTS)
        for station in services.stations.list_for(section.id):  # room for 35 in 4 groups
            services.stations.update(station.id, capacity=max(station.capacity, 10))
        services.plans.create(section.id, "Benchmark", date.today())
        relay = ChangeRelay(services.bus)
        page = RotationPage(services)
        relay.changed.connect(page.on_changes)
        page.resize(1100, 640)
        page.show()
        page.set_class(section.id)
        page.open_projector()
        window = page.projector.window
        assert window is not None
        window.resize(1920, 1080)  # type: ignore[attr-defined]
        page.start_selected()
        assert page.run is not None
        loop.run_until_complete(asyncio.sleep(2.0))  # first layouts and paints

        phase = Window(page)
        loop.run_until_complete(asyncio.sleep(BASE_SECONDS))
        results["baseline"] = phase.close()

        classroom = Classroom(services, Access(secrets.token_bytes(32)))
        classroom.follow(section.id, page.run.run_id)
        server = CompanionServer(classroom, "127.0.0.1", port=0)
        server.start()
        devices = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.companion_devices"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        try:
            lines = Lines(devices, loop)
            lines.send(
                json.dumps(
                    {
                        "url": server.url,
                        "pair_secret": classroom.access.pair_secret,
                        "join_code": classroom.access.join_code,
                        "students": STUDENTS,
                        "busy_seconds": BUSY_SECONDS,
                        "check_every": CHECK_EVERY,
                    }
                )
            )
            results["ready"] = loop.run_until_complete(lines.next("ready"))
            results["sessions"] = len(classroom.access.devices())
            loop.run_until_complete(asyncio.sleep(1.0))  # the joins' last pushes

            phase = Window(page)
            loop.run_until_complete(asyncio.sleep(IDLE_SECONDS))
            results["idle"] = phase.close()

            phase = Window(page)
            lines.send("go")
            results["devices"] = loop.run_until_complete(lines.next("result"))
            results["busy"] = phase.close()
            devices.wait(30)
        finally:
            if devices.poll() is None:
                devices.kill()
                devices.wait()
            server.stop()
            classroom.close()
        results["run_paused"] = page.last_view.paused if page.last_view else None
        relay.detach()
        page.ticker.stop()
        page.projector.close()
        page.close()
        page.deleteLater()
        services.close()
    loop.close()
    return results


def _q(values: list[float], q: float) -> float:
    """The ``q`` quantile of values in ms (the nearest-rank one, as ``_pct``)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _verdict(ok: bool) -> str:
    return "**meets**" if ok else "**misses**"


def figures(r: dict[str, Any]) -> dict[str, float]:
    """The run's headline figures (what docs/benchmarks.md quotes over several runs)."""
    base, idle, busy, dev = r["baseline"], r["idle"], r["busy"], r["devices"]
    posts = [took for _, took in dev["posts"]]
    return {
        "post_p50": _q(posts, 0.5),
        "post_p99": _q(posts, 0.99),
        "check_p99": _q(dev["checks"], 0.99),
        "push_p99": _q(dev["push_after_answer"], 0.99),
        "tick_p99": busy["tick_p99"],
        "probe_p99": busy["probe_p99"],
        "base_tick_p99": base["tick_p99"],
        "base_probe_p99": base["probe_p99"],
        "idle_cost": idle["cpu_pct"] - base["cpu_pct"],
        "errors": len(dev["errors"]),
    }


def report(r: dict[str, Any]) -> str:
    base, idle, busy, dev = r["baseline"], r["idle"], r["busy"], r["devices"]
    f = figures(r)
    request_ok = f["post_p99"] < 100 and not dev["errors"]
    lateness_ok = f["tick_p99"] < 50 and f["probe_p99"] < 50
    rows = "\n".join(
        f"| {name} | {v['seconds']:.0f} | {v['cpu_pct']:.1f} | {v['ticks']:.0f} | "
        f"{v['tick_p50']:.1f} | {v['tick_p99']:.1f} | {v['probes']:.0f} | "
        f"{v['probe_p50']:.1f} | {v['probe_p99']:.1f} |"
        for name, v in (("baseline (companion off)", base), ("36 idle", idle), ("busy", busy))
    )
    kinds: dict[str, list[float]] = {"every POST": [took for _, took in dev["posts"]]}
    for path, took in dev["posts"]:
        kinds.setdefault(f"`{path}`", []).append(took)
    kinds["push: check answered → teacher's stream shows it"] = dev["push_after_answer"]
    kinds["tap → teacher's stream shows it"] = dev["push_after_tap"]
    requests = "\n".join(
        f"| {name} | {len(v)} | {_q(v, 0.5):.1f} | {_q(v, 0.99):.1f} | {max(v, default=0):.1f} |"
        for name, v in kinds.items()
    )
    errors = dev["errors"]
    error_text = "0" if not errors else f"{len(errors)}: " + "; ".join(errors[:5])
    return (
        "## Companion\n\n"
        f"{STUDENTS} student devices + 1 teacher phone on loopback, the devices in a process "
        f"of their own (httpx); app side: real panel + projector (1920×1080) on qasync, "
        f"companion server on its thread. Phases: baseline {BASE_SECONDS:.0f} s, idle "
        f"{IDLE_SECONDS:.0f} s, busy {BUSY_SECONDS:.0f} s (a check every {CHECK_EVERY:g} s, "
        "a check-in answered by a third of the students, a pause and a resume). "
        f"{r['ready']['streams']} streams connected in {r['ready']['connect_s']:.1f} s "
        f"({r['sessions']} sessions).\n\n"
        "| phase | s | app CPU % of a core | ticks | tick p50 ms | tick p99 ms | probes "
        "| probe p50 ms | probe p99 ms |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"{rows}\n\n"
        "| busy phase | n | p50 ms | p99 ms | max ms |\n"
        "|---|---|---|---|---|\n"
        f"{requests}\n\n"
        f"- Requests: p99 {f['post_p99']:.1f} ms (checks {f['check_p99']:.1f} ms), "
        f"errors {error_text}: {_verdict(request_ok)} the target (p99 < 100 ms, 0 errors).\n"
        f"- Projector while busy: tick p99 {f['tick_p99']:.1f} ms (baseline "
        f"{f['base_tick_p99']:.1f}), probe p99 {f['probe_p99']:.1f} ms (baseline "
        f"{f['base_probe_p99']:.1f}): {_verdict(lateness_ok)} the target (p99 < 50 ms).\n"
        f"- 36 idle connections: {idle['cpu_pct']:.1f} % − {base['cpu_pct']:.1f} % = "
        f"{f['idle_cost']:.1f} % of one core: {_verdict(f['idle_cost'] < 5)} the target "
        "(< 5 %).\n"
        f"- Views pushed to the devices while busy: {dev['views']}; check ticks with no pad: "
        f"{dev['skipped']}; devices' own CPU idle {dev['devices_cpu_idle_s']:.2f} s, busy "
        f"{dev['devices_cpu_busy_s']:.2f} s; run paused at the end: {r['run_paused']}."
    )


def main() -> str:
    return report(measure())
