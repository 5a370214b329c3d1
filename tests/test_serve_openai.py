"""``skillrt serve``'s OpenAI-compatible API, with the official ``openai`` package as client."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import openai
import pytest
from runtime_helpers import assert_valid_mp4
from serve_helpers import SKILL, serve

pytestmark = pytest.mark.timeout(120)
KEY = "sk-test-one"


def test_models_and_chat_completions_through_the_openai_client(tmp_path: Path) -> None:
    """models list the skills; a completion, then a streamed one, continue one conversation
    (keyed by ``user``); progress shows as lines and the video as a link that plays."""
    with serve(tmp_path, keys=(KEY,)) as served:
        client = openai.OpenAI(base_url=f"{served.url}/v1", api_key=KEY, max_retries=0)
        models = {model.id for model in client.models.list()}
        assert SKILL in models

        first = client.chat.completions.create(
            model=SKILL,
            user="carol",
            messages=[
                {"role": "system", "content": "ignored: the service keeps the history"},
                {"role": "user", "content": "generate a 4-second video about rain"},
            ],
        )
        content = first.choices[0].message.content or ""
        assert first.choices[0].finish_reason == "stop"
        assert "rain" in content.lower()
        assert "⏳" in content  # progress as short lines

        stream = client.chat.completions.create(
            model=SKILL,
            user="carol",
            stream=True,
            messages=[
                {"role": "user", "content": "generate a 4-second video about rain"},
                {"role": "assistant", "content": content},
                {"role": "user", "content": "add upbeat background music"},
            ],
        )
        pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
        assert len([p for p in pieces if p]) > 1, "the answer came in one piece"
        assert "BGM" in "".join(pieces)

        exported = client.chat.completions.create(
            model=SKILL, user="carol", stream=True,
            messages=[{"role": "user", "content": "export the video"}],
        )  # fmt: skip
        streamed = "".join(c.choices[0].delta.content or "" for c in exported if c.choices)
        links = re.findall(r"\]\((http[^)]+/v1/files/[^)]+)\)", streamed)
        assert links, streamed
        video = httpx.get(links[-1], headers={"Authorization": f"Bearer {KEY}"})
        assert video.status_code == 200
        copy = tmp_path / "video.mp4"
        copy.write_bytes(video.content)
        assert_valid_mp4(copy)
        stats = served.stats()
        assert stats["messages_total"] == 2
        assert list(stats["messages_by_session"].values()) == [2], "not one conversation"

        raw = client.chat.completions.with_raw_response.create(
            model=SKILL, user="carol", messages=[{"role": "user", "content": "show the timeline"}]
        )
        carols = raw.headers["x-skillrt-conversation"]
        assert raw.headers["x-message-id"].startswith("msg_")
        other = httpx.post(
            f"{served.url}/v1/conversations", json={"skill": SKILL, "user": "carol"},
            headers={"Authorization": f"Bearer {KEY}"},
        ).json()["id"]  # fmt: skip
        assert other != carols
        named = client.chat.completions.with_raw_response.create(
            model=SKILL, user="carol", messages=[{"role": "user", "content": "hello"}],
            extra_headers={"X-Skillrt-Conversation": other},
        )  # fmt: skip
        assert named.headers["x-skillrt-conversation"] == other
        with pytest.raises(openai.NotFoundError):  # dave may not use carol's conversation
            client.chat.completions.create(
                model=SKILL, user="dave", messages=[{"role": "user", "content": "hello"}],
                extra_headers={"X-Skillrt-Conversation": other},
            )  # fmt: skip
        with pytest.raises(openai.BadRequestError):  # a conversation with another skill
            client.chat.completions.create(
                model="caption-ab", user="carol", messages=[{"role": "user", "content": "hi"}],
                extra_headers={"X-Skillrt-Conversation": other},
            )  # fmt: skip

        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(
                base_url=f"{served.url}/v1", api_key="sk-wrong", max_retries=0
            ).models.list()
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(
                model="no-such-skill", messages=[{"role": "user", "content": "hi"}]
            )
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(
                model=SKILL, messages=[{"role": "assistant", "content": "no user message"}]
            )
