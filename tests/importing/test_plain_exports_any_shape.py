"""However a school system spells, orders, separates and encodes a class list, and whether
it writes the name in one column or two, the same students are imported."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from station_rotation.importing.plain_csv import auto_mapping, parse_plain_csv, understand
from station_rotation.importing.table import read_table

GIVEN = [
    "First Name",
    "first_name",
    "Given Name",
    "Student First Name",
    "Child first name",
    "First_Name_Legal",
    "Nombre",
    "Prénom",
    "Vorname",
    "Nome",
    "FirstName",
    "Forename",
]
FAMILY = [
    "Last Name",
    "Surname",
    "last_name",
    "Student Last Name",
    "Last_Name_Legal",
    "Apellidos",
    "Nom",
    "Nachname",
    "Cognome",
    "Sobrenome",
    "Family Name",
]
FAMILY_GIVEN = ["LastFirst", "Student", "Last, First", "Student Name (Last, First)"]
GIVEN_FAMILY = ["Student Name", "Full Name", "Name"]
IDS = ["Student ID", "student_number", "Student Number", "ID", "SIS ID", "Child ID"]
EXTRA = ["Grade", "Email"]

# Western names: ASCII letters with now and then an accented one (Zoë, Jalapeño, Müller).
ACCENTED = "éèñüöçàíóëâ"
WORD = st.builds(
    lambda word, at, accent: (word[:at] + accent + word[at + 1 :] if accent else word).capitalize(),
    st.text(alphabet="abcdefghijklmnoprstuvyz", min_size=2, max_size=8),
    st.integers(min_value=1, max_value=7),
    st.one_of(st.just(""), st.sampled_from(ACCENTED)),
)
FAMILY_WORD = st.one_of(WORD, st.builds(lambda a, b: f"{a}-{b}", WORD, WORD))


@st.composite
def class_lists(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, str]]]:
    count = draw(st.integers(min_value=1, max_value=6))
    students = [(draw(WORD), draw(FAMILY_WORD), str(1000 + n)) for n in range(count)]
    form = draw(st.sampled_from(["two", "family_given", "given_family"]))
    if form == "two":
        columns = {"given": draw(st.sampled_from(GIVEN)), "family": draw(st.sampled_from(FAMILY))}
    elif form == "family_given":
        columns = {"whole": draw(st.sampled_from(FAMILY_GIVEN))}
    else:
        columns = {"whole": draw(st.sampled_from(GIVEN_FAMILY))}
    columns["id"] = draw(st.sampled_from(IDS))
    for extra in draw(st.lists(st.sampled_from(EXTRA), unique=True)):
        columns[extra.casefold()] = extra
    order = draw(st.permutations(list(columns)))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow([columns[c] for c in order])
    for given_name, family, ident in students:
        cell = {
            "given": given_name,
            "family": family,
            "whole": f"{family}, {given_name}"
            if form == "family_given"
            else f"{given_name} {family}",
            "id": ident,
            "grade": "6",
            "email": f"s{ident}@example.org",
        }
        writer.writerow([cell[c] for c in order])
    return out.getvalue().encode(encoding), students


@settings(max_examples=150, deadline=None)
@given(class_lists())
def test_any_shape_of_class_list_imports_the_same_students(
    case: tuple[bytes, list[tuple[str, str, str]]],
) -> None:
    """Spellings, orders, delimiters, encodings and either name form: the same students."""
    data, students = case
    read = understand(read_table(data, "class.csv"))
    roster = parse_plain_csv(read.table, auto_mapping(read.table.headers, read))
    got = sorted((s.given_name, s.family_name, s.identifier) for s in roster.students.values())
    assert got == sorted(students)
