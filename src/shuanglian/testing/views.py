"""Every page and endpoint checked three ways, as NetBox's view test cases do: without permission,
permitted, and out of scope.

An app lists its views once, in `tests/test_three_ways.py`:

    CASES = {
        "divisions:detail": Case(lambda w: reverse("divisions:detail", args=[w.district.village.code]),
                                 permitted="village_cadre", denied="nobody", outsider="outsider"),
        ...
    }
    test_three_ways = three_ways(CASES)

and `tests/test_view_coverage.py` fails while a URL of the project has no case (or a stated reason).
Each case is one test that asks four ways, on one set of records: anonymous (sent to log in, or 401 from
the API), a persona without the capability (403, or 404 where the page hides that the object exists), a
persona whose scope does not reach the object (404, or a list without it), and last a permitted persona
(200 or the case's status). A failure names the URL name, the way and the persona.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from .district import District
from .personas import Personas


@dataclass
class World:
    district: District
    personas: Personas
    made: Any = None  # what the case's `make` returned


@dataclass(frozen=True)
class Case:
    url: Callable[[World], str]
    permitted: str  # a persona attribute name
    denied: str | None = "nobody"
    outsider: str | None = "outsider"
    make: Callable[[World], Any] | None = None  # records the URL names, made through the services
    method: str = "get"
    data: Callable[[World], dict] | None = None  # called for each way: a file in it is fresh each time
    ok: tuple[int, ...] = (200,)
    denied_status: tuple[int, ...] = (403, 404)
    # An object out of scope reads as 404; a list out of scope answers 200 without the record, which
    # `hidden` checks (it gets the response and the world); a list may answer the denied persona so too.
    outsider_status: tuple[int, ...] = (404,)
    hidden: Callable[[Any, World], bool] | None = None
    api: bool = False
    format: str = "json"  # how an API case sends `data`: "multipart" for a file (a SimpleUploadedFile in data)
    headers: dict[str, str] = field(default_factory=dict)


# The refusals first, so the permitted call (which may change the records) comes last.
WAYS = ("anonymous", "denied", "outsider", "permitted")


def _call(client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else None
    send = getattr(client, case.method)
    if case.api:
        return send(url, data, format=case.format, **case.headers) if data is not None else send(url, **case.headers)
    return send(url, data, **case.headers) if data is not None else send(url, **case.headers)


def _client_for(api_client, page_client, case: Case, user):
    if case.api:
        if user is None:
            api_client.credentials()
            return api_client
        return api_client.as_(user)
    if user is not None:
        page_client.force_login(user)
    return page_client


def three_ways(cases: dict[str, Case]):
    """A test per URL name of a module's CASES, asking it the four ways in turn on one set of records (the
    records are made once, the refusals asked before the permitted call). Uploads go to a temporary
    MEDIA_ROOT, never the project's."""

    @pytest.mark.parametrize("name", list(cases))
    def test(name, district, personas, api, client, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path / "media"
        case = cases[name]
        world = World(district=district, personas=personas)
        world.made = case.make(world) if case.make else None
        for way in WAYS:
            who = {"anonymous": None, "denied": case.denied, "permitted": case.permitted,
                   "outsider": case.outsider}[way]
            if way != "anonymous" and who is None:
                continue
            _check(case, world, name, way, who, api, client)

    return test


def _check(case: Case, world: World, name: str, way: str, who: str | None, api, client) -> None:
    user = getattr(world.personas, who) if who else None
    response = _call(_client_for(api, client, case, user), case, world)
    status = response.status_code
    if way == "anonymous":
        if case.api:
            assert status in (401, 403), (name, way, status)
        else:
            assert status == 302 and response["Location"].startswith(reverse("accounts:login")), (name, way, status)
    elif way == "denied":
        # A list may answer 200 without the records instead of refusing: nothing is shown either way.
        listed_without = status == 200 and case.hidden is not None and case.hidden(response, world)
        assert status in case.denied_status or listed_without, (name, way, who, status)
    elif way == "permitted":
        assert status in case.ok, (name, way, who, status, getattr(response, "content", b"")[:300])
    elif case.hidden is not None:
        assert status == 200 and case.hidden(response, world), (name, way, who, status)
    else:
        assert status in case.outsider_status, (name, way, who, status)
