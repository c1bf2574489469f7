"""The one rule for personal information in the archives (PIPL): which field is public, personal or
sensitive, and which capability shows it. Pages, the API, exports, the history, search filters and
notifications all ask this module; none keeps its own list.

- public: anyone who may see the record (archives.view): names, relation to the head, household
  number, address, the divisions, completeness, non-sensitive tags.
- personal: only where the viewer holds archives.view_pii over the record. ID numbers and phones are
  masked even there; the full value needs archives.reveal and a stated, audited reason.
- sensitive (PIPL Art. 28: health, finances, specific identities such as the low-income or
  five-guarantee tags): as personal, and besides never written in clear to the history or the audit
  trail.

A field this module does not know is treated as sensitive: a new column stays hidden until someone
decides otherwise here.
"""
import json
from enum import StrEnum

from shuanglian.access.roles import REVEAL_PII, VIEW_ARCHIVES, VIEW_ARCHIVES_PII
from shuanglian.core import pii


class Tier(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"


PUBLIC, PERSONAL, SENSITIVE = Tier.PUBLIC, Tier.PERSONAL, Tier.SENSITIVE

# The capability that shows a field of each tier (masked, for the MASKED fields).
SEES = {PUBLIC: VIEW_ARCHIVES, PERSONAL: VIEW_ARCHIVES_PII, SENSITIVE: VIEW_ARCHIVES_PII}
# Fields shown masked even to those who see them; the full value needs this capability and a reason.
MASKED = {"id_number": REVEAL_PII, "phone": REVEAL_PII}

PERSON: dict[str, Tier] = {
    "id": PUBLIC, "household": PUBLIC, "household_number": PUBLIC, "name": PUBLIC, "relation_to_head": PUBLIC,
    "address": PUBLIC, "grid": PUBLIC, "village": PUBLIC, "township": PUBLIC,
    "id_number": PERSONAL, "phone": PERSONAL, "sex": PERSONAL, "birth_date": PERSONAL, "age": PERSONAL,
    "ethnicity": PERSONAL, "education": PERSONAL, "occupation": PERSONAL, "skills": PERSONAL,
    "political_status": PERSONAL, "residence_status": PERSONAL, "updated_at": PERSONAL,
    "health": SENSITIVE,
}
HOUSEHOLD: dict[str, Tier] = {
    "id": PUBLIC, "number": PUBLIC, "address": PUBLIC, "grid": PUBLIC, "village": PUBLIC, "township": PUBLIC,
    "member_count": PUBLIC, "completeness": PUBLIC, "updated_at": PUBLIC,
    "tags": PUBLIC,  # the list; each sensitive tag in it is SENSITIVE (Tag.sensitive), see tag_shown
    "house": PERSONAL, "land_notes": PERSONAL, "livelihood_notes": PERSONAL,
    "annual_income": SENSITIVE,
}
# Keys the history and the audit trail write besides the fields: where a household moved, which file
# imported it, a relation's other end (hidden separately when outside the reader's area) and kind.
HISTORY_EXTRA: dict[str, Tier] = {
    "grid": PUBLIC, "file": PUBLIC, "lines": PUBLIC, "reason": PUBLIC, "other": PUBLIC, "kind": PUBLIC,
    "note": PUBLIC,
}
_ORDER = [PUBLIC, PERSONAL, SENSITIVE]
# A name in more than one table (the history mixes them) takes the stricter tier.
_ALL: dict[str, Tier] = {}
for _table in (HISTORY_EXTRA, HOUSEHOLD, PERSON):
    for _name, _tier in _table.items():
        _ALL[_name] = max(_ALL.get(_name, PUBLIC), _tier, key=_ORDER.index)

# Sensitive values at rest: sealed (encrypted) in the records' history and the audit trail.
# A tag list is sealed whole: it may name sensitive tags (specific identities), and sealing every list
# alike does not tell, by which are sealed, which households hold one.
SEALED_IN_HISTORY = frozenset(name for name, tier in _ALL.items() if tier is SENSITIVE) | {"tags"}


def tier(name: str, table: dict[str, Tier] | None = None) -> Tier:
    """The tier of a field of `table` (PERSON or HOUSEHOLD; without it, of any archive field)."""
    return (_ALL if table is None else table).get(name, SENSITIVE)


def shown(name: str, *, sees_pii: bool, table: dict[str, Tier] | None = None) -> bool:
    """Whether a reader sees this field; `sees_pii`: they hold archives.view_pii over the record."""
    return sees_pii or tier(name, table) is PUBLIC


def public_fields(names, table: dict[str, Tier]) -> list[str]:
    return [n for n in names if shown(n, sees_pii=False, table=table)]


def tag_shown(tag, *, sees_pii: bool) -> bool:
    return sees_pii or not tag.sensitive


def person_shown(*, sees_pii: bool) -> frozenset[str]:
    """The person fields this reader sees, for templates (`{% if "sex" in shown %}`)."""
    return frozenset(n for n in PERSON if shown(n, sees_pii=sees_pii, table=PERSON))


def household_shown(*, sees_pii: bool) -> frozenset[str]:
    return frozenset(n for n in HOUSEHOLD if shown(n, sees_pii=sees_pii, table=HOUSEHOLD))


# ---------------------------------------------------------------- the history and the audit trail

_SEAL_KEY = "sealed"


def seal(value):
    """A sensitive value as the history and the audit trail keep it: {"sealed": "<ciphertext>"}, or as is
    when blank. The key is the PII key, so whoever may read the database still reads no health or income."""
    if value in (None, ""):
        return value
    return {_SEAL_KEY: pii.encrypt(json.dumps(value))}


def unseal(value):
    if isinstance(value, dict) and set(value) == {_SEAL_KEY}:
        return json.loads(pii.decrypt(value[_SEAL_KEY]))
    return value


def is_sealed(value) -> bool:
    return isinstance(value, dict) and set(value) == {_SEAL_KEY}


def seal_changes(changes: dict) -> dict:
    """`changes` (a snapshot, or a diff of [before, after] pairs) with its sensitive values sealed."""
    out = {}
    for name, value in changes.items():
        if name in SEALED_IN_HISTORY:
            value = [seal(v) for v in value] if isinstance(value, list) else seal(value)
        out[name] = value
    return out


def history_changes(changes: dict | None, *, sees_pii: bool, sensitive_tags: set[str],
                    known_tags: set[str] | None = None) -> dict:
    """What a reader sees of one history row: the fields they may not see dropped, sensitive tags taken out
    of tag lists (with `known_tags`, a code no longer in the tag table counts as sensitive: nobody can say
    it is not), sealed values opened for those who may see them."""
    def keep(code) -> bool:
        return code not in sensitive_tags and (known_tags is None or code in known_tags)

    out = {}
    for name, value in (changes or {}).items():
        if not shown(name, sees_pii=sees_pii):
            continue
        if name == "tags":
            # Sealed side by side: a diff's [before, after] lists, or a snapshot's codes one by one.
            value = [unseal(side) for side in value] if isinstance(value, list) else unseal(value)
            if not sees_pii and isinstance(value, list):
                value = [[c for c in side if keep(c)] if isinstance(side, list) else side for side in value] \
                    if value and isinstance(value[0], list) else [c for c in value if keep(c)]
        elif isinstance(value, list):
            value = [unseal(v) for v in value]
        else:
            value = unseal(value)
        out[name] = value
    return out
