"""Writes the message to the log: for development and demonstrations, never for real people."""

import logging

from notifications.backends import Backend

logger = logging.getLogger("notifications.console")


class ConsoleBackend(Backend):
    def send(self, push) -> str:
        # The person's id only: a log is no place for a name or phone number.
        logger.info(
            "push %s to person %s [%s]\n%s\n%s",
            push.pk,
            push.person_id,
            push.language,
            push.subject,
            push.body,
        )
        return f"console-{push.pk}"
