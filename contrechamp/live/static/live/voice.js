// The voice room: a small mesh of WebRTC audio calls. The newcomer calls each peer already
// in the room; offers, answers and ICE candidates go through the room's websocket, which
// relays them only to the named peer.
export class Voice {
  static attach(section, options) {
    if (!section || !window.RTCPeerConnection || !navigator.mediaDevices) return null;
    section.hidden = false;
    return new Voice(section, options);
  }

  constructor(section, { send, text }) {
    this.section = section;
    this.send = send;
    this.text = text;
    this.joinButton = section.querySelector("#voice-join");
    this.muteButton = section.querySelector("#voice-mute");
    this.leaveButton = section.querySelector("#voice-leave");
    this.peerList = section.querySelector("#voice-peers");
    this.audio = section.querySelector("#voice-audio");
    this.connections = new Map();
    this.names = new Map();
    this.stream = null;
    this.me = null;
    this.iceServers = [];
    this.joinButton.addEventListener("click", () => this.join());
    this.leaveButton.addEventListener("click", () => this.leave());
    this.muteButton.addEventListener("click", () => this.toggleMute());
  }

  welcome(frame) {
    this.me = frame.me.peer;
    this.iceServers = frame.ice_servers;
    this.names.clear();
    for (const peer of frame.voice) this.names.set(peer.peer, peer.name);
    this.showPeers();
  }

  async join() {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (error) {
      this.section.querySelector("p").append(` ${error.message}`);
      return;
    }
    this.send({ type: "voice_join" });
  }

  connection(peer) {
    let pc = this.connections.get(peer);
    if (pc) return pc;
    pc = new RTCPeerConnection({ iceServers: this.iceServers });
    for (const track of this.stream?.getTracks() ?? []) pc.addTrack(track, this.stream);
    pc.addEventListener("icecandidate", (event) => {
      if (event.candidate) this.send({ type: "signal", to: peer, data: { candidate: event.candidate.toJSON() } });
    });
    pc.addEventListener("track", (event) => {
      const audio = document.createElement("audio");
      audio.autoplay = true;
      audio.srcObject = event.streams[0];
      audio.dataset.peer = peer;
      this.audio.append(audio);
    });
    pc.addEventListener("connectionstatechange", () => this.showPeers());
    this.connections.set(peer, pc);
    return pc;
  }

  async onVoice(frame) {
    if (frame.peers) {
      // We joined: call everyone already here.
      this.joinButton.hidden = true;
      this.muteButton.hidden = false;
      this.leaveButton.hidden = false;
      this.names.set(this.me, "");
      for (const peer of frame.peers) {
        this.names.set(peer.peer, peer.name);
        const pc = this.connection(peer.peer);
        await pc.setLocalDescription(await pc.createOffer());
        this.send({ type: "signal", to: peer.peer, data: { sdp: pc.localDescription.toJSON() } });
      }
    }
    if (frame.joined && frame.joined.peer !== this.me) this.names.set(frame.joined.peer, frame.joined.name);
    if (frame.left) {
      this.names.delete(frame.left);
      this.connections.get(frame.left)?.close();
      this.connections.delete(frame.left);
      this.audio.querySelector(`audio[data-peer="${frame.left}"]`)?.remove();
    }
    this.showPeers();
  }

  async onSignal(frame) {
    if (!this.stream) return;
    const pc = this.connection(frame.from);
    const { sdp, candidate } = frame.data;
    if (sdp) {
      await pc.setRemoteDescription(sdp);
      if (sdp.type === "offer") {
        await pc.setLocalDescription(await pc.createAnswer());
        this.send({ type: "signal", to: frame.from, data: { sdp: pc.localDescription.toJSON() } });
      }
    } else if (candidate) {
      await pc.addIceCandidate(candidate).catch(() => {});
    }
  }

  onError(frame) {
    if (frame.code === "refused" && this.stream && this.connections.size === 0 && !this.joinButton.hidden) {
      this.stopMedia();
    }
  }

  toggleMute() {
    const track = this.stream?.getAudioTracks()[0];
    if (!track) return;
    track.enabled = !track.enabled;
    this.muteButton.setAttribute("aria-pressed", track.enabled ? "false" : "true");
  }

  stopMedia() {
    for (const pc of this.connections.values()) pc.close();
    this.connections.clear();
    this.audio.replaceChildren();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.joinButton.hidden = false;
    this.muteButton.hidden = true;
    this.leaveButton.hidden = true;
    this.muteButton.setAttribute("aria-pressed", "false");
  }

  leave() {
    this.send({ type: "voice_leave" });
    this.stopMedia();
    this.showPeers();
  }

  disconnected() {
    if (this.stream) this.stopMedia();
    this.names.clear();
    this.showPeers();
  }

  showPeers() {
    this.peerList.replaceChildren(
      ...[...this.names.entries()]
        .filter(([peer]) => peer !== this.me)
        .map(([peer, name]) => {
          const item = document.createElement("li");
          item.dataset.peer = peer;
          const state = this.connections.get(peer)?.connectionState ?? "";
          item.dataset.state = state;
          item.textContent = name;
          return item;
        }),
    );
  }
}
