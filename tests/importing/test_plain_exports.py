"""The pieces that read other systems' exports: encodings, whole names, headers, layouts."""

from __future__ import annotations

import pytest

from station_rotation.importing.headers import field_of
from station_rotation.importing.layouts import recognise
from station_rotation.importing.names import split_name
from station_rotation.importing.table import decode, sniff_delimiter


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("First,Last\nAna,Jalapeño-Pérez\n", "cp1252"),
        ("First,Last\nAna,Jalapeño-Pérez\n", "latin-1"),
        ("Vorname;Nachname\nJürgen;Größ\n", "cp1252"),
        ("Imię,Nazwisko\nŁukasz,Żółć\n", "cp1250"),
        ("Name\nИван Петров\nМария Иванова\n", "cp1251"),
        ("First\tLast\nAna\tJalapeño-Pérez\n", "utf-16"),
        ("First,Last\nAna,Jalapeño-Pérez\n", "utf-8-sig"),
    ],
)
def test_a_short_file_keeps_its_accents(text: str, encoding: str) -> None:
    """Jalapeño stays Jalapeño in cp1252 (never Jalapeńo); Polish and Russian stay theirs."""
    assert decode(text.encode(encoding), "x.csv") == text


@pytest.mark.parametrize(
    ("value", "header", "given", "family"),
    [
        ("Lopez, Ana María", "LastFirst", "Ana María", "Lopez"),
        ("Ana María Lopez", "Student Name", "Ana María", "Lopez"),
        ("Lopez Ana", "LastFirst", "Ana", "Lopez"),
        ("  Ng,  Robert ", "Student", "Robert", "Ng"),
        ("Cher", "Name", "Cher", ""),
    ],
)
def test_a_whole_name_is_split(value: str, header: str, given: str, family: str) -> None:
    """A comma puts the family first; without one the header's order decides."""
    assert split_name(value, header) == (given, family)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Child first name", "given_name"),
        ("Student First Name", "given_name"),
        ("First_Name_Legal", "given_name"),
        ("student.lastName", "family_name"),
        ("Apellidos", "family_name"),
        ("Prénom", "given_name"),
        ("Nachname", "family_name"),
        ("Cognome", "family_name"),
        ("Sobrenome", "family_name"),
        ("LastFirst", "full_name"),
        ("User Type", "role"),
        ("Correo electrónico", "email"),
        ("Quiz 1", None),
    ],
)
def test_headers_with_prefixes_suffixes_and_other_languages(header: str, field: str) -> None:
    """Each spelling is understood as its field; an assignment column as none."""
    assert field_of(header) == field


def test_the_most_specific_layout_wins() -> None:
    """A Clever file has First_name/Last_name like many: its own ids make it Clever."""
    headers = ["School_id", "Student_id", "Student_number", "State_id", "Last_name", "First_name"]
    layout = recognise(headers)
    assert layout is not None and layout.description == "Looks like a Clever students file."
    assert recognise(["First Name", "Last Name"]) is None


def test_a_comma_inside_a_name_is_not_the_separator() -> None:
    """ "Last, First";Grade is read with ";", the comma being part of the header."""
    assert sniff_delimiter("Last, First;Grade\nLopez, Ana;6\n") == ";"
