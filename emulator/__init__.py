"""A local NemoVideo-compatible backend for demos and tests."""

__all__: list[str] = []
