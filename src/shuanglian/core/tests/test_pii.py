"""Personal information: encrypted at rest, masked when shown, exact search by keyed hash."""
import logging

import pytest
from django.db import connection

from shuanglian.core import pii
from shuanglian.core.pii import PIIField, PIIValue, mask, scrub
from shuanglian.testing.scopedapp.models import SecretThing

ID = "11010519491231002X"


def test_stored_encrypted_and_read_back_masked(db):
    thing = SecretThing.objects.create(id_number="11010519491231002x", phone="139 1234 5678")
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, id_number_hash FROM scopedapp_secretthing")
        raw_id, raw_phone, digest = cur.fetchone()
    assert ID not in raw_id and "13912345678" not in raw_phone and raw_id.startswith("v1:")
    assert len(digest) == 64
    loaded = SecretThing.objects.get(pk=thing.pk)
    assert str(loaded.id_number) == "110105********002X" and f"{loaded.phone}" == "139****5678"
    assert loaded.id_number.reveal() == ID and loaded.phone.reveal() == "13912345678"
    assert ID not in repr(loaded.id_number)


def test_same_value_encrypts_differently_but_hashes_the_same(db):
    a = SecretThing.objects.create(id_number=ID)
    b = SecretThing.objects.create(id_number=ID.lower())
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, id_number_hash FROM scopedapp_secretthing ORDER BY id")
        (ca, ha), (cb, hb) = cur.fetchall()
    assert ca != cb and ha == hb
    found = SecretThing.objects.filter(PIIField.search_q("id_number", "id_number", ID))
    assert set(found.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_plain_lookups_on_the_column_are_refused(db):
    import pytest

    with pytest.raises(TypeError, match="_hash"):
        SecretThing.objects.filter(id_number=ID).count()


def test_masks():
    assert mask("id_number", "330803199001011234") == "330803********1234"
    assert mask("phone", "13956785678") == "139****5678"
    assert str(PIIValue("phone", "")) == ""


def test_log_lines_are_scrubbed(caplog):
    from shuanglian.core.logging import PIIScrubFilter

    logger = logging.getLogger("shuanglian.test")
    logger.addFilter(PIIScrubFilter())
    with caplog.at_level(logging.INFO):
        logger.info("person %s phone %s", "33080319900101123X", "13912345678")
    assert "33080319900101123X" not in caplog.text and "13912345678" not in caplog.text
    assert "330803********123X" in caplog.text and "139****5678" in caplog.text
    assert scrub("order 12345 ok") == "order 12345 ok"


@pytest.mark.parametrize("helper", [False, True], ids=["in-process", "helper"])
def test_sealing_ahead_gives_each_value_in_the_order_added(helper, monkeypatch):
    from shuanglian.core.sealing import SealAhead

    monkeypatch.setattr(SealAhead, "CHUNK", 3)
    ids = [f"33080319650312{n:03d}X" for n in range(7)]
    ids.append(ids[0])  # the same number twice
    phones = ["13912345678", "", "05708123456", "", "", "13800001111", "13800002222", ""]
    with pii.seal_ahead(helper=helper) as sealer:
        for id_number, phone in zip(ids, phones, strict=True):
            sealer.add(id_number, phone)
        id_ciphers, id_hashes, phone_ciphers, phone_hashes = sealer.results()
    assert [pii.decrypt(c) for c in id_ciphers] == ids
    assert id_hashes == [pii.blind_index("id_number", v) for v in ids]
    assert [pii.decrypt(c) if c else "" for c in phone_ciphers] == phones
    assert phone_hashes == [pii.blind_index("phone", v) if v else "" for v in phones]
    assert id_ciphers[7] != id_ciphers[0]  # a fresh nonce each: equal plaintexts do not show


def test_sealing_falls_back_to_in_process_when_no_helper_can_start(monkeypatch, caplog):
    import sys

    monkeypatch.setattr(sys, "executable", "/usr/sbin/uwsgi")  # what an embedding server reports
    with caplog.at_level(logging.WARNING, logger="shuanglian.core.sealing"), pii.seal_ahead(helper=True) as sealer:
        sealer.add(ID, "13912345678")
        (id_cipher,), (id_hash,), (phone_cipher,), _ = sealer.results()
    assert pii.decrypt(id_cipher) == ID and id_hash == pii.blind_index("id_number", ID)
    assert pii.decrypt(phone_cipher) == "13912345678"
    assert "sealing in process" in caplog.text


def test_sealing_survives_a_helper_that_dies(monkeypatch, caplog):
    from shuanglian.core.sealing import SealAhead

    monkeypatch.setattr(SealAhead, "CHUNK", 2)
    with caplog.at_level(logging.WARNING, logger="shuanglian.core.sealing"), pii.seal_ahead(helper=True) as sealer:
        for n in range(5):
            sealer.add(f"{ID[:-4]}{n:03d}X", "")
        sealer._helper.kill()  # an OOM kill, say, while chunks are out
        id_ciphers, _, phone_ciphers, _ = sealer.results()
    assert [pii.decrypt(c) for c in id_ciphers] == [f"{ID[:-4]}{n:03d}X" for n in range(5)]
    assert phone_ciphers == [""] * 5
    assert "helper process failed" in caplog.text
