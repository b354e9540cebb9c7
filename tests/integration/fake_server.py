# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Misbehaving HTTP servers on a free loopback port, for fault tests.
Every socket has a timeout and every thread is a daemon, so nothing here
can hang a test. Usage: with FakeServer("garbage") as s: ... s.target"""
import socket
import struct
import threading

TIMEOUT = 3.0
BODY = b"x" * 3072


def _head(length, extra=b""):
    return (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n" % length) + extra + b"\r\n"


def _ok(conn):
    conn.sendall(_head(len(BODY)) + BODY)
    return True


def _garbage(conn):
    conn.sendall(b"\x00\xffNOT HTTP AT ALL\r\n\r\n" + bytes(range(256)))
    return True


def _close_mid(conn):
    conn.sendall(_head(len(BODY)) + BODY[:100])
    return False


def _short_len(conn):
    # Content-Length says 10, 3072 body bytes follow: the rest is garbage.
    conn.sendall(_head(10) + BODY)
    return True


def _long_len(conn):
    # Content-Length promises more than ever comes; the connection stays.
    conn.sendall(_head(len(BODY) + 1000) + BODY)
    return True


def _reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    return False


def _bad_chunk(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"zz\r\nhello\r\n0\r\n\r\n")
    return True


# Hostile peers: responses that never end, or answers nobody asked for.
# Each loop ends when the client goes away (a send fails) or after LIMIT s.
LIMIT = 30.0


def _stream(conn, first, more):
    import time
    end = time.monotonic() + LIMIT
    conn.sendall(first)
    while time.monotonic() < end:
        conn.sendall(more)
    return False


def _huge_len(conn):
    # Content-Length 10^15, the body streamed as fast as it goes.
    return _stream(conn, _head(10 ** 15), b"y" * 65536)


def _endless_chunked(conn):
    return _stream(conn, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                   b"8000\r\n" + b"z" * 0x8000 + b"\r\n")


def _drip(conn):
    # One byte of a 1000-byte body every 100 ms: the idle clock never fires.
    import time
    end = time.monotonic() + LIMIT
    conn.sendall(_head(1000))
    while time.monotonic() < end:
        conn.sendall(b"d")
        time.sleep(0.1)
    return False


def _double(conn):
    # Every request answered twice.
    conn.sendall(_head(len(BODY)) + BODY)
    conn.sendall(_head(len(BODY)) + BODY)
    return True


MODES = {"ok": _ok, "garbage": _garbage, "close_mid": _close_mid, "short_len": _short_len,
         "long_len": _long_len, "reset": _reset, "bad_chunk": _bad_chunk,
         "huge_len": _huge_len, "endless_chunked": _endless_chunked, "drip": _drip,
         "double": _double}


class FakeServer:
    """Answers every HTTP request on every connection with MODES[mode];
    a handler returning False closes the connection after its request."""

    def __init__(self, mode):
        self.handler = MODES[mode]
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(128)
        self.lsock.settimeout(0.1)
        self.port = self.lsock.getsockname()[1]
        self.stopping = False
        self.requests = 0
        self.lock = threading.Lock()
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def target(self):
        return "127.0.0.1:%d" % self.port

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.lsock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(TIMEOUT)
            with self.lock:
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            while not self.stopping:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                _, buf = buf.split(b"\r\n\r\n", 1)
                with self.lock:
                    self.requests += 1
                if not self.handler(conn):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def stop(self):
        self.stopping = True
        self.lsock.close()
        self.thread.join(2)
        with self.lock:
            for c in self.conns:
                try:
                    c.close()
                except OSError:
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
