"""A CASE 1.0 package (a state's standards framework as JSON) to the standards in it.

CASE (1EdTech's Competencies and Academic Standards Exchange) publishes a framework as
one JSON document: ``CFDocument`` (the framework), ``CFItems`` (its domains, clusters
and standards, each with a GUID ``identifier``, a ``fullStatement`` and usually a
``humanCodingScheme`` such as ``6.RP.A.3``) and ``CFAssociations`` (``isChildOf`` links
make the tree). Read offline from a file the teacher or IT downloaded; nothing is fetched.

A package that is not CASE (not JSON, no ``CFDocument``, an item without an identifier
or a statement, the same identifier twice) is refused whole, saying what is wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station_rotation.core.errors import ImportError_
from station_rotation.importing.limits import check_file_size

MAX_CASE_BYTES = 100 * 1024 * 1024  # a whole state's frameworks is ~20 MB
MAX_ID = 255
MAX_CODE = 80
MAX_STATEMENT = 1000


@dataclass(frozen=True)
class Standard:
    """One CFItem: its GUID, human code, statement and item type (``Standard``...)."""

    identifier: str
    code: str
    statement: str
    item_type: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} {self.statement}".strip() if self.code else self.statement


@dataclass
class CasePackage:
    """A framework: its GUID and title, its items in file order, and the tree."""

    source: str
    framework_id: str
    title: str
    items: dict[str, Standard]
    children: dict[str, list[str]] = field(default_factory=dict)  # parent GUID -> GUIDs

    def by_code(self, code: str) -> Standard | None:
        wanted = code.strip().casefold()
        return next((s for s in self.items.values() if s.code.casefold() == wanted), None)

    def pick(self, *, codes: Sequence[str] = (), under: str | None = None) -> list[Standard]:
        """The standards to import: ``codes`` exactly, and/or every standard ``under`` a code.

        Under a code means beneath it in the framework's tree (``isChildOf``), or, in a
        package without a tree, every code that starts with it (``6.RP`` -> ``6.RP.A.1``).
        Headings are left out: when the items beneath are typed, only those typed as a
        standard; otherwise only the items with nothing beneath them.
        """
        picked: list[Standard] = []
        unknown = [c for c in codes if c.strip() and self.by_code(c) is None]
        if unknown:
            raise ImportError_(
                f"{self.source}: no standard with the code {', '.join(unknown)} in "
                f"{self.title!r}. List the codes with `station-rotation import-standards "
                "CLASS FILE --list`."
            )
        for code in codes:
            found = self.by_code(code)
            if found is not None and found not in picked:
                picked.append(found)
        if under is not None:
            for standard in self._under(under):
                if standard not in picked:
                    picked.append(standard)
        return picked

    def _under(self, code: str) -> list[Standard]:
        top = self.by_code(code)
        if self.children and top is not None:
            beneath = [self.items[i] for i in self._descendants(top.identifier)]
        else:
            prefix = code.strip().casefold().rstrip(".") + "."
            beneath = [s for s in self.items.values() if s.code.casefold().startswith(prefix)]
        if not beneath:
            raise ImportError_(
                f"{self.source}: there is no standard under {code!r} in {self.title!r}. "
                "Check the code (`--list` shows them)."
            )
        typed = [s for s in beneath if "standard" in s.item_type.casefold()]
        if typed:
            return typed
        if self.children:
            return [s for s in beneath if not self.children.get(s.identifier)]
        codes = [s.code.casefold() for s in beneath]
        return [s for s in beneath if not any(c.startswith(s.code.casefold() + ".") for c in codes)]

    def _descendants(self, parent: str) -> list[str]:
        found: list[str] = []
        stack = list(reversed(self.children.get(parent, [])))
        while stack:
            node = stack.pop()
            if node in found:
                continue  # a cycle in a damaged tree: each item once
            found.append(node)
            stack.extend(reversed(self.children.get(node, [])))
        return found


def read_case_package(path: Path) -> CasePackage:
    """Parse a CASE 1.0 JSON package file; refuses anything that is not one, saying why."""
    if not path.is_file():
        raise ImportError_(f"{path} does not exist. Choose the CASE package (.json) file.")
    check_file_size(path, MAX_CASE_BYTES)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportError_(
            f"{path.name} is not a text (JSON) file. Download the framework as CASE JSON."
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportError_(
            f"{path.name}, line {exc.lineno}, column {exc.colno}: this is not readable JSON "
            f"({exc.msg}). Download the framework again as a CASE JSON package."
        ) from exc
    return parse_case_package(data, path.name)


def parse_case_package(data: Any, source: str) -> CasePackage:
    """A CASE package from its decoded JSON (a bare package or one wrapped in CFPackage)."""
    if isinstance(data, dict) and isinstance(data.get("CFPackage"), dict):
        data = data["CFPackage"]
    if not isinstance(data, dict) or not isinstance(data.get("CFDocument"), dict):
        raise ImportError_(
            f"{source} is not a CASE package: it has no CFDocument (the framework). "
            "Download the framework as a CASE 1.0 JSON package (CFDocument, CFItems and "
            "CFAssociations), not a single standard or another export."
        )
    document = data["CFDocument"]
    framework_id = _text(document, "identifier", f"{source}: CFDocument")
    title = _text(document, "title", f"{source}: CFDocument")
    raw_items = data.get("CFItems")
    if not isinstance(raw_items, list):
        raise ImportError_(
            f"{source}: CFItems (the standards) is missing or not a list, so there is "
            "nothing to import. Download the whole framework package again."
        )
    items: dict[str, Standard] = {}
    for index, raw in enumerate(raw_items):
        where = f"{source}: CFItems[{index}]"
        if not isinstance(raw, dict):
            raise ImportError_(f"{where} is not an item. Download the framework again.")
        identifier = _text(raw, "identifier", where)
        where = f"{where} ({identifier})"
        if identifier in items:
            raise ImportError_(
                f"{where}: this identifier is used by two items, so neither can be told "
                "apart. The package is damaged; download it again."
            )
        code = _optional_text(raw, "humanCodingScheme", where)
        if len(code) > MAX_CODE:
            raise ImportError_(
                f"{where}: the code {code[:40]!r}... is longer than {MAX_CODE} characters. "
                "This is not a CASE framework's human code."
            )
        statement = " ".join(_text(raw, "fullStatement", where).split())
        if len(statement) > MAX_STATEMENT:
            statement = statement[: MAX_STATEMENT - 1].rstrip() + "…"
        items[identifier] = Standard(
            identifier, code, statement, _optional_text(raw, "CFItemType", where)
        )
    return CasePackage(source, framework_id, title, items, _tree(data, source, items))


def _tree(data: dict[str, Any], source: str, items: dict[str, Standard]) -> dict[str, list[str]]:
    """Parent -> children from ``isChildOf`` associations, in ``sequenceNumber`` order."""
    raw = data.get("CFAssociations", [])
    if not isinstance(raw, list):
        raise ImportError_(
            f"{source}: CFAssociations is not a list. The package is damaged; download it again."
        )
    links: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for index, association in enumerate(raw):
        where = f"{source}: CFAssociations[{index}]"
        if not isinstance(association, dict):
            raise ImportError_(f"{where} is not an association. Download the framework again.")
        if association.get("associationType") != "isChildOf":
            continue  # exactMatchOf, isRelatedTo...: not the tree
        child = _text(_node(association, "originNodeURI", where), "identifier", where)
        parent = _text(_node(association, "destinationNodeURI", where), "identifier", where)
        sequence = association.get("sequenceNumber")
        order = float(sequence) if isinstance(sequence, int | float) else float("inf")
        if child in items:
            links[parent].append((order, index, child))
    return {parent: [c for _, _, c in sorted(kids)] for parent, kids in links.items()}


def _node(association: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    node = association.get(key)
    if not isinstance(node, dict):
        raise ImportError_(
            f"{where}: {key} (which item it links) is missing. The package is damaged; "
            "download it again."
        )
    return node


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportError_(
            f"{where}: {key} is missing or empty, and CASE requires it. The package is "
            "damaged or not a CASE 1.0 framework; download it again."
        )
    value = value.strip()
    if key == "identifier" and len(value) > MAX_ID:
        raise ImportError_(f"{where}: the identifier is longer than {MAX_ID} characters.")
    return value


def _optional_text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportError_(f"{where}: {key} is not text. The package is damaged.")
    return value.strip()
