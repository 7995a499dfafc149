"""gunicorn's configuration for serving CarerTrack in production (docs/production.md).

    CARERTRACK_CONFIG=production gunicorn -c carertrack/gunicorn_conf.py wsgi:app

Run from the repository root with the same environment as `flask` (gunicorn does not read `.env`).
Two variables tune it without editing this file:

- ``CARERTRACK_BIND``: the address to listen on, default ``127.0.0.1:8000`` (behind a TLS proxy).
- ``WEB_CONCURRENCY``: the number of worker processes, default 2 per CPU plus 1 (gunicorn's own
  advice). Each (sync) worker serves one request at a time and keeps its own database connection.

Anything set on the command line wins over this file, e.g. ``--workers 4 --bind 0.0.0.0:8000``.
The web workers only serve pages: the one scheduler process (`flask scheduler run`) sends reminders,
and migrations (`flask db upgrade`) are a deployment step, never run here.
"""

from __future__ import annotations

import os

wsgi_app = "wsgi:app"
bind = [os.environ.get("CARERTRACK_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 * (os.cpu_count() or 1) + 1))

# Each worker imports wsgi.py and builds its own app and database pool after the fork, so no
# database connection is ever shared between processes.
preload_app = False

# A request that takes longer than this is killed (and logged); SIGTERM lets requests in flight finish
# for up to graceful_timeout seconds, so a deployment stops within seconds.
timeout = 30
graceful_timeout = 20
keepalive = 5

# gunicorn 27 opens a control socket in ~/.gunicorn by default; two servers on one machine (a test
# run beside a real one) would fight over it, and nothing here uses it.
control_socket_disable = True

# Logs go to stderr for the process manager. The access log leaves out query strings: searches and
# filters can hold people's names.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# X-Forwarded-Proto from the TLS proxy is trusted only from these addresses (gunicorn's default is the
# local machine: set FORWARDED_ALLOW_IPS to the proxy's address when it runs elsewhere).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
