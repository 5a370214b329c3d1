"""skillrt: a deterministic runtime for conversational video skills.

The packages a user imports:

- ``skillrt.runtime``     loads skills and runs conversations against the backend;
- ``skillrt.router``      decides what a chat message asks for (pure);
- ``skillrt.translators`` turns the backend's GUI talk into actions and words (pure);
- ``skillrt.emulator``    a local NemoVideo-compatible backend for demos and tests.
"""

from skillrt.errors import SkillrtError

__version__ = "0.1.0"

__all__ = ["SkillrtError", "__version__"]
