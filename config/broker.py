"""The Redis broker transport Celery uses, with one fault of kombu's Redis transport handled.

When a worker loses Redis while a task runs, the task's message is delivered but not yet
acknowledged (tasks are acknowledged late). Celery's consumer then collects the broken
connection, which can detach the transport from it, and closes the channel afterwards. Closing
puts the unacknowledged messages back through a new Redis client built from that detached
connection, and the AttributeError it raises ("'NoneType' object has no attribute 'hostname'")
stops the worker with "Unrecoverable error": no email, no report folding, no moderator alert
until someone restarts it (the supervisor does, but a worker must not depend on it).

With no connection left there is nothing to put the messages back through, and nothing is lost
by not trying now: Redis keeps them in its unacknowledged set, a live worker puts them back after
the visibility timeout, and when Redis restarted empty the beat sweeps hand every due row over
again (docs/operations.md). So the channel closes, the worker reconnects, and work goes on.
"""

import logging

from kombu.transport import redis

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        if client is None and self.channel.connection.client is None:
            delivered = self._delivered
            logger.warning(
                "Broker connection lost with %d unacknowledged message(s); Redis hands them out "
                "again after the visibility timeout, and the sweeps cover a Redis restart",
                len(delivered or ()),
            )
            if delivered is not None:
                delivered.clear()
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
