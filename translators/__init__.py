"""Turn what the backend says into what the user sees and what the runtime does (pure)."""

__all__: list[str] = []
