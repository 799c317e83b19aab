"""What a plain CSV's header means, however the exporter spelled it.

Headers come with a prefix or a suffix (``Child first name``, ``Student First Name``,
``First_Name_Legal``, Infinite Campus's ``student.lastName``), in another language
(``Prénom``, ``Nachname``, ``Apellidos``, ``Cognome``) or with accents; each is folded to
plain lower-case letters and digits and compared with the spellings each field is known
by, first as written, then without the prefix or suffix.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]")

# field -> folded header spellings that mean it, best first (English, then es, fr, de, pt, it)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": (
        "givenname",
        "firstname",
        "first",
        "forename",
        "given",
        "nombre",
        "nombres",
        "primernombre",
        "prenom",
        "vorname",
        "nome",
        "primeironome",
    ),
    "family_name": (
        "familyname",
        "lastname",
        "surname",
        "last",
        "family",
        "apellidos",
        "apellido",
        "primerapellido",
        "nom",
        "nomdefamille",
        "nachname",
        "familienname",
        "sobrenome",
        "apelido",
        "cognome",
    ),
    # The whole name in one column: "Family, Given" or "Given Family".
    "full_name": (
        "lastfirst",
        "lastnamefirstname",
        "namelastfirst",
        "firstlast",
        "firstnamelastname",
        "fullname",
        "name",
        "student",
        "displayname",
        "nombrecompleto",
        "apellidosnombre",
        "apellidosynombre",
        "nomcomplet",
        "nomprenom",
        "vollername",
        "nachnamevorname",
        "nomecompleto",
    ),
    "preferred_name": ("preferredname", "nickname", "preferredgivenname", "preferredfirstname"),
    "source_id": ("sourcedid",),
    "identifier": (
        "studentid",
        "studentnumber",
        "sisuserid",
        "sisid",
        "id",
        "identifier",
        "localid",
        "idnumber",
        "permid",
        "otherid",
        "personid",
        "number",
        "matricula",
        "matricola",
        "identifiant",
        "schulernummer",
        "schuelernummer",
    ),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "studentemail",
        "correo",
        "correoelectronico",
        "courriel",
        "adressemail",
    ),
    "grade": (
        "grade",
        "grades",
        "gradelevel",
        "grd",
        "year",
        "grado",
        "curso",
        "niveau",
        "jahrgang",
        "jahrgangsstufe",
        "ano",
        "anno",
    ),
    "class_name": (
        "class",
        "section",
        "classname",
        "sectionname",
        "course",
        "period",
        "clase",
        "grupo",
        "classe",
        "klasse",
        "kurs",
        "turma",
    ),
    "role": ("role", "roles", "usertype", "type", "persontype", "accounttype", "rol", "rolle"),
}

# Words around the field's own name (``Student First Name``, ``First_Name_Legal``).
_PREFIXES = ("students", "student", "child", "pupil", "learner", "stu", "legal")
_SUFFIXES = ("legal", "official")
# Whole-name headers whose values without a comma are "Family Given", not "Given Family".
FAMILY_FIRST = frozenset(
    {"lastfirst", "lastnamefirstname", "namelastfirst", "apellidosnombre", "apellidosynombre"}
    | {"nomprenom", "nachnamevorname"}
)


def fold(header: str) -> str:
    """``"Prénom"`` -> ``"prenom"``, ``"First_Name_Legal"`` -> ``"firstnamelegal"``."""
    text = unicodedata.normalize("NFKD", header.strip().lstrip("\ufeff").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub("", text.replace("ß", "ss").replace("ü", "u"))


def bare(key: str) -> str:
    """The folded header without the words around it (``studentfirstname`` -> ``firstname``)."""
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return key


def field_of(header: str) -> str | None:
    """The field a header means on its own (as written, else without prefix or suffix)."""
    key = fold(header)
    for candidate in (key, bare(key)):
        for field, aliases in FIELD_ALIASES.items():
            if candidate in aliases:
                return field
    return None
