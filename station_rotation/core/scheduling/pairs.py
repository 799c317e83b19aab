"""Keep-together and keep-apart pairs: which students move as one, and swaps that part others.

Together-pairs join students into units that are placed whole; a unit larger than a group
is split with a warning. Apart-pairs are repaired after placement by swapping a single
student with one of similar standing in another group, so sizes never change.
"""

from __future__ import annotations

from collections.abc import Sequence

Units = list[list[str]]


def _names(ids: Sequence[str]) -> str:
    return ", ".join(ids[:-1]) + " and " + ids[-1] if len(ids) > 1 else ids[0]


def together_units(
    together: list[tuple[str, str]],
    apart: list[tuple[str, str]],
    present: list[str],
    largest: int,
    warnings: list[str],
) -> tuple[Units, list[tuple[str, str]]]:
    """Units of students to place whole, and the apart-pairs that do not contradict them."""
    parent = {i: i for i in present}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in together:
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = {}
    for i in present:
        members.setdefault(root(i), []).append(i)
    kept_apart = []
    for a, b in apart:
        if root(a) == root(b):
            warnings.append(
                f"{a} and {b} are asked both to stay together and apart; kept together."
            )
        else:
            kept_apart.append((a, b))
    units: Units = []
    for unit in members.values():
        if len(unit) > largest:
            warnings.append(
                f"{_names(unit)} should stay together, but groups hold at most {largest} "
                "students, so they are split."
            )
            units += [unit[k : k + largest] for k in range(0, len(unit), largest)]
        else:
            units.append(unit)
    return units, kept_apart


def keep_apart(
    groups: list[list[str]],
    apart: list[tuple[str, str]],
    movable: set[str],
    key: dict[str, tuple[float, ...]],
    warnings: list[str],
) -> None:
    """Swap students until every apart-pair is in different groups, or warn."""
    partners: dict[str, set[str]] = {}
    for a, b in apart:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    where = {i: g for g, members in enumerate(groups) for i in members}

    def clash(student: str, g: int, leaving: str) -> bool:
        return any(where[p] == g and p != leaving for p in partners.get(student, ()))

    for a, b in apart:
        if where[a] != where[b]:
            continue
        done = False
        for mover in (b, a):
            if mover not in movable:
                continue
            g = where[mover]
            others = sorted(
                (
                    c
                    for c in movable
                    if where[c] != g and not clash(mover, where[c], c) and not clash(c, g, mover)
                ),
                key=lambda c: (
                    sum(abs(x - y) for x, y in zip(key[c], key[mover], strict=True)),
                    c,
                ),
            )
            if others:
                c = others[0]
                h = where[c]
                groups[g][groups[g].index(mover)] = c
                groups[h][groups[h].index(c)] = mover
                where[mover], where[c] = h, g
                done = True
                break
        if not done:
            warnings.append(f"{a} and {b} could not be kept apart with these group sizes.")
