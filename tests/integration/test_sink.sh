#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# `reqperf sink` from the outside: answers, pipelining, error responses,
# echo mode, a port in use, a clean stop on SIGTERM. Python (stdlib socket,
# every socket with a timeout) plays the client.
# Usage: test_sink.sh path/to/reqperf. Prints "ok - NAME" / "not ok - NAME";
# exits non-zero when any check failed. Every wait is bounded.
set -u

BIN=${1:?usage: test_sink.sh path/to/reqperf}
TMP=$(mktemp -d)
PIDS=""
FAILS=0

cleanup() {
	for p in $PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {
	echo "ok - $1"
}

not_ok() {
	echo "not ok - $1"
	FAILS=$((FAILS + 1))
}

# check NAME COMMAND...: one test line from a command's status.
check() {
	name=$1
	shift
	if "$@" >"$TMP/why" 2>&1; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/#   /' "$TMP/why"
	fi
}

cat >"$TMP/client.py" <<'EOF'
import socket, sys, time, zlib

TIMEOUT = 3.0
BODY = ("\u00aa" * 1536).encode()


def conn(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


class Reader:
    def __init__(self, s):
        self.s, self.buf = s, b""

    def fill(self):
        data = self.s.recv(65536)
        if not data:
            raise EOFError("connection closed")
        self.buf += data

    def response(self, head_only=False):
        while b"\r\n\r\n" not in self.buf:
            self.fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        hdr = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            hdr[k.strip().lower()] = v.strip()
        n = 0 if head_only else int(hdr["content-length"])
        while len(self.buf) < n:
            self.fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, hdr, body

    def eof(self):
        """True when the peer closes with nothing more to read."""
        try:
            while True:
                data = self.s.recv(65536)
                if not data:
                    return not self.buf
                self.buf += data
        except socket.timeout:
            return False


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def check_ok(status, hdr, body, seq):
    expect(status == 200, "status %d" % status)
    expect(hdr.get("content-length") == "3072", "content-length %s" % hdr.get("content-length"))
    expect(body == BODY, "body differs from 1536 x U+00AA")
    crc = "%08x" % zlib.crc32(body)
    expect(hdr.get("x-body-crc32") == crc, "x-body-crc32 %s, body %s" % (hdr.get("x-body-crc32"), crc))
    expect(int(hdr.get("x-seq", "-1")) == seq, "x-seq %s, want %d" % (hdr.get("x-seq"), seq))


def get(port):
    s = conn(port)
    r = Reader(s)
    for seq in (0, 1):
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        check_ok(*r.response(), seq)


def pipeline(port):
    s = conn(port)
    r = Reader(s)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 10)
    for seq in range(10):
        check_ok(*r.response(), seq)


def closes_with(port, request, code):
    s = conn(port)
    r = Reader(s)
    s.sendall(request)
    status, hdr, _ = r.response()
    expect(status == code, "status %d, want %d" % (status, code))
    expect(hdr.get("connection", "").lower() == "close", "no Connection: close")
    expect(r.eof(), "connection not closed after %d" % code)


def bad(port):
    closes_with(port, b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400)


def too_large(port):
    block = b"GET / HTTP/1.1\r\nX-Big: " + b"a" * (9000 - 27) + b"\r\n\r\n"
    expect(len(block) == 9000, "block is %d bytes" % len(block))
    closes_with(port, block, 431)


def head(port):
    s = conn(port)
    r = Reader(s)
    s.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    status, hdr, _ = r.response(head_only=True)
    expect(status == 200 and hdr.get("content-length") == "3072", "HEAD head")
    # a body would show up in front of the next response
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    check_ok(*r.response(), 1)


def echo_byte(msg, off):
    return ((msg * 131 + off * 7 + (off >> 8)) ^ 0x5A) & 0xFF


def echo(port, size, count, corrupt):
    s = conn(port)
    data = bytearray()
    for m in range(count):
        data += bytes(echo_byte(m, off) for off in range(size))
    if corrupt:
        data[size + 3] ^= 0xFF  # message 1
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        chunk = s.recv(65536)
        expect(chunk, "closed after %d of %d bytes" % (len(got), len(data)))
        got += chunk
    expect(got == bytes(data), "echoed bytes differ")
    s.close()


def wait_port(port):
    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nothing listens on %d after 5 s" % port)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])


if __name__ == "__main__":
    cmd, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    if cmd == "free_port":
        free_port()
    else:
        globals()[cmd](*args)
EOF

client() {
	python3 "$TMP/client.py" "$@"
}

# item FILE LABEL: the value of "LABEL N" in FILE's "sink: " summary or,
# with a third argument "echo: ", in that line (harness.summary_items).
HERE=$(cd "$(dirname "$0")" && pwd)
item() {
	python3 -c 'import sys
sys.path.insert(0, sys.argv[1])
from harness import summary_items
print(summary_items(open(sys.argv[2]).read(), *sys.argv[4:]).get(sys.argv[3], ""))' \
		"$HERE" "$@"
}

# alive PID: running (a zombie, exited but not yet reaped, is not).
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# start NAME ARGS...: reqperf sink ARGS in the background, stdout and
# stderr in $TMP/NAME.out and .err; sets PID.
start() {
	name=$1
	shift
	"$BIN" sink "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PID=$!
	PIDS="$PIDS $PID"
}

# exits_within PID TENTHS: wait up to TENTHS/10 s for PID to exit; sets RC.
exits_within() {
	i=0
	while alive "$1"; do
		i=$((i + 1))
		if [ "$i" -gt "$2" ]; then
			RC=timeout
			return 1
		fi
		sleep 0.1
	done
	wait "$1"
	RC=$?
}

# stop_within PID TENTHS: SIGTERM, then exits_within.
stop_within() {
	kill -TERM "$1" 2>/dev/null
	exits_within "$1" "$2"
}

# ---- HTTP, quiet ----
PORT=$(client free_port)
start http --listen "127.0.0.1:$PORT" --quiet --threads 2
if client wait_port "$PORT" >"$TMP/why" 2>&1; then
	ok "sink starts"
else
	not_ok "sink starts"
	cat "$TMP/why" "$TMP/http.err"
	exit 1
fi
HTTP_PID=$PID
check "GET / twice on one connection: 200, body, crc, seq 0 then 1" client get "$PORT"
check "10 pipelined requests in one send: seq 0..9" client pipeline "$PORT"
check "malformed request: 400 and close" client bad "$PORT"
check "9000-byte header block: 431 and close" client too_large "$PORT"
check "HEAD: head only" client head "$PORT"

# a second sink on the same port must refuse, not share it
start busy --listen "127.0.0.1:$PORT" --quiet
if exits_within "$PID" 30 && [ "$RC" = 1 ] &&
	grep -q "^sink: cannot listen on 127.0.0.1:$PORT: Address already in use$" "$TMP/busy.err"; then
	ok "port in use: exit 1 with a message"
else
	not_ok "port in use: exit 1 with a message (rc $RC)"
	sed 's/^/#   /' "$TMP/busy.err"
fi

if stop_within "$HTTP_PID" 20 && [ "$RC" = 0 ] && [ ! -s "$TMP/http.out" ]; then
	ok "quiet sink stops on SIGTERM, prints nothing"
else
	not_ok "quiet sink stops on SIGTERM, prints nothing (rc $RC)"
fi

# ---- echo, with summary ----
PORT=$(client free_port)
start echo --listen "127.0.0.1:$PORT" --echo 1000
client wait_port "$PORT" >/dev/null 2>&1
check "echo: 5 messages echoed intact" client echo "$PORT" 1000 5 0
check "echo: a corrupted message is echoed unchanged" client echo "$PORT" 1000 3 1
stop_within "$PID" 20
if [ "$RC" = 0 ] && [ "$(item "$TMP/echo.out" messages "echo: ")" = 8 ] &&
	[ "$(item "$TMP/echo.out" corrupt "echo: ")" = 1 ] &&
	[ "$(item "$TMP/echo.out" "bytes in")" = 8000 ] &&
	[ "$(item "$TMP/echo.out" "bytes out")" = 8000 ]; then
	ok "echo: summary counts 8 messages, 1 corrupt, 8000 bytes each way"
else
	not_ok "echo: summary counts 8 messages, 1 corrupt, 8000 bytes each way (rc $RC)"
	sed 's/^/#   /' "$TMP/echo.out" "$TMP/echo.err"
fi

# ---- SIGTERM with summary ----
PORT=$(client free_port)
start term --listen "127.0.0.1:$PORT"
client wait_port "$PORT" >/dev/null 2>&1
client get "$PORT" >/dev/null 2>&1
if stop_within "$PID" 10 && [ "$RC" = 0 ] &&
	grep -q "^listening on 127.0.0.1:$PORT (1 thread, body 3072 bytes)$" "$TMP/term.out" &&
	[ "$(item "$TMP/term.out" requests)" = 2 ] && [ "$(item "$TMP/term.out" responses)" = 2 ] &&
	[ "$(item "$TMP/term.out" connections)" = 2 ]; then
	ok "SIGTERM: exit 0 within 1 s with the summary"
else
	not_ok "SIGTERM: exit 0 within 1 s with the summary (rc $RC)"
	sed 's/^/#   /' "$TMP/term.out" "$TMP/term.err"
fi

[ "$FAILS" -eq 0 ]
