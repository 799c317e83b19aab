"""The companion's pages in a real browser (headless Chromium through Playwright) against
the app's real companion server on loopback: the teacher's phone, students' phones and
Chromebooks, what each page shows, and what reached the data file.

One browser for the session, a new context (cookies, viewport) per device. Without
Chromium or Playwright these tests skip here, and fail on CI (which installs both).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
from companion_helpers import RunningClass, shots_dir
from docs_images import docs_image

from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices
from station_rotation.services.checks.quick_checks import is_withdrawn

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}
CHROMEBOOK: dict[str, Any] = {
    "viewport": {"width": 1366, "height": 768},
    "user_agent": (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36"
    ),
}
WAIT_MS = 10_000
SAVED = "Saved"
RETRYING = "Not saved \u2014 trying again"  # common.js TEXT.retrying


def unavailable(reason: str) -> NoReturn:
    """Skip here; on CI (which installs both) a missing browser is a broken install."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's chromium, or the browser ``STATION_ROTATION_CHROMIUM`` names."""
    named = os.environ.get("STATION_ROTATION_CHROMIUM")
    for candidate in [named] if named else ["/usr/bin/chromium", "chromium", "chromium-browser"]:
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # This module's only: Playwright's sync API keeps an asyncio loop running on the main
    # thread while it is open, and later tests call asyncio.run() there.
    try:
        from playwright.sync_api import Error, expect, sync_playwright
    except ImportError as exc:
        unavailable(f"playwright is not installed ({exc})")
    executable = chromium_path()
    if executable is None:
        unavailable(
            "chromium is not installed (apt install chromium, or set STATION_ROTATION_CHROMIUM)"
        )
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"chromium did not start ({exc.message.splitlines()[0]})")
        yield launched
        launched.close()


@dataclass
class Devices:
    """Opens pages on new devices (contexts) against the companion; closes them after."""

    browser: Browser
    url: str
    contexts: list[BrowserContext] = field(default_factory=list)

    def open(self, kind: str = "phone") -> Page:
        context = self.browser.new_context(
            **(PHONE if kind == "phone" else CHROMEBOOK),
            reduced_motion="reduce",  # screenshots without a button mid-transition
        )
        context.set_default_timeout(WAIT_MS)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def devices(browser: Browser, companion: CompanionServer) -> Iterator[Devices]:
    opened = Devices(browser, companion.url)
    yield opened
    opened.close()


# --- what a person does on the pages ----------------------------------------------------


def press(page: Page, selector: str, index: int = 0) -> None:
    """A tap on a touch device, a click on a Chromebook."""
    target = page.locator(selector).nth(index)
    if page.viewport_size == PHONE["viewport"]:
        target.tap()
    else:
        target.click()


def pair_by_qr(page: Page, url: str, secret: str) -> None:
    """The teacher scans the laptop's QR code: ``{url}/#pair={secret}``."""
    from playwright.sync_api import expect

    page.goto(f"{url}/#pair={secret}")
    page.wait_for_url(f"{url}/teacher")
    expect(page.locator("#title")).to_have_text("Ratios day")
    expect(page.locator("#connection")).to_have_text("Connected")


def type_code(page: Page, url: str, code: str) -> None:
    page.goto(f"{url}/")
    page.locator("#code").fill(code)
    press(page, "#submit")


def pick_name(page: Page, group_index: int, student_index: int) -> None:
    """On the student page: her group, then her first name."""
    from playwright.sync_api import expect

    expect(page.locator("#pick-group")).to_be_visible()
    press(page, "#group-list button", group_index)
    expect(page.locator("#pick-name")).to_be_visible()
    press(page, "#name-list button", student_index)
    expect(page.locator("#live-view")).to_be_visible()


def shown_seconds(page: Page) -> int:
    from playwright.sync_api import expect

    time = page.locator("#clock .clock-time")
    expect(time).to_have_text(re.compile(r"^\d+:\d\d$"))
    minutes, seconds = time.inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def post_from(page: Page, path: str, body: dict[str, Any]) -> int:
    """A request made by the page's own script, with the headers the pages send."""
    status = page.evaluate(
        """async ([path, body]) => {
            const answer = await fetch(path, {
                method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-Companion': '1'},
                body: JSON.stringify(body)});
            return answer.status;
        }""",
        [path, body],
    )
    assert isinstance(status, int)
    return status


def words_in(text: str, names: set[str]) -> set[str]:
    return {name for name in names if re.search(rf"\b{re.escape(name)}\b", text)}


@dataclass
class Roster:
    """The run's groups as the plan holds them: (student id, first name, family name)."""

    groups: list[list[tuple[str, str, str]]]

    @classmethod
    def of(cls, services: AppServices, running: RunningClass) -> Roster:
        people = {e.student.id: e.student for e in services.roster.roster(running.class_id)}
        body = services.plans.get(running.plan_id).body
        return cls(
            [
                [
                    (
                        sid,
                        people[sid].preferred_name or people[sid].given_name,
                        people[sid].family_name,
                    )
                    for sid in group.student_ids
                ]
                for group in body.groups
            ]
        )

    def others_first_names(self, group_index: int) -> set[str]:
        """First names of other groups that nobody in this group has."""
        own = {first for _, first, _ in self.groups[group_index]}
        return {
            first
            for index, group in enumerate(self.groups)
            if index != group_index
            for _, first, _ in group
        } - own

    def family_names(self) -> set[str]:
        return {family for group in self.groups for _, _, family in group if family}


def assert_nothing_of_others(page: Page, roster: Roster, group_index: int) -> None:
    text, html = page.inner_text("body"), page.content()
    for shown in (text, html):
        assert not words_in(shown, roster.others_first_names(group_index))
        assert not words_in(shown, roster.family_names())


# --- the stories --------------------------------------------------------------------------


def test_the_teacher_pairs_by_the_qr_and_pauses_and_resumes_the_clock(
    devices: Devices,
    companion: CompanionServer,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    phone = devices.open("phone")
    pair_by_qr(phone, devices.url, companion.classroom.access.pair_secret)
    assert phone.url == f"{devices.url}/teacher"  # the secret left the address bar
    remaining = services.rotation.view(running.run.run_id).remaining
    assert abs(shown_seconds(phone) - remaining) <= 2
    expect(phone.locator("#clock .clock-phase")).to_have_text("Round 1 of 4")

    press(phone, "#btn-pause")
    expect(phone.locator("#clock .clock-state")).to_have_text("Paused")
    expect(phone.locator("#btn-pause .btn-label")).to_have_text("Resume")
    assert services.rotation.view(running.run.run_id).paused is True
    held = phone.locator("#clock .clock-time").inner_text()
    phone.wait_for_timeout(1200)  # the one wait on purpose: a paused clock stands still
    assert phone.locator("#clock .clock-time").inner_text() == held

    press(phone, "#btn-pause")
    expect(phone.locator("#btn-pause .btn-label")).to_have_text("Pause")
    expect(phone.locator("#clock .clock-state")).to_have_text("")
    assert services.rotation.view(running.run.run_id).paused is False


def test_quick_checks_are_saved_only_once_the_laptop_answered_and_undone(
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    phone = devices.open("phone")
    pair_by_qr(phone, devices.url, classroom.access.pair_secret)
    pad = classroom.teacher_view().pad
    assert pad is not None
    expect(phone.locator("#pad-heading")).to_have_text(pad.label)
    rows = phone.locator(".pad-row")
    expect(rows).to_have_count(len(pad.students))

    held: list[Route] = []
    holding = True

    def hold(route: Route) -> None:
        if holding:
            held.append(route)
        else:
            route.continue_()

    phone.route("**/api/check", hold)
    for row, level in enumerate((2, 3, 4)):
        press(phone, f".pad-row >> nth={row} >> .level-btn[data-value='{level}']")
    for row in range(3):
        status = rows.nth(row).locator(".status")
        expect(status).to_have_text("Saving\u2026")
        expect(rows.nth(row).locator(".level-btn[aria-pressed='true']")).to_have_count(1)
    assert services.quick_checks.history(running.class_id) == []  # nothing answered yet
    # The pages send one request at a time, in tap order: only the first is on the wire.
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(50)
    assert len(held) == 1
    holding = False
    held.pop().continue_()
    for row in range(3):
        expect(rows.nth(row).locator(".status")).to_have_text(SAVED)
    phone.unroute("**/api/check")

    checks = services.quick_checks.history(running.class_id)
    tapped = [s.id for s in pad.students[:3]]
    target = pad.targets[0].id
    assert sorted(c.student_id for c in checks) == sorted(tapped)
    assert {(c.student_id, c.score) for c in checks} == set(zip(tapped, (2, 3, 4), strict=True))
    assert {c.run_id for c in checks} == {running.run.run_id}
    assert {c.station_id for c in checks} == {pad.station_id}
    assert {c.target_id for c in checks} == {target}

    press(phone, ".pad-row >> nth=2 >> .pad-row-tools button:text-is('Undo')")
    expect(rows.nth(2).locator(".status")).to_have_text("Undone")
    expect(rows.nth(2).locator(".level-btn[aria-pressed='true']")).to_have_count(0)
    current = services.quick_checks.current(running.class_id)
    last = current.get((tapped[2], target))
    assert last is None or is_withdrawn(last)
    assert current[(tapped[0], target)].score == 2 and current[(tapped[1], target)].score == 3

    # Another phone pairs by the short code typed on the code screen.
    second = devices.open("phone")
    code = classroom.access.pair_code
    type_code(second, devices.url, code[:3] + " " + code[3:])
    second.wait_for_url(f"{devices.url}/teacher")
    expect(second.locator("#title")).to_have_text("Ratios day")
    expect(
        second.locator(".pad-row").nth(0).locator(".level-btn[aria-pressed='true']")
    ).to_have_text(re.compile("^2"))


def test_students_join_see_their_own_station_and_reflect_when_the_teacher_asks(
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    access = classroom.access
    roster = Roster.of(services, running)
    moves = {g.name: g for g in classroom.teacher_view().groups}
    group_names = [g.name for g in services.plans.get(running.plan_id).body.groups]
    # (device, how she joins, group, her place in the group)
    joins = [("chromebook", "code", 0, 1), ("phone", "link", 1, 0), ("phone", "code", 2, 3)]
    pages: list[tuple[Page, int, str]] = []
    for kind, how, group_index, student_index in joins:
        page = devices.open(kind)
        if how == "code":
            type_code(page, devices.url, access.join_code.lower())
        else:
            page.goto(f"{devices.url}/#join={access.join_secret}")
        page.wait_for_url(f"{devices.url}/student")
        expect(page.locator("#group-list button")).to_have_count(len(roster.groups))
        press(page, "#group-list button", group_index)
        expect(page.locator("#name-list button")).to_have_count(len(roster.groups[group_index]))
        assert_nothing_of_others(page, roster, group_index)
        press(page, "#name-list button", student_index)
        expect(page.locator("#live-view")).to_be_visible()
        student_id, first, _ = roster.groups[group_index][student_index]
        expect(page.locator("#hello")).to_have_text(f"Hi {first}")
        group = group_names[group_index]
        expect(page.locator("#group")).to_have_text(group)
        expect(page.locator("#now-heading")).to_have_text(moves[group].now or "")
        expect(page.locator("#next-heading")).to_have_text(moves[group].next or "")
        remaining = services.rotation.view(running.run.run_id).remaining
        assert abs(shown_seconds(page) - remaining) <= 2
        pages.append((page, group_index, student_id))

    teacher = devices.open("phone")
    pair_by_qr(teacher, devices.url, access.pair_secret)
    expect(teacher.locator("#devices")).to_have_text("3 students \u00b7 1 teacher phone connected")
    press(teacher, "#btn-checkin")
    expect(teacher.locator("#btn-checkin .btn-label")).to_have_text("Close check-in")
    statement = services.targets.list_for(running.class_id)[0].statement

    for confidence, (page, _, _) in enumerate(pages, start=2):
        expect(page.locator("#checkin")).to_be_visible()
        expect(page.locator("#checkin-statement")).to_have_text(statement)
        press(page, f"label[for='confidence-{confidence}']")
        page.locator("#words").fill(f"I can explain it, {confidence} of 4")
        press(page, "#checkin-save")
    for page, group_index, _ in pages:
        expect(page.locator("#checkin-status")).to_have_text(SAVED)
        expect(page.locator("#checkin-thanks")).to_have_text("Saved \u2014 thank you")
        expect(page.locator("#checkin-form")).to_be_hidden()
        assert_nothing_of_others(page, roster, group_index)

    saved = services.quick_checks.reflections(running.class_id)
    by_student = {r.student_id: r for r in saved}
    assert len(saved) == 3 and set(by_student) == {sid for _, _, sid in pages}
    for confidence, (_, _, student_id) in enumerate(pages, start=2):
        assert by_student[student_id].confidence == confidence
        assert by_student[student_id].words == f"I can explain it, {confidence} of 4"


def test_a_student_page_cannot_speak_for_another_student_or_check(
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    roster = Roster.of(services, running)
    page = devices.open("chromebook")
    page.goto(f"{devices.url}/#join={classroom.access.join_secret}")
    page.wait_for_url(f"{devices.url}/student")
    pick_name(page, 0, 0)
    teacher = devices.open("phone")
    pair_by_qr(teacher, devices.url, classroom.access.pair_secret)
    press(teacher, "#btn-checkin")
    expect(page.locator("#checkin")).to_be_visible()

    other = roster.groups[1][0][0]
    forged = {"id": "7d8b3a52-8b9e-4a5e-9a51-3b6f0d8f1c11", "confidence": 4, "words": "x"}
    status = post_from(page, "/api/reflection", {**forged, "student_id": other})
    assert 400 <= status < 500
    pad = classroom.teacher_view().pad
    assert pad is not None
    tap = {
        "id": "0f3c2c1e-6d43-4d5b-8d8e-3a1f2b7c9e10",
        "student_id": pad.students[0].id,
        "target_id": pad.targets[0].id,
        "score": 1,
    }
    assert post_from(page, "/api/check", tap) == 403
    assert post_from(page, "/api/command", {"id": tap["id"], "command": "pause"}) == 403
    assert services.quick_checks.reflections(running.class_id) == []
    assert services.quick_checks.history(running.class_id) == []
    assert services.rotation.view(running.run.run_id).paused is False
    expect(page.locator("#checkin-form")).to_be_visible()  # her own form is still there


def test_a_removed_device_goes_back_to_the_code_screen(
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    roster = Roster.of(services, running)
    kept, removed = devices.open("phone"), devices.open("chromebook")
    for page, group in ((kept, 0), (removed, 1)):
        type_code(page, devices.url, classroom.access.join_code)
        page.wait_for_url(f"{devices.url}/student")
        pick_name(page, group, 0)
    expect(removed.locator("#connection")).to_have_text("Connected")
    student_id = roster.groups[1][0][0]
    session = next(d for d in classroom.access.devices() if d.student_id == student_id)
    classroom.access.remove_device(session.key)

    removed.wait_for_url(f"{devices.url}/", timeout=5000)
    expect(removed.locator("#notice")).to_have_text(
        "The session has ended. Type a code to join again."
    )
    expect(removed.locator("#code")).to_be_visible()
    expect(kept.locator("#live-view")).to_be_visible()
    assert kept.url == f"{devices.url}/student"


def test_a_tap_made_while_the_laptop_is_gone_is_resent_and_saved_once(
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
) -> None:
    from playwright.sync_api import expect

    phone = devices.open("phone")
    pair_by_qr(phone, devices.url, classroom.access.pair_secret)
    pad = classroom.teacher_view().pad
    assert pad is not None
    row = phone.locator(".pad-row").nth(1)
    expect(row).to_be_visible()
    port = companion.port

    companion.stop()  # the laptop closed its lid, or the Wi-Fi dropped
    expect(phone.locator("#connection")).to_have_text("Reconnecting\u2026")
    press(phone, ".pad-row >> nth=1 >> .level-btn[data-value='3']")
    expect(row.locator(".status")).to_have_text(RETRYING)
    expect(phone.locator("#pending")).to_have_text("1 change not saved yet \u2014 trying again")
    assert services.quick_checks.history(running.class_id) == []

    again = CompanionServer(classroom, "127.0.0.1", port=port)
    again.start()
    try:
        expect(row.locator(".status")).to_have_text(SAVED, timeout=20_000)
        expect(phone.locator("#pending")).to_be_hidden()
        expect(phone.locator("#connection")).to_have_text("Connected")
        checks = services.quick_checks.history(running.class_id)
        assert [(c.student_id, c.score, c.run_id) for c in checks] == [
            (pad.students[1].id, 3, running.run.run_id)
        ]
        expect(row.locator(".level-btn[aria-pressed='true']")).to_have_attribute("data-value", "3")
    finally:
        again.stop()


@pytest.mark.parametrize("kind", ["phone", "chromebook"])
def test_screenshots_of_every_page(
    kind: str,
    devices: Devices,
    companion: CompanionServer,
    classroom: Classroom,
    services: AppServices,
    running: RunningClass,
    artifacts_dir: Path,
) -> None:
    """Pictures of each screen at a phone's and a Chromebook's size, to look at."""
    from playwright.sync_api import expect

    out = shots_dir(artifacts_dir)

    def shot(page: Page, name: str) -> None:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=out / f"{name}-{kind}.png", full_page=True)

    code = devices.open(kind)
    code.goto(f"{devices.url}/")
    expect(code.locator("#code")).to_be_visible()
    shot(code, "code-screen")
    code.locator("#code").fill("ZZZ 999")
    press(code, "#submit")
    expect(code.locator("#error")).to_contain_text("That class code is not right")
    shot(code, "code-error")

    teacher = devices.open(kind)
    pair_by_qr(teacher, devices.url, classroom.access.pair_secret)
    expect(teacher.locator(".pad-row").first).to_be_visible()
    expect(teacher.locator(".level-label").first).to_have_text("Beginning")
    press(teacher, ".pad-row >> nth=0 >> .level-btn[data-value='3']")
    expect(teacher.locator(".pad-row").first.locator(".status")).to_have_text(SAVED)

    student = devices.open(kind)
    student.goto(f"{devices.url}/#join={classroom.access.join_secret}")
    expect(student.locator("#group-list button").first).to_be_visible()
    shot(student, "student-groups")
    press(student, "#group-list button", 1)
    expect(student.locator("#name-list button").first).to_be_visible()
    shot(student, "student-names")
    press(student, "#name-list button", 2)
    expect(student.locator("#now-heading")).not_to_be_empty()
    shown_seconds(student)
    shot(student, "student-live")
    shot(teacher, "teacher-remote")
    if kind == "phone":  # what a phone shows first: the remote, then the student's page
        teacher.evaluate("window.scrollTo(0, 0)")
        teacher.screenshot(path=docs_image("companion-phone.png"))
        student.screenshot(path=docs_image("companion-student.png"))

    press(teacher, "#btn-checkin")
    expect(student.locator("#checkin")).to_be_visible()
    press(student, "label[for='confidence-3']")
    student.locator("#words").fill("I can find a unit rate with a table.")
    shot(student, "student-checkin")
    press(student, "#checkin-save")
    expect(student.locator("#checkin-thanks")).to_be_visible()
    shot(student, "student-saved")

    press(teacher, "#btn-pause")
    expect(teacher.locator("#clock .clock-state")).to_have_text("Paused")
    shot(teacher, "teacher-paused")
    # Next through every round to the end: no group at the teacher table any more.
    for _ in range(8):
        if teacher.locator("#pad-empty").is_visible():
            break
        press(teacher, "#btn-next")
        expect(teacher.locator("#btn-next")).not_to_have_attribute("data-state", "saving")
    expect(teacher.locator("#pad-empty")).to_be_visible()
    # The run is over: the remote says so rather than showing its last time.
    expect(teacher.locator("#clock .clock-phase")).to_have_text("No rotation is running")
    expect(teacher.locator("#clock .clock-time")).to_have_text("\u2013:\u2013\u2013")
    for control in ("#btn-next", "#btn-back", "#btn-pause", "#btn-checkin"):
        expect(teacher.locator(control)).to_be_disabled()
    shot(teacher, "teacher-no-pad")
