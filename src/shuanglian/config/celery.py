"""Celery at scale: the same registered tasks (core.tasks) under the same names.

Run with SHUANGLIAN_TASKS=celery and CELERY_BROKER_URL=redis://..., then
`celery -A shuanglian.config.celery worker --beat`. The periodic tasks become the beat schedule.
"""
import os

import django
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuanglian.config.settings")
django.setup()

from shuanglian.core import tasks  # noqa: E402  (needs the apps loaded)

app = Celery("shuanglian")
app.config_from_object("django.conf:settings", namespace="CELERY")
tasks.autodiscover()
for spec in tasks.REGISTRY.values():
    app.task(name=spec.name, shared=False)(spec.func)
app.conf.beat_schedule = {
    spec.name: {"task": spec.name, "schedule": float(spec.every)} for spec in tasks.REGISTRY.values() if spec.every
}
