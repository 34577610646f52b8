// The live room: chat, presence and reactions over the room's websocket; the watch party
// and the voice room plug into the same socket. Without this script the page still reads
// and posts through forms.
import { Watch } from "./watch.js";
import { Voice } from "./voice.js";

const root = document.querySelector(".live-room");
const list = document.getElementById("live-messages");
const form = document.getElementById("chat-form");
const textarea = form.querySelector("textarea");
const status = document.getElementById("live-status");
const errorBox = document.getElementById("chat-error");
const presentList = document.getElementById("live-present");
const text = root.dataset;
const me = Number(root.dataset.me);
const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

let socket = null;
let lastId = 0;
let retry = 1000;
let clockOffset = 0; // server time minus local time, in seconds
let lastSent = "";
let closedForGood = false;
const present = new Map();

for (const item of list.querySelectorAll(".live-message")) {
  lastId = Math.max(lastId, Number(item.dataset.id));
}

export function serverNow() {
  return Date.now() / 1000 + clockOffset;
}

function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

const watch = Watch.attach(document.getElementById("watch-video"), {
  send,
  serverNow,
  me,
  status: document.getElementById("watch-status"),
  hostLine: document.getElementById("watch-host"),
  text,
});
const voice = Voice.attach(document.getElementById("voice"), { send, text });

function button(label, className) {
  const element = document.createElement("button");
  element.type = "submit";
  element.className = className;
  element.textContent = label;
  return element;
}

function actionForm(action, fields, submit) {
  const element = document.createElement("form");
  element.method = "post";
  element.action = action;
  element.className = "inline-form";
  for (const [name, value] of Object.entries({ csrfmiddlewaretoken: csrf, ...fields })) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    element.append(input);
  }
  element.append(submit);
  return element;
}

function renderMessage(message) {
  const item = document.createElement("li");
  item.className = "live-message";
  item.id = `message-${message.id}`;
  item.dataset.id = message.id;
  item.dataset.author = message.author.id ?? "";
  const meta = document.createElement("p");
  meta.className = "live-message__meta";
  const who = document.createElement("strong");
  who.textContent = message.author.name;
  const when = document.createElement("time");
  when.dateTime = message.created_at;
  when.textContent = new Date(message.created_at).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
  });
  meta.append(who, " ", when);
  item.append(meta);
  if (message.deleted) {
    markDeleted(item);
    return item;
  }
  const body = document.createElement("div");
  body.className = "live-message__body";
  body.innerHTML = message.html; // escaped and rendered by the server
  const actions = document.createElement("div");
  actions.className = "live-message__actions";
  const base = `${location.pathname.replace(/\/$/, "")}/messages/${message.id}`;
  for (const emoji of ["👏", "❤️", "😂", "😮", "🎬"]) {
    const react = button(`${emoji} `, "link-button live-reaction");
    react.dataset.emoji = emoji;
    react.setAttribute("aria-label", `${emoji}`);
    const count = document.createElement("span");
    count.className = "live-reaction__count";
    react.append(count);
    actions.append(actionForm(`${base}/react/`, { emoji }, react));
  }
  if (root.dataset.moderator || message.author.id === me) {
    actions.append(actionForm(`${base}/delete/`, {}, button(text.textDelete, "link-button")));
  }
  if (root.dataset.moderator && message.author.id && message.author.id !== me) {
    const sanctions = location.pathname.replace(/\/$/, "") + "/sanctions/";
    actions.append(
      actionForm(
        sanctions,
        { member: message.author.id, action: "mute", minutes: 60 },
        button(text.textMute, "link-button"),
      ),
    );
  }
  item.append(body, actions);
  setReactions(item, message.reactions);
  return item;
}

function markDeleted(item) {
  item.classList.add("live-message--deleted");
  for (const part of item.querySelectorAll(".live-message__body, .live-message__actions")) {
    part.remove();
  }
  if (!item.querySelector(".live-message__gone")) {
    const gone = document.createElement("p");
    gone.className = "muted live-message__gone";
    gone.textContent = text.textDeleted;
    item.append(gone);
  }
}

function setReactions(item, counts) {
  for (const reaction of item.querySelectorAll(".live-reaction")) {
    const count = counts[reaction.dataset.emoji] || 0;
    reaction.querySelector(".live-reaction__count").textContent = count ? String(count) : "";
  }
}

function upsert(message) {
  list.querySelector(".live-empty")?.remove();
  const existing = document.getElementById(`message-${message.id}`);
  if (existing) {
    if (message.deleted) markDeleted(existing);
    else setReactions(existing, message.reactions);
    return;
  }
  const item = renderMessage(message);
  if (message.id > lastId) {
    list.append(item);
    lastId = message.id;
    item.scrollIntoView({ block: "nearest" });
    return;
  }
  const after = [...list.children].find((other) => Number(other.dataset.id) > message.id);
  list.insertBefore(item, after ?? null);
}

function showPresent() {
  presentList.replaceChildren(
    ...[...present.entries()].map(([id, name]) => {
      const item = document.createElement("li");
      item.dataset.member = id;
      item.textContent = name;
      return item;
    }),
  );
}

function showError(message) {
  errorBox.textContent = message;
}

const handlers = {
  welcome(frame) {
    clockOffset = frame.server_time - Date.now() / 1000;
    for (const message of frame.messages) upsert(message);
    present.clear();
    for (const member of frame.present) present.set(member.id, member.name);
    showPresent();
    status.textContent = text.textConnected;
    status.dataset.state = "connected";
    if (frame.muted) showError(text.textYouMuted);
    watch?.welcome(frame);
    voice?.welcome(frame);
  },
  message(frame) {
    upsert(frame.message);
  },
  deleted(frame) {
    const item = document.getElementById(`message-${frame.id}`);
    if (item) markDeleted(item);
  },
  reactions(frame) {
    const item = document.getElementById(`message-${frame.id}`);
    if (item) setReactions(item, frame.reactions);
  },
  presence(frame) {
    if (frame.joined) present.set(frame.joined.id, frame.joined.name);
    if (frame.left) present.delete(frame.left);
    showPresent();
  },
  sanction(frame) {
    if (frame.member !== me) return;
    if (frame.kind === "ban") {
      closedForGood = true;
      status.textContent = text.textBanned;
      form.hidden = true;
    } else {
      showError(text.textYouMuted);
    }
  },
  player(frame) {
    const video = document.getElementById("watch-video");
    if ((frame.player.url || "") !== (video?.getAttribute("src") || "")) {
      // A film was set, changed or removed: the page brings the right player.
      location.reload();
      return;
    }
    watch?.update(frame.player, frame.server_time);
  },
  voice(frame) {
    voice?.onVoice(frame);
  },
  signal(frame) {
    voice?.onSignal(frame);
  },
  pong(frame) {
    if (typeof frame.t !== "number") return;
    const now = Date.now() / 1000;
    const roundTrip = now - frame.t;
    clockOffset = frame.server_time - (frame.t + roundTrip / 2);
  },
  error(frame) {
    showError(frame.message);
    if (["rate_limited", "refused", "forbidden"].includes(frame.code) && !textarea.value) {
      textarea.value = lastSent;
    }
    voice?.onError(frame);
  },
};

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const since = lastId ? `?since=${lastId}` : "";
  socket = new WebSocket(`${scheme}://${location.host}${root.dataset.wsPath}${since}`);
  socket.addEventListener("open", () => {
    retry = 1000;
  });
  socket.addEventListener("message", (event) => {
    // One frame, or an array of them when the room is busy.
    const data = JSON.parse(event.data);
    for (const frame of Array.isArray(data) ? data : [data]) handlers[frame.type]?.(frame);
  });
  socket.addEventListener("close", (event) => {
    voice?.disconnected();
    if (event.code === 4403 || closedForGood) {
      status.textContent = text.textBanned;
      status.dataset.state = "closed";
      return;
    }
    status.textContent = text.textReconnecting;
    status.dataset.state = "reconnecting";
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  });
}

form.addEventListener("submit", (event) => {
  const body = textarea.value.trim();
  if (!body || !send({ type: "post", body })) return; // no socket: the form posts
  event.preventDefault();
  lastSent = body;
  textarea.value = "";
  showError("");
});

textarea.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

list.addEventListener("submit", (event) => {
  const target = event.target;
  const item = target.closest(".live-message");
  if (!item) return;
  const id = Number(item.dataset.id);
  let frame = null;
  if (target.action.endsWith("/react/")) {
    frame = { type: "react", message: id, emoji: target.elements.emoji.value };
  } else if (target.action.endsWith("/delete/")) {
    frame = { type: "delete", message: id };
  } else if (target.action.endsWith("/sanctions/")) {
    frame = { type: "mute", member: Number(target.elements.member.value), minutes: 60 };
  }
  if (frame && send(frame)) event.preventDefault();
});

setInterval(() => send({ type: "ping", t: Date.now() / 1000 }), 20000);
connect();
