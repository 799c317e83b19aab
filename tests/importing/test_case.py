"""A state's standards framework (CASE 1.0 JSON) is read offline, or refused saying why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from station_rotation.core.errors import ImportError_
from station_rotation.importing.case import parse_case_package, read_case_package

PACKAGE = Path(__file__).resolve().parent.parent / "fixtures" / "case" / "grade6-math.json"


def _data() -> dict[str, Any]:
    return json.loads(PACKAGE.read_text())


def test_the_package_reads_with_its_tree() -> None:
    """The framework's GUID and title, every item with its code, and isChildOf in order."""
    package = read_case_package(PACKAGE)
    assert package.title == "Synthetic State Mathematics Standards, Grade 6"
    assert package.framework_id == _data()["CFDocument"]["identifier"]
    three = package.by_code("6.rp.a.3")
    assert three is not None and three.statement.startswith("Solve real-world ratio")
    cluster = package.by_code("6.RP.A")
    assert cluster is not None
    kids = [package.items[i].code for i in package.children[cluster.identifier]]
    assert kids == ["6.RP.A.1", "6.RP.A.2", "6.RP.A.3"]  # by sequenceNumber


def test_choosing_by_codes_and_under_a_code() -> None:
    """--codes takes exactly those; --under takes the standards beneath, not the headings."""
    package = read_case_package(PACKAGE)
    assert [s.code for s in package.pick(codes=["6.EE.A.1", "6.RP.A.1"])] == [
        "6.EE.A.1",
        "6.RP.A.1",
    ]
    assert [s.code for s in package.pick(under="6.RP")] == ["6.RP.A.1", "6.RP.A.2", "6.RP.A.3"]
    with pytest.raises(ImportError_, match=r"no standard with the code 6\.RP\.B\.9"):
        package.pick(codes=["6.RP.B.9"])
    with pytest.raises(ImportError_, match=r"no standard under '7\.G'"):
        package.pick(under="7.G")


def test_without_a_tree_under_goes_by_the_code() -> None:
    """A package with no associations: under 6.RP means the codes that start with it."""
    data = _data()
    data["CFAssociations"] = []
    package = parse_case_package(data, "flat.json")
    codes = [s.code for s in package.pick(under="6.RP")]
    assert codes == ["6.RP.A.1", "6.RP.A.2", "6.RP.A.3"]


def test_a_wrapped_package_reads_the_same() -> None:
    """Some publishers wrap it as {"CFPackage": {...}}."""
    wrapped = parse_case_package({"CFPackage": _data()}, "wrapped.json")
    assert len(wrapped.items) == len(read_case_package(PACKAGE).items)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.pop("CFDocument"), "is not a CASE package: it has no CFDocument"),
        (lambda d: d["CFDocument"].pop("identifier"), r"CFDocument: identifier is missing"),
        (lambda d: d.update(CFItems={}), "CFItems .* is missing or not a list"),
        (lambda d: d["CFItems"][2].pop("fullStatement"), r"CFItems\[2\] .*fullStatement"),
        (lambda d: d["CFItems"][1].update(identifier=" "), r"CFItems\[1\]: identifier is missing"),
        (
            lambda d: d["CFItems"][3].update(identifier=d["CFItems"][2]["identifier"]),
            "used by two items",
        ),
        (lambda d: d["CFItems"][0].update(humanCodingScheme=7), "humanCodingScheme is not text"),
        (lambda d: d["CFAssociations"][0].pop("originNodeURI"), "originNodeURI .* is missing"),
        (lambda d: d.update(CFAssociations="x"), "CFAssociations is not a list"),
    ],
)
def test_a_malformed_package_is_refused_saying_what_is_wrong(damage: Any, message: str) -> None:
    """Each kind of damage names the part of the package that is wrong."""
    data = _data()
    damage(data)
    with pytest.raises(ImportError_, match=message):
        parse_case_package(data, "state.json")


def test_not_json_is_refused_with_the_line(tmp_path: Path) -> None:
    """A truncated download is not JSON: the line and column are named."""
    path = tmp_path / "state.json"
    path.write_text(PACKAGE.read_text()[:500])
    with pytest.raises(ImportError_, match=r"state.json, line \d+, column \d+: this is not"):
        read_case_package(path)
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ImportError_, match="not a text"):
        read_case_package(path)
    with pytest.raises(ImportError_, match="does not exist"):
        read_case_package(tmp_path / "missing.json")
