"""Read by gunicorn from the working directory (`make serve`, the benchmarks)."""

# gunicorn's own limit would answer a long request line with its HTML 414; the app answers it
# (config.middleware.HostileInputMiddleware: JSON under /api/). A proxy in front bounds it too.
limit_request_line = 0
