/**
 * The kiosk's side of the help video call (browser WebRTC, no library): the desk makes the offer,
 * the kiosk answers with its camera and microphone. Signals are handled one at a time in arrival
 * order (an ICE candidate may arrive while the camera is still opening). Loopback or a hall LAN:
 * no STUN/TURN servers are configured, host candidates suffice.
 */
import type { HelpSignal } from '../../../shared/browser.js';

export type HelpVideo = {
  /** Feeds one signal from the desk. */
  receive(signal: HelpSignal): void;
  /** Hangs up: closes the connection and releases camera and microphone. */
  close(): void;
};

export function createHelpVideo(deps: {
  send: (signal: HelpSignal) => void;
  onLocal: (stream: MediaStream) => void;
  onRemote: (stream: MediaStream) => void;
  onState: (state: RTCPeerConnectionState) => void;
}): HelpVideo {
  let pc: RTCPeerConnection | null = null;
  let local: MediaStream | null = null;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  async function connection(): Promise<RTCPeerConnection> {
    if (pc) return pc;
    const made = new RTCPeerConnection({ iceServers: [] });
    pc = made;
    made.onicecandidate = (e) => {
      if (e.candidate)
        deps.send({
          type: 'candidate',
          candidate: e.candidate.candidate,
          sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex,
        });
    };
    made.ontrack = (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      deps.onRemote(stream);
    };
    made.onconnectionstatechange = () => deps.onState(made.connectionState);
    try {
      local = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch {
      // No microphone (or it was refused): video only, the desk still sees the resident.
      local = await navigator.mediaDevices.getUserMedia({ video: true }).catch(() => null);
    }
    if (closed) {
      local?.getTracks().forEach((t) => t.stop());
      return made;
    }
    if (local) {
      deps.onLocal(local);
      for (const track of local.getTracks()) made.addTrack(track, local);
    }
    return made;
  }

  async function handle(signal: HelpSignal): Promise<void> {
    if (closed) return;
    switch (signal.type) {
      case 'offer': {
        const c = await connection();
        await c.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
        const answer = await c.createAnswer();
        await c.setLocalDescription(answer);
        deps.send({ type: 'answer', sdp: answer.sdp ?? '' });
        return;
      }
      case 'candidate': {
        const c = await connection();
        await c.addIceCandidate({
          candidate: signal.candidate,
          sdpMid: signal.sdpMid,
          sdpMLineIndex: signal.sdpMLineIndex,
        });
        return;
      }
      case 'answer':
      case 'hangup':
        // The kiosk never makes an offer; a hang-up ends the call through the call's state.
        return;
      default: {
        const never: never = signal;
        return never;
      }
    }
  }

  return {
    receive(signal) {
      chain = chain.then(() => handle(signal)).catch(() => undefined);
    },
    close() {
      closed = true;
      local?.getTracks().forEach((t) => t.stop());
      pc?.close();
      pc = null;
    },
  };
}
