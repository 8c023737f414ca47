// One WebRTC video call between an agent's desktop and a visitor's widget; the signalling (session descriptions,
// ICE candidates, hang-up) travels through the hub as live signals. The agent's side makes the offer, the visitor's
// side answers. Media flow peer to peer; the ICE servers (STUN/TURN) come from the hub's rtc.config.

export class VideoCall {
  /**
   * @param {object} o
   *   rtcConfig: RTCConfiguration         from the hub (iceServers); {} for host candidates only
   *   send: (type, data) => Promise       sends a signal to the other side
   *   localVideo, remoteVideo             <video> elements
   *   onState: (iceState) => void         'new', 'checking', 'connected', 'completed', 'failed', 'closed', ...
   */
  constructor(o) {
    this.config = o.rtcConfig || {};
    this.send = o.send;
    this.localVideo = o.localVideo;
    this.remoteVideo = o.remoteVideo;
    this.onState = o.onState || (() => {});
    this.pc = null;
    this.local = null;
    this.pending = [];
    this.remoteSet = false;
  }

  static async media() {
    return navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  }

  #peer() {
    const pc = new RTCPeerConnection(this.config);
    pc.onicecandidate = (e) => {
      if (e.candidate) this.send('rtc.candidate', e.candidate.toJSON()).catch(() => {});
    };
    pc.ontrack = (e) => {
      if (this.remoteVideo && this.remoteVideo.srcObject !== e.streams[0]) {
        this.remoteVideo.srcObject = e.streams[0];
      }
    };
    pc.oniceconnectionstatechange = () => this.onState(pc.iceConnectionState);
    this.pc = pc;
    return pc;
  }

  #attach(stream) {
    this.local = stream;
    if (this.localVideo) {
      this.localVideo.muted = true;
      this.localVideo.srcObject = stream;
    }
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
  }

  /** The agent's side: offer a call with the local camera and microphone. */
  async call(stream) {
    const pc = this.#peer();
    this.#attach(stream);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await this.send('rtc.offer', { type: offer.type, sdp: offer.sdp });
  }

  /** The visitor's side: answer an offer. */
  async answer(offer, stream) {
    const pc = this.#peer();
    this.#attach(stream);
    await pc.setRemoteDescription(offer);
    await this.#flush();
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await this.send('rtc.answer', { type: answer.type, sdp: answer.sdp });
  }

  /** A signal from the other side. */
  async signal(type, data) {
    if (!this.pc) return;
    if (type === 'rtc.answer') {
      await this.pc.setRemoteDescription(data);
      await this.#flush();
    } else if (type === 'rtc.candidate') {
      if (this.remoteSet) await this.pc.addIceCandidate(data).catch(() => {});
      else this.pending.push(data);
    } else if (type === 'rtc.hangup') {
      this.close();
    }
  }

  async #flush() {
    this.remoteSet = true;
    for (const c of this.pending.splice(0)) await this.pc.addIceCandidate(c).catch(() => {});
  }

  /** Ends the call here; tell the other side with hangup(). */
  close() {
    if (this.local) this.local.getTracks().forEach((t) => t.stop());
    if (this.pc) {
      this.pc.close();
      this.onState('closed');
    }
    this.pc = null;
    this.local = null;
    if (this.remoteVideo) this.remoteVideo.srcObject = null;
    if (this.localVideo) this.localVideo.srcObject = null;
  }

  async hangup() {
    const was = this.pc !== null;
    this.close();
    if (was) await this.send('rtc.hangup', {}).catch(() => {});
  }
}
