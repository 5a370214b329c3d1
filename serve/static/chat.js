// skillrt web chat: plain JavaScript, no build step, nothing loaded from elsewhere.
// It talks to skillrt serve's own API: GET /v1/skills, POST /v1/conversations,
// POST /v1/conversations/{id}/messages (JSON, or multipart with upload progress) answered
// with an SSE stream, and GET .../messages/{mid}/events with Last-Event-ID to resume it.
"use strict";

// Every string the page shows, in both languages (same keys).
const STRINGS = {
  en: {
    title: "skillrt chat",
    skill_label: "Skill",
    key_label: "API key",
    key_placeholder: "not needed on this computer",
    key_help: "Kept in this tab only.",
    new_chat: "New chat",
    log_label: "Conversation",
    file_label: "Attach a file",
    upload_label: "Upload",
    message_label: "Message",
    message_placeholder: "Describe the video you want…",
    send_help: "Enter sends, Shift+Enter adds a line.",
    send: "Send",
    attached: "Attached: {name}",
    uploading: "Uploading {percent}%",
    working: "Still working…",
    reconnecting: "Connection lost, reconnecting…",
    stream_lost: "The connection was lost. The message is still being handled on the server; send anything to see where it is.",
    download: "Download the video",
    video_label: "The finished video",
    no_skills: "No skills are available.",
    need_key: "This server needs an API key: enter it above.",
    failed: "Request failed: {detail}",
    empty: "Type a message or attach a file.",
    ready: "Ready.",
    loading: "Loading skills…",
  },
  zh: {
    title: "skillrt 对话",
    skill_label: "技能",
    key_label: "API 密钥",
    key_placeholder: "本机使用无需填写",
    key_help: "仅保存在此标签页中。",
    new_chat: "新对话",
    log_label: "对话记录",
    file_label: "附加文件",
    upload_label: "上传进度",
    message_label: "消息",
    message_placeholder: "描述你想要的视频……",
    send_help: "Enter 发送，Shift+Enter 换行。",
    send: "发送",
    attached: "附件：{name}",
    uploading: "正在上传 {percent}%",
    working: "仍在处理……",
    reconnecting: "连接中断，正在重连……",
    stream_lost: "连接已中断。服务器仍在处理这条消息；再发送任意内容即可查看进度。",
    download: "下载视频",
    video_label: "完成的视频",
    no_skills: "没有可用的技能。",
    need_key: "此服务器需要 API 密钥：请在上方填写。",
    failed: "请求失败：{detail}",
    empty: "请输入消息或附加文件。",
    ready: "就绪。",
    loading: "正在加载技能……",
  },
};

const LANG = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
const KEY_STORAGE = "skillrt.apiKey";
const USER_STORAGE = "skillrt.user";
const RESUME_ATTEMPTS = 5;

function t(key, vars) {
  const text = STRINGS[LANG][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars?.[name] ?? ""));
}

const $ = (id) => document.getElementById(id);
const ui = {
  skill: $("skill"), key: $("api-key"), newChat: $("new-chat"), status: $("status"),
  log: $("log"), form: $("composer"), file: $("file"), upload: $("upload"),
  message: $("message"), send: $("send"),
};
const state = { conversationId: null, busy: false };

function applyLanguage() {
  document.documentElement.lang = LANG === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
}

function endUser() {
  let user = localStorage.getItem(USER_STORAGE);
  if (!user) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    user = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(USER_STORAGE, user);
  }
  return user;
}

// Every request names the end user (the service keys conversations and files by it) and,
// when one was given, carries the API key.
function authHeaders() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const headers = { "X-Skillrt-User": endUser() };
  if (key) headers.Authorization = "Bearer " + key;
  return headers;
}

function setStatus(text) {
  ui.status.textContent = text;
}

// Only http(s) links and media from an event reach the page (never javascript: or data:).
function safeUrl(raw) {
  try {
    const url = new URL(raw, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

async function problemText(response) {
  if (response.status === 401) return t("need_key");
  try {
    const body = await response.json();
    return t("failed", { detail: body.detail || body.title || response.status });
  } catch {
    return t("failed", { detail: response.status + " " + response.statusText });
  }
}

async function loadSkills() {
  setStatus(t("loading"));
  const response = await fetch("v1/skills", { headers: authHeaders() });
  if (!response.ok) {
    setStatus(await problemText(response));
    return;
  }
  const skills = await response.json();
  const chosen = ui.skill.value;
  ui.skill.replaceChildren();
  for (const skill of skills) {
    const option = document.createElement("option");
    option.value = skill.name;
    option.textContent = skill.display_name || skill.name;
    option.title = skill.description || "";
    ui.skill.append(option);
  }
  if (chosen && [...ui.skill.options].some((o) => o.value === chosen)) ui.skill.value = chosen;
  setStatus(ui.skill.options.length ? t("ready") : t("no_skills"));
}

async function ensureConversation() {
  if (state.conversationId) return state.conversationId;
  const response = await fetch("v1/conversations", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...authHeaders() },
    body: JSON.stringify({ skill: ui.skill.value, user: endUser() }),
  });
  if (!response.ok) throw new Error(await problemText(response));
  state.conversationId = (await response.json()).id;
  return state.conversationId;
}

// --- the SSE stream -------------------------------------------------------------------

// Incremental text/event-stream parser: push() text as it arrives, frames come out whole.
class SseParser {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.buffer = "";
    this.id = null;
    this.data = [];
  }
  push(chunk) {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }
  line(line) {
    if (line === "") {
      if (this.data.length) this.onFrame({ id: this.id, data: this.data.join("\n") });
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return; // keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "id") this.id = value;
  }
}

// What one message shows: its reply bubble (replaced while partial), its progress bars.
class MessageView {
  constructor() {
    this.messageId = null;
    this.lastEventId = null;
    this.seen = new Set();
    this.reply = null;
    this.bars = new Map();
    this.finished = false;
  }

  frame(frame) {
    if (frame.id !== null) {
      if (this.seen.has(frame.id)) return; // already shown before a reconnect
      this.seen.add(frame.id);
      this.lastEventId = frame.id;
    }
    let event;
    try {
      event = JSON.parse(frame.data);
    } catch {
      return;
    }
    // The first event names the message: {"type": "message", "id": …}.
    if (event.type === "message" && event.id && !this.messageId) this.messageId = event.id;
    const show = {
      progress: () => this.progress(event),
      text: () => this.text(event),
      media: () => this.media(event),
      link: () => this.link(event),
      error: () => this.error(event),
      done: () => this.done(),
    }[event.type];
    if (show) show();
  }

  progress(event) {
    let row = this.bars.get(event.stage);
    if (!row) {
      const item = bubble("progress " + event.stage);
      const label = document.createElement("span");
      const bar = document.createElement("progress");
      bar.max = 100;
      item.append(label, bar);
      row = { item, label, bar };
      this.bars.set(event.stage, row);
    }
    row.label.textContent = event.message || t("working");
    row.bar.setAttribute("aria-label", event.message || t("working"));
    let percent = event.percent;
    if (percent == null && event.total) percent = (100 * (event.done || 0)) / event.total;
    if (percent == null) row.bar.removeAttribute("value"); // indeterminate: still working
    else row.bar.value = Math.max(0, Math.min(100, percent));
    if (event.stage === "working") {
      // "Still working" belongs under the newest words, not where the wait began.
      if (row.item !== ui.log.lastElementChild) ui.log.append(row.item);
      setStatus(event.message || t("working"));
    }
  }

  text(event) {
    if (event.kind === "reply" || event.kind === undefined) {
      if (!this.reply) this.reply = bubble("bot reply");
      this.reply.textContent = event.text;
      if (event.partial) {
        this.reply.setAttribute("aria-busy", "true");
      } else {
        this.reply.removeAttribute("aria-busy");
        this.reply = null;
      }
      return;
    }
    bubble("bot " + event.kind).textContent = event.text;
  }

  media(event) {
    const item = bubble("bot media");
    if (event.message) {
      const words = document.createElement("p");
      words.textContent = event.message;
      item.append(words);
    }
    const src = safeUrl(event.url || "");
    if (!src) return;
    const video = document.createElement("video");
    video.controls = true;
    video.preload = "auto";
    video.setAttribute("aria-label", t("video_label"));
    const link = document.createElement("a");
    link.textContent = t("download");
    link.download = "";
    item.append(video, link);
    if (sessionStorage.getItem(KEY_STORAGE)) {
      // A <video> cannot send the key: fetch the file with it and play it from memory.
      fetch(src, { headers: authHeaders() })
        .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))))
        .then((blob) => {
          const local = URL.createObjectURL(blob);
          video.src = local;
          link.href = local;
        })
        .catch((err) => this.error({ message: t("failed", { detail: err.message }) }));
    } else {
      video.src = src;
      link.href = src;
    }
  }

  link(event) {
    const href = safeUrl(event.url);
    if (!href) return;
    const item = bubble("bot link");
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    anchor.textContent = event.message || href;
    item.append(anchor);
  }

  error(event) {
    const item = bubble("bot error");
    item.setAttribute("role", "alert");
    item.textContent = event.hint ? event.message + "\n" + event.hint : event.message;
  }

  done() {
    this.finished = true;
    const working = this.bars.get("working");
    if (working) working.item.remove();
    this.bars.delete("working");
    if (this.reply) this.reply.removeAttribute("aria-busy");
  }
}

function bubble(kind) {
  const item = document.createElement("li");
  item.className = kind;
  ui.log.append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

async function readStream(response, view) {
  const parser = new SseParser((frame) => view.frame(frame));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode() + "\n\n");
  } catch {
    // The stream broke: resume() picks it up from the last event seen.
  }
}

function postJson(conversationId, text, view) {
  return fetch(`v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...authHeaders() },
    body: JSON.stringify({ text }),
  }).then(async (response) => {
    if (!response.ok) throw new Error(await problemText(response));
    view.messageId = response.headers.get("X-Message-Id") || view.messageId;
    await readStream(response, view);
  });
}

// A multipart upload goes through XMLHttpRequest: it is what reports upload progress.
function postMultipart(conversationId, text, file, view) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const parser = new SseParser((frame) => view.frame(frame));
    let read = 0;
    const feed = () => {
      if (xhr.status < 200 || xhr.status >= 300) return;
      view.messageId = xhr.getResponseHeader("X-Message-Id") || view.messageId;
      parser.push(xhr.responseText.slice(read));
      read = xhr.responseText.length;
    };
    xhr.open("POST", `v1/conversations/${encodeURIComponent(conversationId)}/messages`);
    xhr.setRequestHeader("Accept", "text/event-stream");
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    ui.upload.hidden = false;
    ui.upload.value = 0;
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((100 * e.loaded) / e.total);
      ui.upload.value = percent;
      setStatus(t("uploading", { percent }));
    };
    xhr.upload.onload = () => {
      ui.upload.value = 100;
    };
    xhr.onprogress = feed;
    xhr.onload = () => {
      ui.upload.hidden = true;
      if (xhr.status >= 200 && xhr.status < 300) {
        feed();
        parser.push("\n\n");
        resolve();
        return;
      }
      const response = new Response(xhr.responseText, {
        status: xhr.status, statusText: xhr.statusText,
      });
      problemText(response).then((text) => reject(new Error(text)));
    };
    xhr.onerror = () => {
      ui.upload.hidden = true;
      feed();
      resolve(); // the request may have arrived: resume() asks the server
    };
    const form = new FormData();
    form.append("text", text);
    form.append("files", file, file.name);
    xhr.send(form);
  });
}

// The stream ended before its done event: fetch the rest (after Last-Event-ID), never
// sending the message again.
async function resume(conversationId, view) {
  for (let attempt = 0; attempt < RESUME_ATTEMPTS && !view.finished; attempt++) {
    if (!view.messageId) break;
    setStatus(t("reconnecting"));
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    const headers = { Accept: "text/event-stream", ...authHeaders() };
    if (view.lastEventId !== null) headers["Last-Event-ID"] = view.lastEventId;
    try {
      const response = await fetch(
        `v1/conversations/${encodeURIComponent(conversationId)}` +
          `/messages/${encodeURIComponent(view.messageId)}/events`,
        { headers },
      );
      if (response.ok) await readStream(response, view);
    } catch {
      // try again after a longer pause
    }
  }
  if (!view.finished) view.error({ message: t("stream_lost") });
}

async function sendMessage() {
  if (state.busy) return;
  const text = ui.message.value.trim();
  const file = ui.file.files[0] || null;
  if (!text && !file) {
    setStatus(t("empty"));
    return;
  }
  state.busy = true;
  ui.send.disabled = true;
  const mine = bubble("user");
  mine.textContent = [text, file ? t("attached", { name: file.name }) : ""].filter(Boolean).join("\n");
  ui.message.value = "";
  ui.file.value = "";
  setStatus(t("working"));
  const view = new MessageView();
  try {
    const conversationId = await ensureConversation();
    if (file) await postMultipart(conversationId, text, file, view);
    else await postJson(conversationId, text, view);
    if (!view.finished) await resume(conversationId, view);
    setStatus(t("ready"));
  } catch (err) {
    view.error({ message: err.message });
    setStatus("");
  } finally {
    state.busy = false;
    ui.send.disabled = false;
    ui.message.focus();
  }
}

function newChat() {
  state.conversationId = null;
  ui.log.replaceChildren();
  setStatus(t("ready"));
}

function start() {
  applyLanguage();
  ui.key.value = sessionStorage.getItem(KEY_STORAGE) || "";
  ui.key.addEventListener("change", () => {
    const key = ui.key.value.trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
    loadSkills();
  });
  ui.skill.addEventListener("change", newChat);
  ui.newChat.addEventListener("click", newChat);
  ui.form.addEventListener("submit", (e) => {
    e.preventDefault();
    sendMessage();
  });
  ui.message.addEventListener("keydown", (e) => {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME word is neither.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendMessage();
    }
  });
  loadSkills();
}

start();
