"""Minimal POP3 and IMAP servers over a local socket, enough for `read_bounces`: they hold
a list of messages, serve them, and delete the ones marked."""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Store:
    def __init__(self, messages: list[bytes], user: str, password: str) -> None:
        self.messages: list[bytes | None] = list(messages)
        self.user, self.password = user, password
        self.logins: list[tuple[str, str]] = []

    @property
    def left(self) -> list[bytes]:
        return [m for m in self.messages if m is not None]


class _Handler(socketserver.StreamRequestHandler):
    store: Store

    def send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")


class POP3Handler(_Handler):
    def handle(self) -> None:
        self.send(b"+OK fake POP3")
        user = b""
        for raw in self.rfile:
            command, _, argument = raw.strip().partition(b" ")
            command = command.upper()
            if command == b"USER":
                user = argument
                self.send(b"+OK")
            elif command == b"PASS":
                self.store.logins.append((user.decode(), argument.decode()))
                ok = (user.decode(), argument.decode()) == (self.store.user, self.store.password)
                self.send(b"+OK" if ok else b"-ERR auth")
            elif command == b"STAT":
                self.send(b"+OK %d %d" % (len(self.store.messages), 100))
            elif command == b"RETR":
                message = self.store.messages[int(argument) - 1] or b""
                self.send(b"+OK")
                for line in message.split(b"\r\n"):
                    self.send(b"." + line if line.startswith(b".") else line)
                self.send(b".")
            elif command == b"DELE":
                self.store.messages[int(argument) - 1] = None
                self.send(b"+OK")
            elif command == b"QUIT":
                self.send(b"+OK bye")
                return
            else:
                self.send(b"-ERR unknown")


class IMAPHandler(_Handler):
    def handle(self) -> None:
        self.send(b"* OK [CAPABILITY IMAP4rev1] fake IMAP")
        deleted: set[int] = set()
        for raw in self.rfile:
            tag, _, rest = raw.strip().partition(b" ")
            command, _, argument = rest.partition(b" ")
            command = command.upper()
            if command == b"CAPABILITY":
                self.send(b"* CAPABILITY IMAP4rev1")
            elif command == b"LOGIN":
                user, password = (part.strip(b'"').decode() for part in argument.split(b" ", 1))
                self.store.logins.append((user, password))
                if (user, password) != (self.store.user, self.store.password):
                    self.send(tag + b" NO auth")
                    continue
            elif command == b"SELECT":
                self.send(b"* %d EXISTS" % len(self.store.messages))
            elif command == b"SEARCH":
                numbers = b" ".join(b"%d" % (i + 1) for i in range(len(self.store.messages)))
                self.send(b"* SEARCH " + numbers)
            elif command == b"FETCH":
                number = int(argument.split(b" ", 1)[0])
                message = self.store.messages[number - 1] or b""
                self.wfile.write(b"* %d FETCH (RFC822 {%d}\r\n" % (number, len(message)))
                self.wfile.write(message + b")\r\n")
            elif command == b"STORE":
                deleted.add(int(argument.split(b" ", 1)[0]))
            elif command == b"EXPUNGE":
                for number in deleted:
                    self.store.messages[number - 1] = None
            elif command == b"LOGOUT":
                self.send(b"* BYE")
                self.send(tag + b" OK LOGOUT completed")
                return
            self.send(tag + b" OK " + command + b" completed")


@contextmanager
def serving(handler: type[_Handler], store: Store) -> Iterator[int]:
    """Start the server on a free local port in a thread; yields the port."""
    bound = type("Bound", (handler,), {"store": store})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), bound)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
