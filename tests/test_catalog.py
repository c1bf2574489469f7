"""The zh_Hans catalog is complete (nothing untranslated, nothing fuzzy) and its compiled .mo is current."""
import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "shuanglian" / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries():
    """(msgctxt, msgid, msgstrs, flags) of each entry of django.po; a minimal reader of the PO format."""
    entries, current, field = [], None, None
    for raw in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current and current.get("msgid") is not None:
                entries.append(current)
            current, field = None, None
            continue
        current = current or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                current["msgstr"][field[1]] += value
            else:
                current[field] += value
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if key.startswith("msgstr"):
                field = ("msgstr", key[len("msgstr["):-1] if "[" in key else "0")
                current["msgstr"][field[1]] = value
            else:
                field = key
                current[key] = value
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == [], "run `make messages` and translate these"


def test_the_compiled_catalog_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for e in _entries():
        if "fuzzy" in e["flags"] or not all(e["msgstr"].values()):
            continue  # the test above reports these
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            assert catalog.ngettext(key, e["msgid_plural"], 1) == e["msgstr"]["0"], e["msgid"]
        else:
            assert catalog.gettext(key) == e["msgstr"]["0"], f"{e['msgid']!r}: run `make messages`"
