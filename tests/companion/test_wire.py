"""The companion's server as devices use it: pairing, joining, the views each role gets,
and every write applied once through the app's services (real server on loopback)."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import httpx
import pytest
from companion_helpers import RunningClass, device, joined, paired
from sqlmodel import select

from station_rotation.companion.access import SECRET_BYTES
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices
from station_rotation.store.models import Reflection, RotationEvent

STUDENT_FIELDS = {
    "role",
    "title",
    "first_name",
    "group",
    "clock",
    "now",
    "next",
    "checkin",
    "reflected",
    "name",
    "colour",
    "symbol",
    "instructions",
    "content_url",
    "target_id",
    "statement",
    "phase",
    "round",
    "rounds",
    "paused",
    "waiting",
    "remaining_ms",
    "segment_ms",
    "deadline_ms",
    "now_ms",
}


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def new() -> str:
    return str(uuid.uuid4())


def test_a_phone_pairs_by_the_qr_secret_or_the_short_code_once(
    companion: CompanionServer,
) -> None:
    access = companion.classroom.access
    assert len(access.pair_secret) >= SECRET_BYTES  # 256 bits, url-safe
    code = access.pair_code
    phone = device(companion)
    answer = phone.post("/api/pair", json={"code": code[:3] + " " + code[3:]})
    assert answer.status_code == 200 and answer.json() == {"role": "teacher"}
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert phone.get("/api/view").json()["role"] == "teacher"
    # One code pairs one phone: it is replaced at once.
    assert access.pair_code != code or access.pair_secret
    other = device(companion)
    assert other.post("/api/pair", json={"code": code}).status_code == 403
    assert other.get("/api/view").status_code == 401


def test_guessing_codes_is_limited_and_said_in_words(companion: CompanionServer) -> None:
    guesser = device(companion)
    answers = [guesser.post("/api/pair", json={"code": f"{n:06d}"}) for n in range(6)]
    assert [a.status_code for a in answers[:5]] == [403] * 5
    assert answers[5].status_code == 429
    assert int(answers[5].headers["retry-after"]) > 0
    assert "Too many wrong codes" in answers[5].json()["error"]
    # Even the right code waits now: the limit is checked before the code.
    right = companion.classroom.access.pair_code
    assert guesser.post("/api/pair", json={"code": right}).status_code == 429


def test_the_teacher_steers_the_clock_and_a_resent_command_counts_once(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    phone = paired(companion)
    pause = {"id": new(), "command": "pause"}
    first = phone.post("/api/command", json=pause)
    assert first.status_code == 200 and first.json()["view"]["clock"]["paused"] is True
    assert services.rotation.view(running.run.run_id).paused
    again = phone.post("/api/command", json=pause)  # the answer was lost: resent
    assert again.status_code == 200
    plus = {"id": new(), "command": "add_minute"}
    before = services.rotation.view(running.run.run_id).segment_seconds
    for _ in range(3):
        assert phone.post("/api/command", json=plus).status_code == 200
    assert services.rotation.view(running.run.run_id).segment_seconds == before + 60
    with services.store.read() as session:
        kinds = [e.kind for e in session.exec(select(RotationEvent)).all()]
    assert kinds == ["start", "pause", "add_time"]
    # A command that makes no sense now is refused in words, nothing written.
    refused = phone.post("/api/command", json={"id": new(), "command": "pause"})
    assert refused.status_code == 409 and refused.json()["error"]
    assert phone.post("/api/command", json={"id": new(), "command": "resume"}).status_code == 200
    assert not services.rotation.view(running.run.run_id).paused


def test_checks_from_the_pad_are_saved_once_and_undone(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    phone = paired(companion)
    pad = phone.get("/api/view").json()["pad"]
    assert pad["label"].startswith("At Teacher table")
    student, target = pad["students"][0]["id"], pad["targets"][0]["id"]
    tap = {"id": new(), "student_id": student, "target_id": target, "score": 3}
    for _ in range(3):  # a double tap and a resend after a drop
        answer = phone.post("/api/check", json=tap)
        assert answer.status_code == 200 and answer.json() == {"saved": True, "id": tap["id"]}
    current = services.quick_checks.current(running.class_id)
    assert current[(student, target)].score == 3
    assert len(services.quick_checks.history(running.class_id)) == 1
    view = phone.get("/api/view").json()["pad"]["students"][0]["levels"]
    assert view[target]["value"] == 3 and view[target]["check_id"] == tap["id"]

    retyped = {"id": new(), "student_id": student, "target_id": target, "score": 4}
    assert phone.post("/api/check", json=retyped).status_code == 200
    undo = {"id": new(), "check_id": retyped["id"]}
    assert phone.post("/api/undo", json=undo).status_code == 200
    assert phone.post("/api/undo", json=undo).status_code == 200  # resent: once
    assert services.quick_checks.current(running.class_id)[(student, target)].score == 3
    assert len(services.quick_checks.history(running.class_id)) == 3

    # The same id for another observation is refused; an off-scale level too.
    other = {**tap, "score": 1}
    assert phone.post("/api/check", json=other).status_code == 422
    off = {"id": new(), "student_id": student, "target_id": target, "score": 9}
    answer = phone.post("/api/check", json=off)
    assert answer.status_code == 422 and "scale" in answer.json()["error"]
    assert len(services.quick_checks.history(running.class_id)) == 3


def test_only_the_teacher_table_group_can_be_checked_from_the_pad(
    companion: CompanionServer, services: AppServices, running: RunningClass
) -> None:
    phone = paired(companion)
    pad = phone.get("/api/view").json()["pad"]
    at_table = {s["id"] for s in pad["students"]}
    elsewhere = next(
        e.student.id
        for e in services.roster.roster(running.class_id)
        if e.student.id not in at_table
    )
    tap = {"id": new(), "student_id": elsewhere, "target_id": pad["targets"][0]["id"], "score": 2}
    assert phone.post("/api/check", json=tap).status_code == 409
    assert services.quick_checks.history(running.class_id) == []


def test_a_student_joins_sees_only_her_own_and_reflects_once(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    pupil = device(companion)
    assert pupil.post("/api/join", json={"code": companion.classroom.access.join_code}).is_success
    groups = pupil.get("/api/join/groups").json()["groups"]
    assert keys_of(groups) == {"key", "name", "colour", "symbol"}
    students = pupil.get(f"/api/join/groups/{groups[1]['key']}").json()["students"]
    assert keys_of(students) == {"key", "first_name"}
    body = services.plans.get(running.plan_id).body
    assert len(students) == len(body.groups[1].student_ids)  # one group only
    picked = {"group": groups[1]["key"], "student": students[0]["key"]}
    assert pupil.post("/api/join/pick", json=picked).is_success

    view = pupil.get("/api/view").json()
    assert keys_of(view) <= STUDENT_FIELDS
    assert view["first_name"] == students[0]["first_name"]
    assert view["group"]["name"] == body.groups[1].name
    text = json.dumps(view)
    others = [
        e.student.family_name
        for e in services.roster.roster(running.class_id)
        if e.student.family_name
    ]
    assert not any(name in text for name in others)  # no family names at all
    assert "support" not in text and "iep" not in text.lower()

    # Students cannot check, steer the clock or reflect before a check-in.
    tap = {"id": new(), "student_id": body.groups[1].student_ids[0], "target_id": "x", "score": 1}
    assert pupil.post("/api/check", json=tap).status_code == 403
    assert pupil.post("/api/command", json={"id": new(), "command": "pause"}).status_code == 403
    reflection = {"id": new(), "confidence": 3, "words": "I can do ratios now"}
    assert pupil.post("/api/reflection", json=reflection).status_code == 409

    phone = paired(companion)
    assert phone.post("/api/checkin", json={"open": True}).is_success
    assert pupil.get("/api/view").json()["checkin"]["statement"]
    for _ in range(2):
        assert pupil.post("/api/reflection", json=reflection).json()["saved"] is True
    saved = services.quick_checks.reflections(running.class_id)
    assert len(saved) == 1 and saved[0].student_id == body.groups[1].student_ids[0]
    assert pupil.get("/api/view").json()["reflected"] is True

    # Naming another student is refused, not read; nothing is saved.
    forged = {**reflection, "id": new(), "student_id": body.groups[0].student_ids[0]}
    assert pupil.post("/api/reflection", json=forged).status_code == 422
    with services.store.read() as session:
        assert len(session.exec(select(Reflection)).all()) == 1


def test_a_personal_code_joins_as_that_student(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    access = companion.classroom.access
    body = services.plans.get(running.plan_id).body
    student = body.groups[2].student_ids[1]
    pupil = device(companion)
    assert pupil.post("/api/join", json={"secret": access.join_secret}).is_success
    wrong = pupil.post("/api/join/personal", json={"code": "ZZZZZZ"})
    assert wrong.status_code == 403
    code = access.personal_code(student)
    assert pupil.post("/api/join/personal", json={"code": code.lower()}).is_success
    view = pupil.get("/api/view").json()
    assert view["group"]["name"] == body.groups[2].name
    assert services.roster.get_student(student).given_name.startswith(view["first_name"][:1])


def test_removed_devices_and_an_ended_rotation_end_sessions(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    access = companion.classroom.access
    phone = paired(companion)
    pupil = joined(companion, 0, 0)
    other = joined(companion, 1, 0)
    assert {d.role.value for d in access.devices()} == {"teacher", "student"}
    removed = next(d for d in access.devices() if d.role.value == "student")
    access.remove_device(removed.key)
    assert sorted(c.get("/api/view").status_code for c in (pupil, other)) == [200, 401]

    from station_rotation.core.rotation.events import EventKind

    services.rotation.command(running.run.run_id, EventKind.END)
    assert pupil.get("/api/view").status_code == 401
    assert other.get("/api/view").status_code == 401
    assert phone.get("/api/view").status_code == 200  # the teacher stays paired
    late = device(companion).post("/api/join", json={"code": access.join_code or "ABCDEF"})
    assert late.status_code in (403, 409)
    access.end_all()
    assert phone.get("/api/view").status_code == 401


@pytest.mark.parametrize(
    ("headers", "content", "status"),
    [
        ({"Origin": "http://evil.example"}, b'{"code": "1"}', 403),
        ({"X-Companion": ""}, b'{"code": "1"}', 403),
        ({"Content-Type": "text/plain"}, b'{"code": "1"}', 400),
        ({}, b"{not json", 400),
        ({}, b'{"code": "1", "extra": 1}', 422),
        ({}, b'{"code": "' + b"9" * 5000 + b'"}', 413),
        ({}, b'{"code": "\xff\xfe"}', 400),
    ],
)
def test_foreign_malformed_and_oversized_requests_are_refused_in_words(
    companion: CompanionServer, headers: dict[str, str], content: bytes, status: int
) -> None:
    client = device(companion)
    sent = {"Content-Type": "application/json", **headers}
    answer = client.post("/api/pair", content=content, headers=sent)
    assert answer.status_code == status
    assert answer.json()["error"]
    assert "set-cookie" not in answer.headers


def test_a_stream_sends_the_view_at_once_and_after_every_change(
    companion: CompanionServer, running: RunningClass
) -> None:
    phone = paired(companion)
    with phone.stream("GET", "/api/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        views = []
        for line in lines:
            if line.startswith("data: {"):
                views.append(json.loads(line.removeprefix("data: ")))
                if len(views) == 1:
                    other = paired(companion)
                    other.post("/api/command", json={"id": new(), "command": "pause"})
                elif views[-1]["clock"]["paused"]:
                    break
    assert views[0]["clock"]["paused"] is False and views[-1]["clock"]["paused"] is True


def test_nothing_a_device_sends_reaches_a_log(
    companion: CompanionServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    access = companion.classroom.access
    phone = paired(companion)
    pupil = joined(companion)
    pupil.get("/api/view")
    phone.post("/api/command", json={"id": new(), "command": "pause"})
    # The laptop's side only: the test's own client (httpx) logs what it sends.
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    )
    assert any(r.name.startswith("httpx") for r in caplog.records)  # logging was on
    for secret in (access.join_code, access.join_secret, access.pair_code, "/api/"):
        assert secret not in logged
    cookie = phone.cookies.get("sr_session")
    assert cookie and cookie not in logged


def test_the_pages_are_served_plainly_and_nothing_else(companion: CompanionServer) -> None:
    client = httpx.Client(base_url=companion.url)
    home = client.get("/")
    assert home.status_code == 200 and "text/html" in home.headers["content-type"]
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    assert client.get("/teacher", follow_redirects=False).status_code == 303
    assert client.get("/static/../../pyproject.toml").status_code == 404
    assert client.get("/static/secret.txt").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_a_round_that_waits_for_the_teacher_is_started_from_her_phone(
    services: AppServices,
) -> None:
    from dataclasses import replace
    from datetime import date

    from station_rotation.companion.access import Access
    from station_rotation.companion.classroom import Classroom
    from station_rotation.services.classes.sample import create_sample_class
    from station_rotation.services.rotation import RotationService
    from tests.ui.rotation_helpers import FakeTime

    clock = FakeTime()
    services.rotation = RotationService(services.store, now=clock)
    section = create_sample_class(services, students=12)
    plan = services.plans.create(section.id, "Waits", date.today())
    spec, board = services.plans.run_for(plan.id)
    spec = replace(spec, auto_advance=False)
    run = services.rotation.start(section.id, spec, board=board)
    room = Classroom(services, Access(b"k" * 32))
    room.follow(section.id, run.run_id)
    server = CompanionServer(room, "127.0.0.1", port=0)
    server.start()
    try:
        phone = paired(server)
        clock.pass_seconds(spec.round_seconds[0] + spec.transition_seconds + 5)
        waiting = phone.get("/api/view").json()["clock"]
        assert waiting["waiting"] is True and waiting["round"] == 2
        assert waiting["deadline_ms"] is None  # nothing counts down while it waits
        minute = phone.post("/api/command", json={"id": new(), "command": "add_minute"})
        assert minute.status_code == 409 and minute.json()["error"]
        begun = phone.post("/api/command", json={"id": new(), "command": "begin"})
        state = begun.json()["view"]["clock"]
        assert state["waiting"] is False and state["phase"] == "round" and state["round"] == 2
        assert state["remaining_ms"] == round(spec.round_seconds[1] * 1000)
    finally:
        server.stop()
        room.close()


def test_changes_to_the_running_rotation_reach_the_pad_and_the_students(
    companion: CompanionServer, running: RunningClass, services: AppServices
) -> None:
    """A student moved to the teacher-table group mid-run is on the pad and her device
    follows; one pulled out is off the pad."""
    phone = paired(companion)
    pupil = joined(companion, 1, 0)  # in the second group, not at the teacher table
    pad = phone.get("/api/view").json()["pad"]
    at_table = [s["id"] for s in pad["students"]]
    body = services.plans.get(running.plan_id).body
    mover = body.groups[1].student_ids[0]
    table_group = body.groups[0].id
    assert mover not in at_table

    services.run_changes.move_student(running.run.run_id, mover, table_group)
    pad = phone.get("/api/view").json()["pad"]
    assert mover in [s["id"] for s in pad["students"]]
    view = pupil.get("/api/view").json()
    assert view["group"]["name"] == body.groups[0].name
    assert view["now"]["name"] == pad["label"].split(":")[0].removeprefix("At ")

    services.run_changes.mark_gone(running.run.run_id, at_table[0])
    pad = phone.get("/api/view").json()["pad"]
    assert at_table[0] not in [s["id"] for s in pad["students"]]

    services.run_changes.mark_gone(running.run.run_id, mover)  # sent home: her device too
    assert pupil.get("/api/view").status_code == 401
    assert phone.get("/api/view").status_code == 200
