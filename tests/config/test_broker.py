"""config.broker: a worker that loses Redis while a task runs closes its channel and reconnects,
instead of stopping with "Unrecoverable error", and the task's message is not lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import redis
from kombu import Connection, Exchange, Producer, Queue

from tests.harness import ROOT, private_redis  # noqa: F401

pytestmark = pytest.mark.services

QUEUE = Queue("held", Exchange("held"), "held")


def hold_a_message(url: str, transport: str | None) -> Connection:
    """A connection whose channel has taken one message and not acknowledged it (a task that
    is running, acknowledged late), then lost its transport as Celery's consumer leaves it
    after a broker error (Connection.collect())."""
    connection = Connection(url, transport=transport, transport_options={"visibility_timeout": 1})
    channel = connection.default_channel
    QUEUE(channel).declare()
    Producer(channel).publish({"task": "held"}, exchange="held", routing_key="held")
    message = QUEUE(channel).get(no_ack=False)
    assert message is not None and len(channel.qos._delivered) == 1
    connection._do_close_transport()
    return connection


def test_kombus_own_transport_fails_here(private_redis):  # noqa: F811
    # The fault config.broker exists for: if kombu fixes it, this test says so.
    connection = hold_a_message(private_redis.url, transport=None)
    with pytest.raises(AttributeError, match="hostname"):
        connection.close()


def test_the_channel_closes_and_the_message_comes_back(private_redis):  # noqa: F811
    connection = hold_a_message(private_redis.url, transport="config.broker:Transport")
    connection.close()

    assert redis.Redis.from_url(private_redis.url).hlen("unacked") == 1
    time.sleep(1.5)  # the visibility timeout
    with Connection(
        private_redis.url,
        transport="config.broker:Transport",
        transport_options={"visibility_timeout": 1},
    ) as live:
        channel = live.default_channel
        channel.qos.restore_visible()
        message = QUEUE(channel).get(no_ack=False)
        assert message is not None and message.payload == {"task": "held"}
        message.ack()


def test_celery_uses_it_whenever_redis_is_the_broker(private_redis):  # noqa: F811
    script = (
        "import django; django.setup()\n"
        "from config.celery_app import app\n"
        "with app.connection_for_write() as c: print(type(c.transport).__module__)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
        "REDIS_URL": private_redis.url,
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "config.broker"
