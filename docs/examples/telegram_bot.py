"""A Telegram bot that hands each chat to `skillrt serve` (docs/serve.md, "Chat bots").

Run: SKILLRT_URL=http://127.0.0.1:8080 SKILLRT_API_KEY=... TELEGRAM_TOKEN=... python telegram_bot.py
"""

import json
import os

import httpx
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

SERVE = httpx.AsyncClient(
    base_url=os.environ.get("SKILLRT_URL", "http://127.0.0.1:8080"),
    headers={"Authorization": f"Bearer {os.environ.get('SKILLRT_API_KEY', '')}"},
    timeout=httpx.Timeout(30, read=None),  # a render streams progress for minutes
)
conversations: dict[int, str] = {}  # Telegram chat id -> skillrt conversation id


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    chat = message.chat_id
    if chat not in conversations:
        body = {"skill": "free-generation-maker", "user": f"telegram-{chat}"}
        conversations[chat] = (await SERVE.post("/v1/conversations", json=body)).json()["id"]
    path = f"/v1/conversations/{conversations[chat]}/messages"
    async with SERVE.stream("POST", path, json={"text": message.text}) as events:
        async for line in events.aiter_lines():
            event = json.loads(line[5:]) if line.startswith("data:") else {}
            if event.get("type") == "text" and not event.get("partial"):
                await message.reply_text(event["text"])
            elif event.get("type") == "media":
                await message.reply_video((await SERVE.get(event["url"])).content)
            elif event.get("type") == "error":
                await message.reply_text(f"{event['message']} {event.get('hint', '')}")


if __name__ == "__main__":
    app = Application.builder().token(os.environ["TELEGRAM_TOKEN"]).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.run_polling()
