"""A teacher's own spreadsheet: columns found by their names, or chosen by hand."""

from __future__ import annotations

import pytest

from station_rotation.core.errors import ImportError_
from station_rotation.importing.plain_csv import auto_mapping, parse_plain_csv, with_overrides
from station_rotation.importing.table import read_table


def test_usual_headers_are_recognised() -> None:
    """First Name, Surname, Nickname, Student ID, E-mail and Section map without help."""
    headers = ["Student ID", "First Name", "Surname", "Nickname", "E-mail", "Section"]
    mapping = auto_mapping(headers).columns
    assert mapping["given_name"] == "First Name" and mapping["family_name"] == "Surname"
    assert mapping["preferred_name"] == "Nickname" and mapping["identifier"] == "Student ID"
    assert mapping["email"] == "E-mail" and mapping["class_name"] == "Section"


def test_classes_from_a_section_column() -> None:
    """A Section column splits the students into classes by name."""
    table = read_table(b"First,Last,Section\nAna,Lopez,P1\nBo,Ng,P2\nCy,Oz,P1\n", "x.csv")
    roster = parse_plain_csv(table, auto_mapping(table.headers))
    assert sorted(c.name for c in roster.classes.values()) == ["P1", "P2"]
    assert len(roster.enrollments) == 3


def test_override_and_missing_given_name() -> None:
    """With no recognisable given-name column the teacher is told to map one."""
    table = read_table(b"Pupil,Last\nAna,Lopez\n", "x.csv")
    with pytest.raises(ImportError_, match=r"given name.*--map given_name=HEADER"):
        parse_plain_csv(table, auto_mapping(table.headers))
    mapping = with_overrides(auto_mapping(table.headers), {"given_name": "pupil"}, table.headers)
    assert parse_plain_csv(table, mapping).students["name:ana|lopez"].given_name == "Ana"


def test_windows_1252_and_semicolons() -> None:
    """Excel's 'CSV' on a European Windows: cp1252 with ';'."""
    table = read_table("Prénom;Nom\nZoë;Müller\n".encode("cp1252"), "x.csv")
    assert table.headers == ["Prénom", "Nom"] and table.rows[0].values["prnom"] == "Zoë"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'a,b\n1,"2\n', "line 2.*quote"),
        (b"a,b\n1,2,3\n", "line 2: 3 values but only 2 columns"),
        (b"\x00\x01\x02binary", "not a text"),
    ],
)
def test_broken_files_are_explained(data: bytes, message: str) -> None:
    """Empty, unbalanced quotes, ragged rows and binary files each get their own message."""
    with pytest.raises(ImportError_, match=message):
        read_table(data, "x.csv")
