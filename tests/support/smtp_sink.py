"""A real SMTP server for the tests: stores every message it accepts as one file.

Usage: smtp_sink.py PORT DIR

Listens on 127.0.0.1:PORT and writes each accepted message, exactly as received, to
DIR/<n>.eml (through a temporary file and a rename, so a reader never sees half a message).
Prints "ready" once it accepts connections. Recipients whose local part starts with
"bounce" are refused permanently (550), those starting with "busy" temporarily (451), so tests
can exercise both kinds of failure against the real protocol; messages to "slow..." take
50 ms to accept, so concurrent workers really overlap.
"""

import asyncio
import os
import signal
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if local.startswith("busy"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(a.lower().startswith("slow") for a in envelope.rcpt_tos):
            await asyncio.sleep(0.05)
        name = uuid.uuid4().hex
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.directory, name + ".eml"))
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
