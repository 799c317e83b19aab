"""Real district exports deviate from the OneRoster spec; the parser still reads them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from benchmarks.oneroster_gen import write_roster, zip_folder
from station_rotation.core.errors import ImportError_
from station_rotation.importing.oneroster import parse_oneroster
from station_rotation.importing.source import RosterSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "oneroster"


def test_quirky_1_2_export() -> None:
    """BOM, ';', 'Given Name'/'familyname'/'sourcedid' headers, ext_ columns and roles.csv."""
    roster = parse_oneroster(RosterSource.open(FIXTURES / "quirky-1.2"))
    assert set(roster.classes) == {"c0", "c1"}
    assert len(roster.students) == 6 and "t0" not in roster.students  # teachers by role
    assert roster.students["s2"].given_name == "Chloé"
    assert roster.students["s0"].family_name == "Adams" and roster.bulk
    assert roster.classes["c0"].school_year == "2026-27"  # from 08/20/2026


def test_windows_1252_export() -> None:
    """An export saved as Windows-1252 with ';' decodes its accents."""
    roster = parse_oneroster(RosterSource.open(FIXTURES / "windows-1252-1.1"))
    assert roster.students["s2"].given_name == "Chloé" and len(roster.students) == 4


def test_1_1_zip_matches_the_folder(tmp_path: Path) -> None:
    """A zip of the export reads the same as the folder."""
    folder = FIXTURES / "plain-1.1"
    from_zip = parse_oneroster(RosterSource.open(zip_folder(folder, tmp_path / "x.zip")))
    assert from_zip.students == parse_oneroster(RosterSource.open(folder)).students


def test_delta_manifest_archives_only_what_it_names(tmp_path: Path) -> None:
    """file.users=delta in the manifest: a partial file, not the whole district."""
    folder = write_roster(tmp_path / "d", students=3)
    manifest = (folder / "manifest.csv").read_text().replace("users,bulk", "users,delta")
    (folder / "manifest.csv").write_text(manifest)
    assert not parse_oneroster(RosterSource.open(folder)).bulk


def test_missing_required_column_names_it(tmp_path: Path) -> None:
    """A users.csv without givenName is refused, naming the file and the column."""
    folder = write_roster(tmp_path / "m", students=2)
    text = (folder / "users.csv").read_text().replace("givenName", "nickname")
    (folder / "users.csv").write_text(text)
    with pytest.raises(ImportError_, match=r"users.csv, line 1: the required column 'givenName'"):
        parse_oneroster(RosterSource.open(folder))


def test_unknown_user_in_enrollments(tmp_path: Path) -> None:
    """An enrollment of a student who is not in users.csv names the line and column."""
    folder = write_roster(tmp_path / "u", students=2)
    with (folder / "enrollments.csv").open("a") as f:
        f.write("e9,active,c0,org1,ghost,student,false\r\n")
    with pytest.raises(ImportError_, match=r"line 5, column 'userSourcedId'.*'ghost'"):
        parse_oneroster(RosterSource.open(folder))


def test_zip_with_path_traversal_is_refused(tmp_path: Path) -> None:
    """A zip whose member climbs out of the folder is never opened."""
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../../users.csv", "sourcedId\n")
    with pytest.raises(ImportError_, match="unsafe path"):
        RosterSource.open(target)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    """50 MB of zeros in a few KB: refused by its compression ratio, not unpacked."""
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.csv", b"0" * 50_000_000)
    assert target.stat().st_size < 200_000
    with pytest.raises(ImportError_, match="not a real roster"):
        RosterSource.open(target)


def test_huge_file_is_refused_by_size(tmp_path: Path) -> None:
    """A 1 GB file is refused from its size alone (sparse file: nothing is read)."""
    target = tmp_path / "huge.csv"
    with target.open("wb") as f:
        f.truncate(1024**3)
    with pytest.raises(ImportError_, match="more than the 200 MB"):
        RosterSource.open(target)


def test_export_without_any_role_is_refused(tmp_path: Path) -> None:
    """With no role anywhere, students cannot be told from teachers: refused, not guessed
    (OneRoster 1.1 requires the role column in both files, so the refusal names it)."""
    folder = write_roster(tmp_path / "r", students=2)
    for name in ("users.csv", "enrollments.csv"):
        lines = (folder / name).read_text().splitlines()
        (folder / name).write_text(
            "\n".join(line.rsplit(",", 1 if name == "users.csv" else 2)[0] for line in lines)
        )
    with pytest.raises(ImportError_, match="the required column 'role' is missing"):
        parse_oneroster(RosterSource.open(folder))
