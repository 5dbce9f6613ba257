"""Log records as single lines, for log collectors that read one event per line."""

from __future__ import annotations

import logging


class OneLineFormatter(logging.Formatter):
    """The usual format, with the line breaks of messages and tracebacks written as ``\\n``."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", "\\n")
