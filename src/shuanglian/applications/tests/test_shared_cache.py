"""The lookup's wrong-guess counters: with CACHE_URL=db they are counted in a table, so app
processes count together; with the per-process default each process starts again from zero."""
import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from rest_framework.test import APIClient

from shuanglian.applications import public
from shuanglian.config.settings import _caches

from .test_api import _create, _lookup, now  # noqa: F401 (fixture)


def test_cache_url_values():
    assert _caches("")["BACKEND"].endswith("LocMemCache")
    assert _caches("redis://127.0.0.1:6379/1") == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                   "LOCATION": "redis://127.0.0.1:6379/1"}
    assert _caches("db")["BACKEND"].endswith("DatabaseCache")
    with pytest.raises(ImproperlyConfigured, match="memcached://x"):
        _caches("memcached://x")


def _new_process():
    """What a second app process sees: no cache objects, and an empty process memory."""
    caches.close_all()
    del caches["default"]
    locmem._caches.clear()
    locmem._expire_info.clear()


@pytest.mark.usefixtures("now")
@pytest.mark.parametrize(("cache_url", "last_answer"), [("db", 429), ("locmem", 200)])
def test_only_a_shared_cache_counts_guesses_across_processes(settings, net, personas, api, cache_url, last_answer):
    settings.CACHES = {"default": _caches(cache_url)}
    call_command("createcachetable", verbosity=0)
    receipt = _create(api, personas.service_staff, net).json()["receipt_no"]
    for i in range(public.LIMIT_PER_RECEIPT):
        _new_process()
        assert _lookup(APIClient(), receipt, f"{i:04d}", ip=f"10.0.4.{i}").status_code == 404
    _new_process()
    assert _lookup(APIClient(), receipt, "5678", ip="10.0.5.1").status_code == last_answer
