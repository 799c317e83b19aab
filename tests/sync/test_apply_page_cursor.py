"""``apply_page(not_behind=...)``: a page older than the stored cursor is refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_rotation.core.hlc import HlcStamp
from station_rotation.core.ids import new_id
from station_rotation.store.database import Store
from station_rotation.sync import remote_apply


def test_a_page_behind_the_stored_cursor_applies_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        remote_apply.write_state(store, remote_apply.CURSOR, "40")
        class_id = new_id()
        page = [
            remote_apply.RemoteRecord(
                "class_section",
                class_id,
                HlcStamp(10**12, 0, "district").encode(),
                {"id": class_id, "name": "7B", "school_year": "2026"},
            )
        ]
        with pytest.raises(remote_apply.CursorAhead) as refused:
            remote_apply.apply_page(store, page, 30, not_behind=30)
        assert (refused.value.stored, refused.value.page_end) == (40, 30)
        assert remote_apply.cursor(store) == 40
        assert remote_apply.local_records(store, "class_section") == []
        assert remote_apply.apply_page(store, page, 45, not_behind=45) == 1
        assert remote_apply.cursor(store) == 45
