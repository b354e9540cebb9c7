# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""nginx on loopback, as the integration tests (test_servers.py) and the
path examples (bench/path_examples.py) run it: one process, no daemon,
`location = /r` answers `return 200` with a body from memory (writev),
`/f/page.html` is a static file (sendfile when asked)."""
import os
import shutil
import subprocess

CONF = """daemon off; master_process off; worker_processes 1;
error_log stderr crit; pid %(d)s/nginx.pid;
events { worker_connections 64; }
http {
  access_log off; sendfile %(sendfile)s; tcp_nopush off;
  client_body_temp_path %(d)s/t1; proxy_temp_path %(d)s/t2;
  fastcgi_temp_path %(d)s/t3; uwsgi_temp_path %(d)s/t4; scgi_temp_path %(d)s/t5;
  server {
    listen 127.0.0.1:%(port)d;
    location = /r { return 200 "%(body)s"; }
    location /f/ { alias %(d)s/www/; }
  }
}
"""
RETURN_PATH = "/r"
FILE_PATH = "/f/page.html"


def exe():
    """nginx's path, or None when it is not installed."""
    p = shutil.which("nginx") or "/usr/sbin/nginx"
    return p if os.path.exists(p) else None


def start(d, port, sendfile, body=3072, stdout=subprocess.DEVNULL):
    """Writes the page and the configuration into directory d and starts
    nginx on 127.0.0.1:port (its stderr piped); None without nginx."""
    path = exe()
    if not path:
        return None
    os.makedirs(os.path.join(d, "www"), exist_ok=True)
    with open(os.path.join(d, "www", "page.html"), "w") as f:
        f.write("s" * body)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(CONF % {"d": d, "port": port, "body": "r" * body,
                        "sendfile": "on" if sendfile else "off"})
    return subprocess.Popen([path, "-e", "stderr", "-p", d, "-c", conf],
                            stdout=stdout, stderr=subprocess.PIPE, text=True)
