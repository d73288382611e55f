/**
 * 呼叫帮助 (docs/resident-journey.md, "Help at any hour"): the button in the shell's bottom bar on
 * every resident screen, and the dialog it opens — consent (call with or without the masked name),
 * waiting, the video call (the desk's picture, the resident's own preview, 挂断), or, when nobody
 * can answer, the hotline and the staffed hours. The call's state lives in the backend
 * (help.status and `help` events); the video is this page's (help-video.ts).
 */
import { useCallback, useEffect, useRef, useState, type VideoHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { HelpFallback, HelpSignal, KioskHelpCall } from '../../../shared/browser.js';
import { cancelHelp, dismissHelp, helpStatus, requestHelp, sendHelpSignal } from '../../api/index.js';
import { useKioskEvent } from '../../lib/kiosk-events.js';
import { Icon } from '../icon.js';
import { createHelpVideo, type HelpVideo } from './help-video.js';
import './help-call.css';

type Props = {
  /** The screen the resident is on (a route name: never form contents). */
  step: string;
  /** The resident session, whose masked name is sent only if the resident agrees. */
  sessionId: string | null;
};

export function HelpCall({ step, sessionId }: Props) {
  const { t } = useTranslation();
  const [call, setCall] = useState<KioskHelpCall>({ phase: 'idle' });
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void helpStatus().then((r) => {
      if (live && r.ok) setCall(r.value);
    });
    return () => {
      live = false;
    };
  }, []);

  const video = useHelpVideo(call);
  useKioskEvent((e) => {
    if (e.type === 'help') setCall(e.call);
    else if (e.type === 'help-signal') video.receive(e.signal);
  });

  const start = async (consent: boolean) => {
    setBusy(true);
    const r = await requestHelp(step, consent, sessionId);
    setBusy(false);
    setAsking(false);
    if (r.ok) setCall(r.value);
    else
      setCall({ phase: 'unavailable', reason: 'hall-unreachable', fallback: { hotline: null, hours: [] } });
  };
  const settle = async (run: typeof cancelHelp) => {
    const r = await run();
    setCall(r.ok ? r.value : { phase: 'idle' });
  };

  const open = asking || call.phase !== 'idle';
  return (
    <>
      <button
        type="button"
        className="btn btn-bar btn-help"
        data-testid="help-call"
        aria-haspopup="dialog"
        onClick={() => setAsking(true)}
        disabled={open}
      >
        <Icon name="phone" />
        {t('helpCall.button')}
      </button>
      {open && (
        <div className="help-backdrop">
          <section
            className="help-dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="help-title"
            data-testid="help-dialog"
            data-phase={asking && call.phase === 'idle' ? 'asking' : call.phase}
          >
            {call.phase === 'idle' && (
              <>
                <h2 id="help-title">{t('helpCall.consent.title')}</h2>
                <p>{t('helpCall.consent.body')}</p>
                <div className="help-actions">
                  <button
                    type="button"
                    className="btn btn-primary btn-bar"
                    data-testid="help-without-name"
                    disabled={busy}
                    onClick={() => void start(false)}
                  >
                    {t('helpCall.consent.withoutName')}
                  </button>
                  {sessionId && (
                    <button
                      type="button"
                      className="btn btn-bar"
                      data-testid="help-with-name"
                      disabled={busy}
                      onClick={() => void start(true)}
                    >
                      {t('helpCall.consent.withName')}
                    </button>
                  )}
                  <button type="button" className="btn btn-bar" onClick={() => setAsking(false)}>
                    {t('helpCall.consent.cancel')}
                  </button>
                </div>
              </>
            )}
            {call.phase === 'waiting' && (
              <Waiting since={call.since} onCancel={() => void settle(cancelHelp)} />
            )}
            {call.phase === 'connected' && (
              <>
                <h2 id="help-title">
                  {call.staff
                    ? t('helpCall.connected.title', { staff: call.staff })
                    : t('helpCall.connected.titleNoName')}
                </h2>
                <div className="help-videos" data-connection={video.state}>
                  <StreamVideo
                    stream={video.remote}
                    className="help-remote"
                    data-testid="help-remote-video"
                    aria-label={t('helpCall.connected.remote')}
                  />
                  <StreamVideo
                    stream={video.local}
                    className="help-local"
                    data-testid="help-local-video"
                    aria-label={t('helpCall.connected.local')}
                    muted
                  />
                </div>
                {video.state !== 'connected' && <p role="status">{t('helpCall.connected.connecting')}</p>}
                <div className="help-actions">
                  <button
                    type="button"
                    className="btn btn-home btn-bar"
                    data-testid="help-hangup"
                    onClick={() => void settle(cancelHelp)}
                  >
                    <Icon name="close" />
                    {t('helpCall.connected.hangup')}
                  </button>
                </div>
              </>
            )}
            {call.phase === 'unavailable' && (
              <>
                <h2 id="help-title">{t('helpCall.unavailable.title')}</h2>
                <p data-testid="help-reason">{t(`helpCall.unavailable.reasons.${call.reason}`)}</p>
                <Fallback fallback={call.fallback} />
                <div className="help-actions">
                  <button
                    type="button"
                    className="btn btn-primary btn-bar"
                    onClick={() => void settle(dismissHelp)}
                  >
                    {t('helpCall.unavailable.ok')}
                  </button>
                </div>
              </>
            )}
            {call.phase === 'ended' && (
              <>
                <h2 id="help-title">{t('helpCall.ended.title')}</h2>
                <p>{t('helpCall.ended.body')}</p>
                <div className="help-actions">
                  <button
                    type="button"
                    className="btn btn-primary btn-bar"
                    data-testid="help-ended-ok"
                    onClick={() => void settle(dismissHelp)}
                  >
                    {t('helpCall.ended.ok')}
                  </button>
                </div>
              </>
            )}
          </section>
        </div>
      )}
    </>
  );
}

function Waiting({ since, onCancel }: { since: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  return (
    <>
      <h2 id="help-title">{t('helpCall.waiting.title')}</h2>
      <p role="status">{t('helpCall.waiting.elapsed', { seconds })}</p>
      <div className="help-actions">
        <button type="button" className="btn btn-bar" data-testid="help-cancel" onClick={onCancel}>
          {t('helpCall.waiting.cancel')}
        </button>
      </div>
    </>
  );
}

const DAY_KEYS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6'] as const;

function Fallback({ fallback }: { fallback: HelpFallback }) {
  const { t } = useTranslation();
  return (
    <div className="help-fallback">
      <p className="help-hotline" data-testid="help-hotline">
        <Icon name="phone" />
        {fallback.hotline
          ? t('helpCall.unavailable.hotline', { hotline: fallback.hotline })
          : t('helpCall.unavailable.noHotline')}
      </p>
      {fallback.hours.length === 0 ? (
        <p>{t('helpCall.unavailable.anyHour')}</p>
      ) : (
        <>
          <p>{t('helpCall.unavailable.hours')}</p>
          <ul data-testid="help-hours">
            {fallback.hours.map((h) => (
              <li key={`${h.days.join()}-${h.from}-${h.to}`}>
                {t('helpCall.unavailable.hoursLine', {
                  days: h.days
                    .map((d) => DAY_KEYS[d])
                    .filter((k) => k !== undefined)
                    .map((k) => t(`helpCall.days.${k}`))
                    .join(t('helpCall.daysJoin')),
                  from: h.from,
                  to: h.to,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** A video element showing a MediaStream (srcObject cannot be set as an attribute). */
function StreamVideo({
  stream,
  ...rest
}: { stream: MediaStream | null } & VideoHTMLAttributes<HTMLVideoElement>) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} autoPlay playsInline {...rest} />;
}

/** The video call while connected: the peer connection, the two streams and its state. */
function useHelpVideo(call: KioskHelpCall) {
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [remote, setRemote] = useState<MediaStream | null>(null);
  const [state, setState] = useState<RTCPeerConnectionState>('new');
  const current = useRef<HelpVideo | null>(null);
  const connected = call.phase === 'connected';

  useEffect(() => {
    if (!connected) return;
    const v = createHelpVideo({
      send: (signal) => void sendHelpSignal(signal),
      onLocal: setLocal,
      onRemote: setRemote,
      onState: setState,
    });
    current.current = v;
    return () => {
      v.close();
      current.current = null;
      setLocal(null);
      setRemote(null);
      setState('new');
    };
  }, [connected]);

  const receive = useCallback((signal: HelpSignal) => current.current?.receive(signal), []);
  return { local, remote, state, receive };
}
