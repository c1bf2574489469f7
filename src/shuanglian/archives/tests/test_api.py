"""Archives over /api/v1/households/ and /api/v1/persons/: scope per persona, what each viewer sees,
masking in every answer, the audited reveal, filters that are never an oracle, and query counts."""
import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuanglian.access.roles import Role
from shuanglian.accounts.services import grant_create
from shuanglian.archives import services
from shuanglian.archives.models import Household, Person
from shuanglian.core.idnumber import check_character
from shuanglian.core.models import AuditEvent
from shuanglian.core.pii import mask

HOUSEHOLDS = "/api/v1/households/"
PERSONS = "/api/v1/persons/"
TODAY = dt.datetime(2025, 6, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _id(first17: str) -> str:
    return first17 + check_character(first17)


ID_HEAD = _id("33080319650312001")  # 王大明, 60 on TODAY
ID_SPOUSE = _id("33080319680715002")  # 李秀英, 56
ID_CHILD = _id("33080320080101003")  # 王小龙, 17
ID_GRID2 = _id("33080319700101004")  # 张伟, same village, another grid
ID_VILLAGE2 = _id("33080319750101005")  # 陈芳, same township, another village
ID_TOWNSHIP2 = _id("33080319800101006")  # 刘洋, another township of 衢江区
ID_OUTSIDE = _id("33080219850101007")  # 赵敏, 柯城区
PHONE_HEAD = "13912345678"
PHONE_GRID2 = "13700001111"
PLAINTEXT = [ID_HEAD, ID_SPOUSE, ID_CHILD, ID_GRID2, ID_VILLAGE2, ID_TOWNSHIP2, ID_OUTSIDE, PHONE_HEAD,
             PHONE_GRID2]

PUBLIC_PERSON_KEYS = {"id", "household", "household_number", "name", "relation_to_head", "address", "grid"}
PUBLIC_HOUSEHOLD_KEYS = {"id", "number", "address", "grid", "village", "township", "member_count", "tags",
                         "completeness", "updated_at"}


@pytest.fixture
def archive(district, personas, time_machine):
    """Households in five places, made through the services as a promoter, a township cadre and an import."""
    time_machine.move_to(TODAY, tick=False)
    d, p = district, personas
    hh = services.household_register(actor=p.promoter, grid=d.grid, number="001", address="樟潭社区1号",
                                     annual_income="36000", tags=["low_income", "veteran"])
    services.person_add(actor=p.promoter, household=hh, name="王大明", relation_to_head="head",
                        id_number=ID_HEAD, phone=PHONE_HEAD)
    services.person_add(actor=p.promoter, household=hh, name="李秀英", relation_to_head="spouse",
                        id_number=ID_SPOUSE)
    services.person_add(actor=p.promoter, household=hh, name="王小龙", relation_to_head="child",
                        id_number=ID_CHILD)
    for actor, grid, number, name, id_number, phone in [
        (p.township_cadre, d.grid2, "002", "张伟", ID_GRID2, PHONE_GRID2),
        (p.township_cadre, d.grid3, "003", "陈芳", ID_VILLAGE2, ""),
        (None, d.grid4, "004", "刘洋", ID_TOWNSHIP2, ""),
        (None, d.outside_grid, "005", "赵敏", ID_OUTSIDE, ""),
    ]:
        other = services.household_register(actor=actor, grid=grid, number=number, address=f"{name}家")
        services.person_add(actor=actor, household=other, name=name, relation_to_head="head",
                            id_number=id_number, phone=phone)
    return hh


def person(name: str) -> Person:
    return Person.objects.get(name=name)


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    return body


def assert_no_plaintext(response):
    text = response.content.decode()
    for value in PLAINTEXT:
        assert value not in text and value.lower() not in text, f"plaintext {mask('id_number', value)} in answer"


# --- scope per persona ----------------------------------------------------------------------------


@pytest.mark.parametrize("who, expected", [
    ("promoter", {"王大明", "李秀英", "王小龙"}),
    ("volunteer", {"王大明", "李秀英", "王小龙"}),
    ("archive_keeper", {"王大明", "李秀英", "王小龙", "张伟"}),
    ("township_cadre", {"王大明", "李秀英", "王小龙", "张伟", "陈芳"}),
    ("county_office", {"王大明", "李秀英", "王小龙", "张伟", "陈芳", "刘洋"}),
    ("outsider", {"赵敏"}),
    ("nobody", set()),
    ("admin", set()),
])
def test_persons_each_persona_may_see(api, archive, personas, who, expected):
    assert names(api.as_(getattr(personas, who)).get(PERSONS)) == expected


def test_households_each_persona_may_see(api, archive, personas):
    def numbers(user):
        response = api.as_(user).get(HOUSEHOLDS)
        assert response.status_code == 200
        return {row["number"] for row in response.json()["results"]}

    assert numbers(personas.promoter) == {"001"}
    assert numbers(personas.township_cadre) == {"001", "002", "003"}
    assert numbers(personas.outsider) == {"005"}


def test_out_of_scope_reads_as_not_found(api, archive, personas):
    client = api.as_(personas.outsider)
    body = assert_error(client.get(f"{PERSONS}{person('王大明').pk}/"), 404, "not_found")
    assert "王大明" not in body["message"]
    assert_error(client.get(f"{HOUSEHOLDS}{archive.pk}/"), 404, "not_found")
    promoter = api.as_(personas.promoter)
    assert_error(promoter.get(f"{PERSONS}{person('张伟').pk}/"), 404, "not_found")
    assert promoter.get(f"{PERSONS}{person('王大明').pk}/").status_code == 200


def test_anonymous_is_401(api, archive):
    assert_error(api.get(PERSONS), 401, "not_authenticated")
    assert_error(api.post(f"{PERSONS}{person('王大明').pk}/reveal/", {"field": "phone", "reason": "核实"},
                          format="json"), 401, "not_authenticated")


# --- what each viewer sees: masking ---------------------------------------------------------------


def test_promoter_sees_masked_pii_in_list_and_detail(api, archive, personas):
    client = api.as_(personas.promoter)
    head = person("王大明")
    for response in (client.get(PERSONS), client.get(f"{PERSONS}{head.pk}/"), client.get(HOUSEHOLDS),
                     client.get(f"{HOUSEHOLDS}{archive.pk}/")):
        assert response.status_code == 200, response.content
        assert_no_plaintext(response)
    for url in (PERSONS, f"{PERSONS}{head.pk}/", f"{HOUSEHOLDS}{archive.pk}/"):
        text = client.get(url).content.decode()
        assert mask("id_number", ID_HEAD) in text and "139****5678" in text
    row = client.get(f"{PERSONS}{head.pk}/").json()
    assert row["id_number"] == ID_HEAD[:6] + "********" + ID_HEAD[-4:]
    assert row["phone"] == "139****5678"
    assert (row["sex"], row["birth_date"], row["age"]) == ("male", "1965-03-12", 60)
    assert row["household_number"] == "001" and row["address"] == "樟潭社区1号" and row["grid"] == archive.grid.code
    assert client.get(f"{PERSONS}{person('李秀英').pk}/").json()["phone"] is None  # not recorded
    file = client.get(f"{HOUSEHOLDS}{archive.pk}/").json()
    assert file["tags"] == ["low_income", "veteran"] and file["annual_income"] == "36000.00"
    assert file["member_count"] == 3 and [m["name"] for m in file["members"]] == ["王大明", "李秀英", "王小龙"]
    assert file["members"][0]["id_number"] == mask("id_number", ID_HEAD)


def test_create_answers_are_masked(api, district, personas, archive):
    client = api.as_(personas.promoter)
    created = client.post(HOUSEHOLDS, {"grid": district.grid.code, "number": "010", "address": "樟潭社区10号",
                                       "annual_income": "12000", "tags": ["hardship"]}, format="json")
    assert created.status_code == 201, created.content
    household = created.json()
    assert household["tags"] == ["hardship"] and household["members"] == [] and household["grid"] == district.grid.code
    id_number, phone = _id("33080319900202011"), "15800001234"
    response = client.post(PERSONS, {"household": household["id"], "name": "周杰", "relation_to_head": "head",
                                     "id_number": id_number.lower(), "phone": "+86 158-0000-1234"}, format="json")
    assert response.status_code == 201, response.content
    text = response.content.decode()
    assert id_number not in text and id_number.lower() not in text and phone not in text
    body = response.json()
    assert body["id_number"] == mask("id_number", id_number) and body["phone"] == "158****1234"
    assert body["birth_date"] == "1990-02-02" and body["sex"] == "male"
    assert Person.objects.get(pk=body["id"]).id_number.reveal() == id_number  # stored whole, encrypted
    detail = client.get(f"{HOUSEHOLDS}{household['id']}/")
    assert id_number not in detail.content.decode() and mask("id_number", id_number) in detail.content.decode()


def test_volunteer_sees_names_relations_and_addresses_only(api, archive, personas):
    client = api.as_(personas.volunteer)
    for response in (client.get(PERSONS), client.get(f"{PERSONS}{person('王大明').pk}/")):
        assert response.status_code == 200
        rows = response.json().get("results") or [response.json()]
        assert all(set(row) == PUBLIC_PERSON_KEYS for row in rows)
        text = response.content.decode()
        assert "****" not in text and "1965" not in text and "male" not in text
    households = client.get(HOUSEHOLDS)
    assert [set(row) for row in households.json()["results"]] == [PUBLIC_HOUSEHOLD_KEYS]
    file = client.get(f"{HOUSEHOLDS}{archive.pk}/")
    body = file.json()
    assert set(body) == PUBLIC_HOUSEHOLD_KEYS | {"members"}
    assert body["tags"] == ["veteran"]  # low_income is a sensitive tag
    assert all(set(member) == PUBLIC_PERSON_KEYS for member in body["members"])
    for response in (households, file):
        text = response.content.decode()
        assert "36000" not in text and "low_income" not in text and "****" not in text


def test_one_list_mixes_rows_by_where_the_viewer_may_see_pii(api, archive, district, personas):
    # The promoter of one grid who volunteers in the next: PII there is not theirs to see.
    grant_create(actor=None, user=personas.promoter, role=Role.GRID_VOLUNTEER, division=district.grid2)
    rows = {row["name"]: row for row in api.as_(personas.promoter).get(PERSONS).json()["results"]}
    assert set(rows) == {"王大明", "李秀英", "王小龙", "张伟"}
    assert set(rows["张伟"]) == PUBLIC_PERSON_KEYS
    assert rows["王大明"]["phone"] == "139****5678"


def test_county_office_sees_masked_pii_but_may_not_reveal(api, archive, personas):
    client = api.as_(personas.county_office)
    row = client.get(f"{PERSONS}{person('刘洋').pk}/").json()
    assert row["id_number"] == mask("id_number", ID_TOWNSHIP2)
    assert_error(client.post(f"{PERSONS}{person('刘洋').pk}/reveal/", {"field": "id_number", "reason": "核实身份"},
                             format="json"), 403, "permission_denied")


# --- reveal ---------------------------------------------------------------------------------------


def test_reveal_returns_the_full_value_and_is_audited_once(api, archive, personas):
    head = person("王大明")
    response = api.as_(personas.promoter).post(f"{PERSONS}{head.pk}/reveal/",
                                               {"field": "id_number", "reason": "办理低保复核"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"field": "id_number", "value": ID_HEAD}
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="archives.reveal")
    assert event.actor == personas.promoter and event.object_id == str(head.pk) and event.channel == "api"
    assert event.after["field"] == "id_number" and event.after["reason"] == "办理低保复核"
    assert ID_HEAD not in str(event.after) + event.object_repr
    phone = api.as_(personas.promoter).post(f"{PERSONS}{head.pk}/reveal/", {"field": "phone", "reason": "电话回访"},
                                            format="json")
    assert phone.json() == {"field": "phone", "value": PHONE_HEAD}
    assert AuditEvent.objects.filter(action="archives.reveal").count() == 2


def test_reveal_refusals(api, archive, personas):
    head = person("王大明")
    url = f"{PERSONS}{head.pk}/reveal/"
    promoter = api.as_(personas.promoter)
    assert_error(promoter.post(url, {"field": "id_number"}, format="json"), 400, "reason_required")
    assert_error(promoter.post(url, {"field": "id_number", "reason": "  "}, format="json"), 400, "reason_required")
    assert_error(promoter.post(url, {"field": "id_number", "reason": None}, format="json"), 400, "reason_required")
    assert_error(promoter.post(url, {"field": "name", "reason": "核实身份"}, format="json"), 400, "invalid_field")
    assert_error(api.as_(personas.volunteer).post(url, {"field": "phone", "reason": "核实身份"}, format="json"),
                 403, "permission_denied")
    assert_error(api.as_(personas.outsider).post(url, {"field": "phone", "reason": "核实身份"}, format="json"),
                 404, "not_found")
    assert_error(promoter.post(f"{PERSONS}{person('张伟').pk}/reveal/", {"field": "phone", "reason": "核实身份"},
                               format="json"), 404, "not_found")
    assert not AuditEvent.objects.filter(action="archives.reveal").exists()


def test_township_cadre_reveals_in_the_township(api, archive, personas):
    response = api.as_(personas.township_cadre).post(f"{PERSONS}{person('陈芳').pk}/reveal/",
                                                     {"field": "id_number", "reason": "核实户籍"}, format="json")
    assert response.json()["value"] == ID_VILLAGE2


# --- search: never beyond what the user may see ---------------------------------------------------


def find(client, params):
    """The person list filtered by `params`: in a POST body when they hold a full number, as clients must."""
    if {"id_number", "phone"} & set(params):
        return client.post(f"{PERSONS}search/", params, format="json")
    return client.get(PERSONS, params)


def test_id_number_search_finds_only_persons_the_user_may_see(api, archive, personas):
    outsider = find(api.as_(personas.outsider), {"id_number": ID_HEAD})
    assert outsider.status_code == 200 and outsider.json()["count"] == 0
    assert find(api.as_(personas.outsider), {"phone": PHONE_HEAD}).json()["count"] == 0
    assert names(find(api.as_(personas.township_cadre), {"id_number": ID_HEAD})) == {"王大明"}
    assert names(find(api.as_(personas.promoter), {"id_number": ID_GRID2})) == set()


def test_a_full_number_in_a_url_is_refused(api, archive, personas):
    for params in ({"id_number": ID_HEAD}, {"phone": PHONE_HEAD}):
        response = api.as_(personas.township_cadre).get(PERSONS, params)
        assert response.status_code == 400 and response.json()["code"] == "use_post", response.content


def test_a_volunteer_cannot_use_filters_as_an_oracle(api, archive, personas):
    client = api.as_(personas.volunteer)
    assert names(client.get(PERSONS, {"name": "王"})) == {"王大明", "王小龙"}
    for params in ({"id_number": ID_HEAD}, {"phone": PHONE_HEAD}, {"tag": "low_income"}, {"min_age": 0},
                   {"max_age": 150}, {"sex": "male"}, {"residence_status": "registered"}):
        assert find(client, params).json()["count"] == 0, params
    assert names(client.get(PERSONS, {"tag": "veteran"})) == {"王大明", "李秀英", "王小龙"}  # not sensitive
    assert client.get(HOUSEHOLDS, {"tag": "low_income"}).json()["count"] == 0
    assert client.get(HOUSEHOLDS, {"tag": "veteran"}).json()["count"] == 1


@pytest.mark.parametrize("params, expected", [
    ({"name": "王"}, {"王大明", "王小龙"}),
    ({"name": "大明"}, set()),  # a prefix, not a substring
    ({"id_number": ID_HEAD.lower()}, {"王大明"}),
    ({"id_number": f" {ID_SPOUSE[:6]} {ID_SPOUSE[6:]} "}, {"李秀英"}),
    ({"id_number": ID_HEAD[:17]}, set()),  # exact only
    ({"phone": "+86 139-1234-5678"}, {"王大明"}),
    ({"phone": PHONE_HEAD[:7]}, set()),
    ({"within": "330803001201"}, {"陈芳"}),
    ({"within": "330803001"}, {"王大明", "李秀英", "王小龙", "张伟", "陈芳"}),
    ({"within": "330803100"}, set()),  # outside the cadre's township: nothing, not an error
    ({"tag": "low_income"}, {"王大明", "李秀英", "王小龙"}),
    ({"tag": "no_such_tag"}, set()),
    ({"min_age": 18}, {"王大明", "李秀英", "张伟", "陈芳"}),
    ({"max_age": 17}, {"王小龙"}),
    ({"min_age": 60, "max_age": 60}, {"王大明"}),
    ({"min_age": 56, "max_age": 59}, {"李秀英"}),
    ({"min_age": 50, "max_age": 55}, {"张伟", "陈芳"}),
    ({"relation_to_head": "spouse"}, {"李秀英"}),
    ({"sex": "female"}, {"李秀英", "张伟"}),
    ({"address": "陈芳"}, {"陈芳"}),
])
def test_person_filters(api, archive, personas, params, expected):
    assert names(find(api.as_(personas.township_cadre), params)) == expected


@pytest.mark.postgres
def test_name_prefix_search_is_served_by_an_index(archive, district):
    """LIKE '王%' on a database whose collation is not "C" (the test cluster's is C.UTF-8) needs the pattern
    operator class; without it PostgreSQL reads every person of the township."""
    # Unordered, as the page's COUNT(*) is: with the list's ORDER BY the planner may walk the household index
    # instead, on tables this small.
    within_township = Person.objects.filter(township=district.township, name__startswith="王").order_by()
    anywhere = Person.objects.filter(name__startswith="王").order_by()
    with connection.cursor() as cur:
        # Tiny test tables: ask whether an index *can* serve the prefix. (The township has no index of its own
        # that would do instead: the (township, name) index leads with it.)
        cur.execute("ANALYZE archives_person")  # statistics of this table as it is, not of earlier tests' rows
        cur.execute("SET enable_seqscan = off")
        plans = [qs.explain() for qs in (within_township, anywhere)]
        cur.execute("SET enable_seqscan = on")
    for plan in plans:  # the prefix is an index condition (~>=~ is the pattern class's operator), not a filter
        assert "Index Cond" in plan and "~>=~" in plan, plan


def test_an_impossible_age_is_400(api, archive, personas):
    body = assert_error(api.as_(personas.township_cadre).get(PERSONS, {"max_age": 5000}), 400, "invalid")
    assert "max_age" in body["details"]


def test_household_filters(api, archive, personas):
    client = api.as_(personas.township_cadre)
    services.household_set_tags(actor=personas.promoter, household=archive, tags=["low_income", "hardship"])
    rows = client.get(HOUSEHOLDS, {"tag": ["low_income", "hardship"]}).json()["results"]
    assert [(r["number"], r["member_count"]) for r in rows] == [("001", 3)]  # once, members counted once
    assert [r["number"] for r in client.get(HOUSEHOLDS, {"within": "330803001201"}).json()["results"]] == ["003"]
    assert [r["number"] for r in client.get(HOUSEHOLDS, {"q": "张伟"}).json()["results"]] == ["002"]


# --- writes ---------------------------------------------------------------------------------------


def test_volunteer_writes_nothing(api, archive, district, personas):
    client = api.as_(personas.volunteer)
    head = person("王大明")
    before = (Household.objects.count(), Person.objects.count())
    assert_error(client.post(HOUSEHOLDS, {"grid": district.grid.code, "number": "099"}, format="json"), 403,
                 "permission_denied")
    assert_error(client.patch(f"{HOUSEHOLDS}{archive.pk}/", {"address": "x"}, format="json"), 403,
                 "permission_denied")
    assert_error(client.patch(f"{HOUSEHOLDS}{archive.pk}/", {"tags": []}, format="json"), 403, "permission_denied")
    assert_error(client.post(PERSONS, {"household": archive.pk, "name": "x", "relation_to_head": "child"},
                             format="json"), 403, "permission_denied")
    assert_error(client.patch(f"{PERSONS}{head.pk}/", {"occupation": "x"}, format="json"), 403,
                 "permission_denied")
    assert (Household.objects.count(), Person.objects.count()) == before
    archive.refresh_from_db()
    assert archive.address == "樟潭社区1号" and {t.code for t in archive.tag_list()} == {
        "low_income", "veteran"}


def test_writes_out_of_scope_read_as_not_found(api, archive, district, personas):
    client = api.as_(personas.outsider)
    assert_error(client.patch(f"{HOUSEHOLDS}{archive.pk}/", {"address": "x"}, format="json"), 404, "not_found")
    assert_error(client.post(HOUSEHOLDS, {"grid": district.grid.code, "number": "099"}, format="json"), 404,
                 "not_found")
    assert_error(client.post(PERSONS, {"household": archive.pk, "name": "x", "relation_to_head": "child"},
                             format="json"), 404, "not_found")


def test_duplicate_id_number_is_409_in_the_error_shape_and_masked(api, archive, personas):
    response = api.as_(personas.promoter).post(
        PERSONS, {"household": archive.pk, "name": "王二明", "relation_to_head": "child", "id_number": ID_HEAD},
        format="json")
    body = assert_error(response, 409, "duplicate_id_number")
    assert body["details"] == {"id_number": mask("id_number", ID_HEAD)}
    assert_no_plaintext(response)
    assert not Person.objects.filter(name="王二明").exists()


def test_other_write_errors(api, archive, district, personas):
    client = api.as_(personas.promoter)
    assert_error(client.post(HOUSEHOLDS, {"grid": district.grid.code, "number": "001"}, format="json"), 409,
                 "duplicate_household")
    body = assert_error(client.post(HOUSEHOLDS, {"grid": district.grid.code}, format="json"), 400, "invalid")
    assert "number" in body["details"]
    assert_error(client.post(HOUSEHOLDS, {"grid": district.village.code, "number": "9"}, format="json"), 404,
                 "not_found")  # the promoter cannot see the village itself
    bad = ID_HEAD[:17] + ("0" if ID_HEAD[-1] != "0" else "1")  # a wrong check character
    assert_error(client.post(PERSONS, {"household": archive.pk, "name": "x", "relation_to_head": "child",
                                       "id_number": bad}, format="json"), 400, "invalid_id_number")
    assert_error(client.post(PERSONS, {"household": archive.pk, "name": "x", "relation_to_head": "head"},
                             format="json"), 409, "two_heads")


def test_patch_a_household_and_its_tags_together(api, archive, personas):
    client = api.as_(personas.promoter)
    response = client.patch(f"{HOUSEHOLDS}{archive.pk}/", {"annual_income": "40000", "tags": ["hardship"]},
                            format="json")
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["hardship"] and response.json()["annual_income"] == "40000.00"
    # All or nothing: an unknown tag leaves the address as it was.
    assert_error(client.patch(f"{HOUSEHOLDS}{archive.pk}/", {"address": "新址", "tags": ["nope"]}, format="json"),
                 400, "unknown_tag")
    archive.refresh_from_db()
    assert archive.address == "樟潭社区1号"
    assert AuditEvent.objects.filter(action="archives.household_tags").count() == 1


def test_patch_a_person(api, archive, personas):
    client = api.as_(personas.promoter)
    head = person("王大明")
    response = client.patch(f"{PERSONS}{head.pk}/", {"phone": "13800001111", "occupation": "务农"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "138****1111" and "13800001111" not in response.content.decode()
    assert person("王大明").phone.reveal() == "13800001111"
    # Sex and birth date follow the recorded ID number, even when sent alone.
    assert_error(client.patch(f"{PERSONS}{head.pk}/", {"sex": "female"}, format="json"), 400, "identity_mismatch")
    assert_error(client.patch(f"{PERSONS}{head.pk}/", {"birth_date": "1966-03-12"}, format="json"), 400,
                 "identity_mismatch")
    assert client.patch(f"{PERSONS}{head.pk}/", {"sex": "male"}, format="json").status_code == 200


# --- query counts ---------------------------------------------------------------------------------


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), len(response.json()["results"])


# Filters on personal information for viewers who may see it; a non-sensitive tag for the volunteer.
FILTERED = {
    (PERSONS, True): {"tag": "low_income", "min_age": 1, "name": "户主"},
    (PERSONS, False): {"tag": "veteran"},
    (HOUSEHOLDS, True): {"tag": ["low_income", "veteran"], "within": "330803001"},
    (HOUSEHOLDS, False): {"tag": "veteran"},
}


@pytest.mark.parametrize("who", ["promoter", "volunteer", "township_cadre"])
@pytest.mark.parametrize("url", [PERSONS, HOUSEHOLDS])
@pytest.mark.parametrize("filtered", [False, True])
def test_lists_run_a_constant_number_of_queries(api, archive, district, personas, who, url, filtered):
    for i in range(12):
        hh = services.household_register(actor=personas.promoter, grid=district.grid, number=f"1{i:02}",
                                         tags=["low_income", "veteran"])
        services.person_add(actor=personas.promoter, household=hh, name=f"户主{i}", relation_to_head="head",
                            id_number=_id(f"33080319{50 + i}0101{i:03}"), phone=f"1390000{i:04}")
        services.person_add(actor=personas.promoter, household=hh, name=f"配偶{i}", relation_to_head="spouse")
    client = api.as_(getattr(personas, who))
    params = FILTERED[url, who != "volunteer"] if filtered else {}
    small, n_small = _queries(client, url, {"page_size": 5, **params})
    large, n_large = _queries(client, url, {"page_size": 50, **params})
    assert n_small == 5 and n_large > 10, (n_small, n_large)
    assert small == large
