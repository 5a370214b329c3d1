"""``skillrt serve``: the runtime as an HTTP service (see docs/serve.md)."""
