/**
 * 呼叫帮助 at the desk (React; docs/sync-protocol.md, section 5d): while signed in the desk keeps the
 * help event stream open — that is what makes its jurisdiction "on duty" — and lists the kiosks'
 * help requests live with their step and waiting time. 接听 answers one and starts the video call:
 * the desk makes the WebRTC offer with its camera and microphone (or receives only, without them),
 * the kiosk answers; signals go by POST and come back on the stream. 结束 closes the request (and
 * hangs up); 挂断 hangs up and closes it.
 *
 * The stream is read with fetch (the session cookie) and reopened after a drop. The call (peer
 * connection, camera) lives outside React's state in a ref: the video elements get their streams
 * directly, React draws only the words and buttons around them.
 */
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type ReactNode,
  type Ref,
} from 'react';
import type { HelpSignal, StaffHelpEvent, StaffHelpRequest } from '../../shared/help.js';
import type { Desk } from './desk.js';
import { useDeskText } from './desk-i18n.js';
import { formatTime } from './format.js';
import type { PanelApi } from './panel-api.js';
import { GridTable } from './panel-parts.js';
import { helpStepText, waitedSeconds } from './panels-text.js';

type Call = { id: string; pc: RTCPeerConnection; local: MediaStream | null };

export type HelpPanelHandle = { start(): void; stop(): void };

/** The open requests (waiting or answered): what the tab counts. */
export const openHelpRequests = (requests: readonly StaffHelpRequest[]): StaffHelpRequest[] =>
  requests.filter((r) => r.state === 'waiting' || r.state === 'answered');

export function HelpPanel(props: {
  ref: Ref<HelpPanelHandle>;
  desk: Desk;
  api: PanelApi;
  csrf: () => string | null;
  fetch: typeof fetch;
  onCount: (n: number) => void;
}): ReactNode {
  const { desk, api } = props;
  const { ref } = props;
  const { t } = useDeskText();
  const [requests, setRequests] = useState<StaffHelpRequest[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const [inCall, setInCall] = useState(false);
  const [connection, setConnection] = useState('new');
  const call = useRef<Call | null>(null);
  const stream = useRef<AbortController | null>(null);
  const remoteRef = useRef<HTMLVideoElement>(null);
  const localRef = useRef<HTMLVideoElement>(null);
  const depsRef = useRef({ csrf: props.csrf, fetch: props.fetch });
  useEffect(() => {
    depsRef.current = { csrf: props.csrf, fetch: props.fetch };
  });

  const endCall = useCallback((): void => {
    const c = call.current;
    if (!c) return;
    c.local?.getTracks().forEach((x) => x.stop());
    c.pc.close();
    call.current = null;
    if (remoteRef.current) remoteRef.current.srcObject = null;
    if (localRef.current) localRef.current.srcObject = null;
    setInCall(false);
  }, []);

  const startCall = useCallback(
    async (id: string): Promise<void> => {
      endCall();
      const pc = new RTCPeerConnection({ iceServers: [] });
      const current: Call = { id, pc, local: null };
      call.current = current;
      setConnection('new');
      setInCall(true);
      pc.onconnectionstatechange = () => setConnection(pc.connectionState);
      pc.onicecandidate = (e) => {
        if (e.candidate)
          void api.helpSignal(id, {
            type: 'candidate',
            candidate: e.candidate.candidate,
            sdpMid: e.candidate.sdpMid,
            sdpMLineIndex: e.candidate.sdpMLineIndex,
          });
      };
      pc.ontrack = (e) => {
        if (remoteRef.current) remoteRef.current.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      };
      let local: MediaStream | null;
      try {
        local = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      } catch {
        local = await navigator.mediaDevices.getUserMedia({ video: true }).catch(() => null);
      }
      if (call.current !== current) {
        local?.getTracks().forEach((x) => x.stop());
        return;
      }
      current.local = local;
      if (local) {
        if (localRef.current) localRef.current.srcObject = local;
        for (const track of local.getTracks()) pc.addTrack(track, local);
      } else {
        // No camera at the desk: still receive the kiosk's picture and sound.
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
      }
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      await api.helpSignal(id, { type: 'offer', sdp: offer.sdp ?? '' });
    },
    [api, endCall],
  );

  const onSignal = useCallback(
    async (requestId: string, s: HelpSignal): Promise<void> => {
      const c = call.current;
      if (!c || c.id !== requestId) return;
      switch (s.type) {
        case 'answer':
          await c.pc.setRemoteDescription({ type: 'answer', sdp: s.sdp });
          return;
        case 'candidate':
          await c.pc.addIceCandidate({
            candidate: s.candidate,
            sdpMid: s.sdpMid,
            sdpMLineIndex: s.sdpMLineIndex,
          });
          return;
        case 'hangup':
          endCall();
          desk.say({ key: 'help.hungUp' });
          return;
        case 'offer':
          return;
        default: {
          const never: never = s;
          return never;
        }
      }
    },
    [desk, endCall],
  );

  const onEvent = useCallback(
    (e: StaffHelpEvent): void => {
      switch (e.type) {
        case 'requests':
          setRequests(e.requests);
          return;
        case 'request':
          setRequests((old) => [...old.filter((r) => r.id !== e.request.id), e.request]);
          if (
            call.current?.id === e.request.id &&
            (e.request.state === 'closed' || e.request.state === 'cancelled')
          )
            endCall();
          return;
        case 'signal':
          void onSignal(e.requestId, e.signal).catch(() => undefined);
          return;
        default: {
          const never: never = e;
          return never;
        }
      }
    },
    [endCall, onSignal],
  );

  /** Reads the event stream until it ends or is stopped; reopens it after a pause. */
  const listen = useCallback(
    async (abort: AbortController): Promise<void> => {
      while (!abort.signal.aborted) {
        if (!depsRef.current.csrf()) return; // signed out
        try {
          const res = await depsRef.current.fetch('/v1/staff/help/events', {
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
    },
    [onEvent],
  );

  useImperativeHandle(
    ref,
    () => ({
      start() {
        if (stream.current) return;
        const abort = new AbortController();
        stream.current = abort;
        void listen(abort);
      },
      stop() {
        stream.current?.abort();
        stream.current = null;
        endCall();
        setRequests([]);
      },
    }),
    [listen, endCall],
  );

  // The waiting times tick while there is something waiting.
  const open = openHelpRequests(requests);
  const anyOpen = open.length > 0;
  useEffect(() => {
    if (!anyOpen) return undefined;
    const tick = (): void => setNow(Date.now());
    const first = window.setTimeout(tick, 0);
    const timer = window.setInterval(tick, 5000);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [anyOpen]);
  const { onCount } = props;
  useEffect(() => onCount(open.length), [onCount, open.length]);
  // A call never outlives the page's panel.
  useEffect(() => () => endCall(), [endCall]);

  const answer = async (id: string): Promise<void> => {
    const r = await api.helpAnswer(id);
    if (!r.ok) {
      desk.say({ key: 'help.taken' }, true);
      return;
    }
    await startCall(id).catch(() => desk.say({ key: 'help.callFailed' }, true));
  };
  const close = (id: string): void => {
    if (call.current?.id === id) endCall();
    void api.helpClose(id);
  };
  const tz = desk.state.timeZone;

  return (
    <>
      <GridTable
        id="help"
        caption={t('help.caption')}
        columns={[
          t('help.kiosk'),
          t('help.step'),
          t('help.waiting'),
          t('help.resident'),
          t('help.state'),
          <span className="sr-only">{t('help.actions')}</span>,
        ]}
        empty={open.length === 0 ? t('help.none') : null}
      >
        {open.map((r) => (
          <tr key={r.id} data-help={r.id} data-state={r.state}>
            <td className="mono">{r.kioskId}</td>
            <td>{helpStepText(t, r.step)}</td>
            <td>
              {formatTime(r.since, tz)} · {t('help.seconds', { n: waitedSeconds(r.since, now) })}
            </td>
            <td>{r.residentName ?? '—'}</td>
            <td>
              {r.state === 'waiting' ? t('help.waitingState') : t('help.answeredBy', { name: r.staff ?? '' })}
            </td>
            <td className="row-actions">
              {r.state === 'waiting' ? (
                <button
                  type="button"
                  className="help-answer"
                  data-id={r.id}
                  aria-label={t('help.answerLabel', { kiosk: r.kioskId })}
                  onClick={() => void answer(r.id)}
                >
                  {t('help.answer')}
                </button>
              ) : null}
              <button
                type="button"
                className="quiet help-close"
                data-id={r.id}
                aria-label={t('help.closeLabel', { kiosk: r.kioskId })}
                onClick={() => close(r.id)}
              >
                {t('help.close')}
              </button>
            </td>
          </tr>
        ))}
      </GridTable>
      <section
        id="help-call"
        className="card help-call"
        hidden={!inCall}
        aria-label={t('help.call')}
        data-connection={inCall ? connection : undefined}
      >
        <video ref={remoteRef} id="help-remote" autoPlay playsInline aria-label={t('help.remote')} />
        <video ref={localRef} id="help-local" autoPlay playsInline muted aria-label={t('help.local')} />
        <button
          type="button"
          id="help-hangup"
          onClick={() => {
            const id = call.current?.id;
            endCall();
            if (id) void api.helpClose(id);
          }}
        >
          {t('help.hangUp')}
        </button>
      </section>
    </>
  );
}
