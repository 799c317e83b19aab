"""Connecting a laptop whose roster was imported before roster ids: the window follows
its class to the district's id and shows one roster, after the first sync (issue 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from station_rotation.core.ids import roster_id
from station_rotation.server import admin
from station_rotation.server.roster import load_roster
from station_rotation.services.app import AppServices
from station_rotation.ui.sync.sync_panel import SyncPage
from tests.live_server import LiveServer
from tests.sync.roster_stories import check_everyone, district_roster, import_with_random_ids

WAIT_MS = 20_000


def test_connecting_an_old_import_shows_one_class_under_the_districts_id(
    qtbot: Any,
    async_loop: Any,
    main_window: Any,
    services: AppServices,
    district: LiveServer,
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    """Her class, imported last term, is open in the window; she connects on the Sync page:
    the class picker still shows one class, now under the district's id, with her students."""
    services.sync.attempts, services.sync.max_wait = 2, 0.05
    folder = district_roster(tmp_path)
    import_with_random_ids(services, folder)
    check_everyone(services)
    [old] = services.classes.list_classes()
    main_window.select_class(old.id)
    rivera = admin.create_teacher(district.engine, "Ana Rivera", "rivera@lincoln.example")
    load_roster(district.engine, folder)

    page = main_window.show_page("Sync")
    assert isinstance(page, SyncPage)
    qtbot.keyClicks(page.address_edit, district.url)
    qtbot.keyClicks(page.code_edit, admin.issue_code(district.engine, rivera))
    qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.state_label.text() == "Up to date.", timeout=WAIT_MS)

    assert main_window.class_picker.count() == 1
    assert services.sync.status().attention.count == 0  # nothing refused, no conflict
    assert main_window.current_class_id == roster_id("class", "c0")
    roster = main_window.show_page("Roster")
    names = sorted(
        e.student.source_id or "" for e in services.roster.roster(roster_id("class", "c0"))
    )
    assert names == ["s0", "s2", "s4"]
    main_window.grab().save(str(artifacts_dir / "sync-roster-ids.png"))
    assert roster is not None
