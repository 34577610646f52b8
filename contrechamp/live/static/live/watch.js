// Watch-party sync. The host's player sends play/pause/seek with its position; the server
// stamps each state with its own clock. Every player computes where the film should be now
// (position + time elapsed since the state, while playing), seeks when it is more than a
// second off and nudges its playback rate for smaller drift.
const SEEK_THRESHOLD = 1.0;
const NUDGE_THRESHOLD = 0.15;
const KEY_SEEK = 5;

export class Watch {
  static attach(video, options) {
    return video ? new Watch(video, options) : null;
  }

  constructor(video, { send, serverNow, me, status, hostLine, text }) {
    this.video = video;
    this.send = send;
    this.serverNow = serverNow;
    this.me = me;
    this.status = status;
    this.hostLine = hostLine;
    this.text = text;
    this.state = {
      playing: video.dataset.playing === "1",
      position: Number(video.dataset.position) || 0,
      at: Number(video.dataset.at) || 0,
      host: Number(video.dataset.host) || null,
    };
    this.applying = false;
    this.seekTimer = null;
    for (const name of ["play", "pause", "seeked"]) {
      video.addEventListener(name, () => this.local(name));
    }
    video.addEventListener("keydown", (event) => this.key(event));
    setInterval(() => this.correct(), 1000);
  }

  get hosting() {
    return this.state.host === this.me;
  }

  target() {
    const { playing, position, at } = this.state;
    return playing ? position + Math.max(0, this.serverNow() - at) : position;
  }

  welcome(frame) {
    this.update(frame.player);
  }

  update(player) {
    if (!player.url) return;
    this.state = {
      playing: player.playing,
      position: player.position,
      at: player.at,
      host: player.host,
    };
    if (this.hostLine && player.host_name) {
      this.hostLine.textContent = this.hostLine.textContent.replace(/:.*$/, `: ${player.host_name}`);
    }
    this.video.dataset.host = player.host ?? "";
    this.video.dataset.playing = player.playing ? "1" : "";
    this.status.textContent = this.hosting ? this.text.textHosting : this.text.textFollowing;
    this.correct(true);
  }

  // A change made on this player: the host's is sent to everyone; a follower's is undone
  // by the next correction.
  local(name) {
    if (this.applying || !this.hosting) return;
    const position = this.video.currentTime;
    if (name === "seeked") {
      clearTimeout(this.seekTimer);
      this.seekTimer = setTimeout(() => this.send({ type: "player", action: "seek", position }), 150);
      return;
    }
    this.send({ type: "player", action: name, position });
  }

  correct(force = false) {
    if (this.hosting && !force) return;
    const video = this.video;
    const target = this.target();
    const drift = video.currentTime - target;
    this.applying = true;
    try {
      if (Math.abs(drift) > SEEK_THRESHOLD && video.readyState > 0) {
        video.currentTime = target;
      }
      if (this.state.playing) {
        if (video.paused) {
          video.play().catch(() => {
            // The browser wants a gesture first: one press on play, then it follows.
            this.status.textContent = this.text.textPressPlay;
          });
        }
        if (Math.abs(drift) > NUDGE_THRESHOLD && Math.abs(drift) <= SEEK_THRESHOLD) {
          video.playbackRate = drift > 0 ? 0.95 : 1.05;
        } else {
          video.playbackRate = 1;
        }
      } else {
        if (!video.paused) video.pause();
        video.playbackRate = 1;
      }
      video.dataset.drift = drift.toFixed(2);
    } finally {
      // Events from these changes arrive asynchronously; ignore them for a moment.
      setTimeout(() => {
        this.applying = false;
      }, 50);
    }
  }

  key(event) {
    if (!this.hosting) return;
    const video = this.video;
    if (event.key === " " || event.key === "k") {
      event.preventDefault();
      if (video.paused) video.play();
      else video.pause();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      const step = event.key === "ArrowRight" ? KEY_SEEK : -KEY_SEEK;
      video.currentTime = Math.max(0, video.currentTime + step);
    }
  }
}
