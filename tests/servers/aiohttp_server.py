# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""An aiohttp server shaped like the seed's http_netstat.py: every response
is written in two writes, the header block and then the body. Listens on
127.0.0.1:0 and writes the port to argv[1]; argv[2] is the body size."""
import asyncio
import sys

from aiohttp import web

BODY = b"a" * (int(sys.argv[2]) if len(sys.argv) > 2 else 3072)


async def handle(request):
    resp = web.StreamResponse(status=200)
    resp.content_length = len(BODY)
    await resp.prepare(request)  # first write: the headers
    await resp.write(BODY)  # second write: the body
    await resp.write_eof()
    return resp


async def main():
    app = web.Application()
    app.router.add_get("/", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    with open(sys.argv[1], "w") as f:
        f.write("%d\n" % port)
    await asyncio.Event().wait()


asyncio.run(main())
