"""A Discord bot that hands each channel to `skillrt serve` (docs/serve.md, "Chat bots").

Run: SKILLRT_URL=http://127.0.0.1:8080 SKILLRT_API_KEY=... DISCORD_TOKEN=... python discord_bot.py
"""

import io
import json
import os

import discord
import httpx

SERVE = httpx.AsyncClient(
    base_url=os.environ.get("SKILLRT_URL", "http://127.0.0.1:8080"),
    headers={"Authorization": f"Bearer {os.environ.get('SKILLRT_API_KEY', '')}"},
    timeout=httpx.Timeout(30, read=None),  # a render streams progress for minutes
)
intents = discord.Intents.default()
intents.message_content = True
bot = discord.Client(intents=intents)
conversations: dict[int, str] = {}  # Discord channel id -> skillrt conversation id


@bot.event
async def on_message(message: discord.Message) -> None:
    if message.author.bot or not message.content:
        return
    channel = message.channel.id
    if channel not in conversations:
        body = {"skill": "free-generation-maker", "user": f"discord-{channel}"}
        conversations[channel] = (await SERVE.post("/v1/conversations", json=body)).json()["id"]
    path = f"/v1/conversations/{conversations[channel]}/messages"
    async with SERVE.stream("POST", path, json={"text": message.content}) as events:
        async for line in events.aiter_lines():
            event = json.loads(line[5:]) if line.startswith("data:") else {}
            if event.get("type") == "text" and not event.get("partial"):
                await message.reply(event["text"])
            elif event.get("type") == "media":
                video = (await SERVE.get(event["url"])).content
                await message.reply(file=discord.File(io.BytesIO(video), "video.mp4"))
            elif event.get("type") == "error":
                await message.reply(f"{event['message']} {event.get('hint', '')}")


if __name__ == "__main__":
    bot.run(os.environ["DISCORD_TOKEN"])
