/**
 * 呼叫帮助 at the desk (docs/sync-protocol.md, section 5d): while signed in the desk keeps the help
 * event stream open — that is what makes its jurisdiction "on duty" — and lists the kiosks' help
 * requests live with their step and waiting time. 接听 answers one and starts the video call: the
 * desk makes the WebRTC offer with its camera and microphone, the kiosk answers; signals go by POST
 * and come back on the stream. 结束 closes the request (and hangs up).
 *
 * The stream is read with fetch (with the session cookie) and reopened after a drop; POSTs carry the
 * session's CSRF token.
 */
import type { HelpSignal, StaffHelpEvent, StaffHelpRequest } from '../../shared/help.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h } from './dom.js';
import { formatTime } from './format.js';

type Call = { id: string; pc: RTCPeerConnection; local: MediaStream | null };

const STEP_NAMES: Record<string, { zh: string; en: string }> = {
  home: { zh: '首页', en: 'Home' },
  catalog: { zh: '事项查找', en: 'Finding a service' },
  window: { zh: '窗口事项', en: 'Window services' },
  item: { zh: '办事指南', en: 'Service guide' },
  bundles: { zh: '一件事', en: 'Bundles' },
  bundle: { zh: '一件事', en: 'Bundle' },
  apply: { zh: '我要办事', en: 'Applying' },
  progress: { zh: '进度查询', en: 'Progress' },
  queue: { zh: '排队取号', en: 'Queue ticket' },
  evaluate: { zh: '服务评价', en: 'Evaluation' },
  farewell: { zh: '结束', en: 'Finished' },
};

export function createHelpView(deps: { desk: Desk; csrf: () => string | null; fetch: typeof fetch }) {
  const { desk } = deps;
  let requests: StaffHelpRequest[] = [];
  let stream: AbortController | null = null;
  let call: Call | null = null;
  let ticker: number | null = null;

  const post = async (path: string, body?: unknown): Promise<boolean> => {
    const csrf = deps.csrf();
    if (!csrf) return false;
    try {
      const res = await deps.fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'x-csrf-token': csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return res.ok;
    } catch {
      return false;
    }
  };
  const signal = (id: string, s: HelpSignal) =>
    post(`/v1/staff/help/${encodeURIComponent(id)}/signals`, { signal: s });

  function draw(): void {
    const tbody = byId('help', HTMLTableElement).tBodies[0];
    if (!tbody) return;
    clear(tbody);
    const open = requests.filter((r) => r.state === 'waiting' || r.state === 'answered');
    byId('tab-help-count', HTMLSpanElement).textContent = open.length > 0 ? ` (${open.length})` : '';
    if (open.length === 0) {
      tbody.appendChild(
        h(
          'tr',
          null,
          h('td', { colspan: 6, className: 'empty' }, bi({ zh: '暂无求助', en: 'No help requests' })),
        ),
      );
    }
    const now = Date.now();
    for (const r of open) {
      const waited = Math.max(0, Math.round((now - Date.parse(r.since)) / 1000));
      const step = STEP_NAMES[r.step] ?? { zh: r.step, en: r.step };
      tbody.appendChild(
        h(
          'tr',
          { 'data-help': r.id, 'data-state': r.state },
          h('td', { className: 'mono' }, r.kioskId),
          h('td', null, bi(step)),
          h('td', null, `${formatTime(r.since, desk.state.timeZone)} · ${waited} s`),
          h('td', null, r.residentName ?? '—'),
          h('td', null, r.state === 'waiting' ? bi({ zh: '等待接听', en: 'Waiting' }) : `${r.staff ?? ''}`),
          h(
            'td',
            null,
            r.state === 'waiting'
              ? h(
                  'button',
                  { type: 'button', className: 'help-answer', 'data-id': r.id },
                  bi({ zh: '接听', en: 'Answer' }),
                )
              : null,
            h(
              'button',
              { type: 'button', className: 'quiet help-close', 'data-id': r.id },
              bi({ zh: '结束', en: 'Close' }),
            ),
          ),
        ),
      );
    }
  }

  function endCall(): void {
    if (!call) return;
    call.local?.getTracks().forEach((t) => t.stop());
    call.pc.close();
    call = null;
    byId('help-call', HTMLElement).hidden = true;
    byId('help-remote', HTMLVideoElement).srcObject = null;
    byId('help-local', HTMLVideoElement).srcObject = null;
  }

  async function startCall(id: string): Promise<void> {
    endCall();
    const pc = new RTCPeerConnection({ iceServers: [] });
    const current: Call = { id, pc, local: null };
    call = current;
    const panel = byId('help-call', HTMLElement);
    panel.hidden = false;
    panel.dataset.connection = 'new';
    pc.onconnectionstatechange = () => {
      panel.dataset.connection = pc.connectionState;
    };
    pc.onicecandidate = (e) => {
      if (e.candidate)
        void signal(id, {
          type: 'candidate',
          candidate: e.candidate.candidate,
          sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex,
        });
    };
    pc.ontrack = (e) => {
      byId('help-remote', HTMLVideoElement).srcObject = e.streams[0] ?? new MediaStream([e.track]);
    };
    let local: MediaStream | null;
    try {
      local = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch {
      local = await navigator.mediaDevices.getUserMedia({ video: true }).catch(() => null);
    }
    if (call !== current) {
      local?.getTracks().forEach((t) => t.stop());
      return;
    }
    current.local = local;
    if (local) {
      byId('help-local', HTMLVideoElement).srcObject = local;
      for (const t of local.getTracks()) pc.addTrack(t, local);
    } else {
      // No camera at the desk: still receive the kiosk's picture and sound.
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
    }
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await signal(id, { type: 'offer', sdp: offer.sdp ?? '' });
  }

  async function onSignal(requestId: string, s: HelpSignal): Promise<void> {
    if (!call || call.id !== requestId) return;
    switch (s.type) {
      case 'answer':
        await call.pc.setRemoteDescription({ type: 'answer', sdp: s.sdp });
        return;
      case 'candidate':
        await call.pc.addIceCandidate({
          candidate: s.candidate,
          sdpMid: s.sdpMid,
          sdpMLineIndex: s.sdpMLineIndex,
        });
        return;
      case 'hangup':
        endCall();
        desk.say('对方已挂断 (the resident hung up)');
        return;
      case 'offer':
        return;
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  function onEvent(e: StaffHelpEvent): void {
    switch (e.type) {
      case 'requests':
        requests = e.requests;
        break;
      case 'request':
        requests = [...requests.filter((r) => r.id !== e.request.id), e.request];
        if (call?.id === e.request.id && (e.request.state === 'closed' || e.request.state === 'cancelled'))
          endCall();
        break;
      case 'signal':
        void onSignal(e.requestId, e.signal).catch(() => undefined);
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
    draw();
  }

  /** Reads the event stream until it ends or is stopped; reopens it after a pause. */
  async function listen(abort: AbortController): Promise<void> {
    while (!abort.signal.aborted) {
      if (!deps.csrf()) return; // signed out
      try {
        const res = await deps.fetch('/v1/staff/help/events', {
          credentials: 'same-origin',
          signal: abort.signal,
        });
        const reader = res.ok ? res.body?.getReader() : undefined;
        if (reader) {
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let at: number;
            while ((at = buffer.indexOf('\n\n')) >= 0) {
              const chunk = buffer.slice(0, at);
              buffer = buffer.slice(at + 2);
              for (const line of chunk.split('\n'))
                if (line.startsWith('data: ')) onEvent(JSON.parse(line.slice(6)) as StaffHelpEvent);
            }
          }
        }
      } catch {
        // dropped or stopped: reopened below unless stopped
      }
      if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 2000));
    }
  }

  byId('help', HTMLTableElement).addEventListener('click', (ev) => {
    const button = ev.target instanceof Element ? ev.target.closest('button') : null;
    const id = button?.getAttribute('data-id');
    if (!button || !id) return;
    if (button.classList.contains('help-answer')) {
      void post(`/v1/staff/help/${encodeURIComponent(id)}/answer`).then(async (done) => {
        if (!done) {
          desk.say('无法接听：该求助已被处理 (already taken or ended)', true);
          return;
        }
        await startCall(id).catch(() => desk.say('无法建立视频通话 (the video call failed)', true));
      });
    } else if (button.classList.contains('help-close')) {
      if (call?.id === id) endCall();
      void post(`/v1/staff/help/${encodeURIComponent(id)}/close`);
    }
  });
  byId('help-hangup', HTMLButtonElement).addEventListener('click', () => {
    const id = call?.id;
    endCall();
    if (id) void post(`/v1/staff/help/${encodeURIComponent(id)}/close`);
  });

  return {
    /** Goes on duty: opens the stream (signing in). */
    start(): void {
      if (stream) return;
      const abort = new AbortController();
      stream = abort;
      void listen(abort);
      ticker = window.setInterval(draw, 5000);
      draw();
    },
    /** Goes off duty (signing out): closes the stream and any call. */
    stop(): void {
      stream?.abort();
      stream = null;
      if (ticker !== null) window.clearInterval(ticker);
      ticker = null;
      endCall();
      requests = [];
    },
  };
}
