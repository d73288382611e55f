/**
 * Capturing one material (docs/resident-journey.md, step 5; 电子化申报): the resident scans it with the document
 * scanner (every scan appends pages: several sheets in the feeder, or one on the glass) or takes it with the
 * document camera (高拍仪, getUserMedia → a JPEG frame → the backend's page pipeline). The pages are
 * shown as thumbnails, each with a large preview, 重拍 and 删除. Scanner faults say what to do and
 * always leave a way forward (scan again, or use the camera). Used by 我要办事 and by 补正.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapturedPage, Localized, SessionView } from '../../../shared/browser.js';
import { cameraPage, removePage, scanPages, type CaptureError } from '../../api/index.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { scanPrompt, translator } from '../../lib/voice-prompts.js';
import { useResidentSession } from '../../session/session-context.js';
import { Icon } from '../icon.js';
import { cameraProblem, problemOf, wayForward, type CaptureProblem } from './capture-problem.js';
import './capture.css';

export type MaterialCaptureProps = {
  sessionId: string;
  material: { code: string; name: Localized; requirements?: Localized };
  pages: CapturedPage[];
  onChange: (session: SessionView) => void;
};

type Busy = null | 'scan' | 'camera' | 'remove';

/**
 * The session as a capture left it: with the new pages, or — after a scanner fault — with the
 * pages scanned before it (the fault carries the session); none when it lapsed or the call failed.
 */
function sessionAfter(
  r: { ok: true; value: { session: SessionView } } | { ok: false; error: CaptureError },
): SessionView | null {
  if (r.ok) return r.value.session;
  return 'session' in r.error ? r.error.session : null;
}
type Camera = 'off' | 'starting' | 'on';
type Notice =
  | { kind: 'problem'; problem: CaptureProblem; via: 'scanner' | 'camera' }
  /** `total`: the material's pages now (the new ones are the last `count`). */
  | { kind: 'added'; count: number; total: number }
  | null;

export function MaterialCapture({ sessionId, material, pages, onChange }: MaterialCaptureProps) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const headingId = useId();
  const [busy, setBusy] = useState<Busy>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [camera, setCamera] = useState<Camera>('off');
  const [hasCamera, setHasCamera] = useState(
    () => typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function',
  );
  const [preview, setPreview] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const live = useRef(true);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  const problemText =
    notice?.kind !== 'problem'
      ? null
      : notice.problem === 'session-expired'
        ? t('sessionFlow.expired')
        : t(`applyFlow.capture.problems.${notice.problem}`);
  const materialName = pick(material.name, lang);

  // Scan progress by voice: every notice is a new object, so the same fault twice is said twice.
  const { voice } = useResidentSession();
  const spokenNotice = useRef<Notice>(null);
  useEffect(() => {
    if (notice === spokenNotice.current) return;
    spokenNotice.current = notice;
    if (notice === null) return;
    const tr = translator(t);
    voice.say(
      notice.kind === 'problem'
        ? scanPrompt(tr, { kind: 'failed', problem: problemText ?? '' })
        : scanPrompt(tr, {
            kind: 'added',
            material: materialName,
            from: notice.total - notice.count + 1,
            to: notice.total,
          }),
    );
  }, [materialName, notice, problemText, t, voice]);

  // Is there a camera at all? (Without one the camera button would only lead to an error.)
  useEffect(() => {
    live.current = true;
    const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
    if (md?.getUserMedia && md.enumerateDevices) {
      md.enumerateDevices()
        .then((list) => {
          if (live.current) setHasCamera(list.length === 0 || list.some((d) => d.kind === 'videoinput'));
        })
        .catch(() => undefined);
    }
    return () => {
      live.current = false;
      // The camera is released when the resident moves on.
      streamRef.current?.getTracks().forEach((track) => track.stop());
      streamRef.current = null;
    };
  }, []);

  const stopCamera = useCallback(() => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setCamera('off');
    // A camera problem goes with the camera; the scanner is the way on now.
    setNotice((n) => (n?.kind === 'problem' && n.via === 'camera' ? null : n));
  }, []);

  const scan = useCallback(
    async (replacing: string | null) => {
      setBusy('scan');
      setNotice(null);
      voice.say(scanPrompt(translator(t), { kind: 'scanning', material: materialName }));
      const r = await scanPages(sessionId, material.code);
      if (!live.current) return;
      const now = sessionAfter(r);
      if (now) changed.current(now);
      if (r.ok) {
        // 重拍: the old page goes only once the new one is safely in.
        const after = replacing ? await removePage(sessionId, material.code, replacing) : null;
        if (!live.current) return;
        if (after?.ok) changed.current(after.value);
        if (after && !after.ok)
          setNotice({ kind: 'problem', problem: problemOf(after.error), via: 'scanner' });
        else
          setNotice({
            kind: 'added',
            count: r.value.added,
            total: (after?.ok ? after.value : r.value.session).captured[material.code]?.length ?? 0,
          });
      } else setNotice({ kind: 'problem', problem: problemOf(r.error), via: 'scanner' });
      setBusy(null);
    },
    [material.code, materialName, sessionId, t, voice],
  );

  const openCamera = useCallback(async () => {
    setNotice(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setNotice({ kind: 'problem', problem: 'camera-missing', via: 'camera' });
      return;
    }
    setCamera('starting');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1920 }, height: { ideal: 1080 } },
        audio: false,
      });
      if (!live.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      streamRef.current = stream;
      if (videoRef.current) {
        videoRef.current.srcObject = stream;
        await videoRef.current.play();
      }
      setCamera('on');
    } catch (e) {
      setCamera('off');
      setNotice({
        kind: 'problem',
        problem: cameraProblem(e instanceof DOMException ? e.name : ''),
        via: 'camera',
      });
    }
  }, []);

  const takePhoto = useCallback(async () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    const image = canvas.toDataURL('image/jpeg', 0.9);
    setBusy('camera');
    setNotice(null);
    const r = await cameraPage(sessionId, material.code, image);
    if (!live.current) return;
    const now = sessionAfter(r);
    if (now) changed.current(now);
    if (r.ok) {
      setNotice({ kind: 'added', count: 1, total: r.value.session.captured[material.code]?.length ?? 0 });
      stopCamera();
    } else setNotice({ kind: 'problem', problem: problemOf(r.error), via: 'camera' });
    setBusy(null);
  }, [material.code, sessionId, stopCamera]);

  const remove = useCallback(
    async (sha256: string) => {
      setBusy('remove');
      setNotice(null);
      const r = await removePage(sessionId, material.code, sha256);
      if (!live.current) return;
      if (r.ok) {
        changed.current(r.value);
        setPreview((p) => (p === sha256 ? null : p));
      } else setNotice({ kind: 'problem', problem: problemOf(r.error), via: 'scanner' });
      setBusy(null);
    },
    [material.code, sessionId],
  );

  const previewIndex = preview === null ? -1 : pages.findIndex((p) => p.sha256 === preview);
  const previewPage = previewIndex >= 0 ? pages[previewIndex] : undefined;
  const way = notice?.kind === 'problem' ? wayForward(notice.problem, hasCamera) : null;
  const working = busy !== null;

  return (
    <section
      className="capture card"
      aria-labelledby={headingId}
      data-testid="material-capture"
      data-material={material.code}
      data-pages={pages.length}
      aria-busy={working}
    >
      <header className="capture-head">
        <h3 id={headingId} className="capture-title">
          <Icon name="apply" />
          {pick(material.name, lang)}
        </h3>
        <p
          className={pages.length > 0 ? 'capture-count capture-count-some' : 'capture-count'}
          data-testid="capture-count"
        >
          <Icon name={pages.length > 0 ? 'ready' : 'image'} />
          {pages.length > 0
            ? t('applyFlow.capture.pages', { count: pages.length })
            : t('applyFlow.capture.noPages')}
        </p>
      </header>
      {material.requirements && <p className="capture-req">{pick(material.requirements, lang)}</p>}

      {pages.length > 0 && (
        <ol className="capture-pages" aria-label={t('applyFlow.capture.pagesLabel')}>
          {pages.map((p, i) => (
            <li
              key={p.sha256}
              className={p.sha256 === preview ? 'capture-page is-previewed' : 'capture-page'}
              data-sha={p.sha256}
            >
              <button
                type="button"
                className="capture-thumb"
                aria-pressed={p.sha256 === preview}
                onClick={() => setPreview((x) => (x === p.sha256 ? null : p.sha256))}
                data-testid="page-preview"
              >
                {p.thumb ? <img src={p.thumb} alt="" /> : <Icon name="image" />}
                <span className="capture-thumb-label">
                  {t('applyFlow.capture.pageN', { n: i + 1 })}
                  <span className="visually-hidden">{t('applyFlow.capture.previewHint')}</span>
                </span>
              </button>
              <div className="capture-page-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={working}
                  onClick={() => void scan(p.sha256)}
                  data-testid="page-retake"
                >
                  <Icon name="retry" />
                  {t('applyFlow.capture.retake')}
                  <span className="visually-hidden">{t('applyFlow.capture.pageN', { n: i + 1 })}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  disabled={working}
                  onClick={() => void remove(p.sha256)}
                  data-testid="page-delete"
                >
                  <Icon name="close" />
                  {t('applyFlow.capture.delete')}
                  <span className="visually-hidden">{t('applyFlow.capture.pageN', { n: i + 1 })}</span>
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}

      {previewPage && (
        <figure className="capture-preview" data-testid="page-large">
          <img
            src={previewPage.thumb}
            alt={t('applyFlow.capture.previewAlt', { n: previewIndex + 1, name: pick(material.name, lang) })}
          />
          <figcaption>
            <span>
              {t('applyFlow.capture.pageN', { n: previewIndex + 1 })} · {previewPage.width} ×{' '}
              {previewPage.height}
            </span>
            <button type="button" className="btn btn-small" onClick={() => setPreview(null)}>
              <Icon name="close" />
              {t('applyFlow.capture.closePreview')}
            </button>
          </figcaption>
        </figure>
      )}

      <div className="capture-camera" hidden={camera === 'off'}>
        <video
          ref={videoRef}
          className="capture-video"
          muted
          playsInline
          aria-label={t('applyFlow.capture.cameraView')}
        />
        <p className="capture-hint">{t('applyFlow.capture.cameraHint')}</p>
      </div>

      <div className="capture-actions">
        {camera === 'off' ? (
          <>
            <button
              type="button"
              className="btn btn-primary btn-capture"
              disabled={working}
              onClick={() => void scan(null)}
              data-testid="capture-scan"
            >
              <Icon name="scanner" />
              {pages.length > 0 ? t('applyFlow.capture.scanMore') : t('applyFlow.capture.scan')}
            </button>
            {hasCamera && (
              <button
                type="button"
                className="btn btn-capture"
                disabled={working}
                onClick={() => void openCamera()}
                data-testid="capture-camera"
              >
                <Icon name="image" />
                {t('applyFlow.capture.camera')}
              </button>
            )}
          </>
        ) : (
          <>
            <button
              type="button"
              className="btn btn-primary btn-capture"
              disabled={working || camera !== 'on'}
              onClick={() => void takePhoto()}
              data-testid="capture-shoot"
            >
              <Icon name="image" />
              {t('applyFlow.capture.shoot')}
            </button>
            <button
              type="button"
              className="btn btn-capture"
              disabled={working}
              onClick={stopCamera}
              data-testid="capture-camera-close"
            >
              <Icon name="close" />
              {t('applyFlow.capture.closeCamera')}
            </button>
          </>
        )}
      </div>
      {camera === 'off' && !working && pages.length === 0 && notice?.kind !== 'problem' && (
        <p className="capture-hint">{t('applyFlow.capture.scanHint')}</p>
      )}

      <div className="capture-status" aria-live="polite">
        {busy === 'scan' || busy === 'camera' || camera === 'starting' ? (
          <p className="capture-working" role="status" data-testid="capture-working">
            <span className="spinner spinner-small" aria-hidden="true" />
            {camera === 'starting' && busy === null
              ? t('applyFlow.capture.cameraStarting')
              : busy === 'camera'
                ? t('applyFlow.capture.storing')
                : t('applyFlow.capture.scanning')}
          </p>
        ) : notice?.kind === 'added' ? (
          <p className="capture-ok" data-testid="capture-added">
            <Icon name="ready" />
            {t('applyFlow.capture.added', { count: notice.count })}
          </p>
        ) : notice?.kind === 'problem' ? (
          <div
            className="capture-problem"
            role="alert"
            data-testid="capture-error"
            data-problem={notice.problem}
          >
            <Icon name="warning" />
            <div className="capture-problem-body">
              <p className="capture-problem-title">
                {t(
                  notice.via === 'camera'
                    ? 'applyFlow.capture.cameraProblemTitle'
                    : 'applyFlow.capture.problemTitle',
                )}
              </p>
              <p>{problemText}</p>
              {way && (way.retry || way.camera) && (
                <div className="capture-problem-actions">
                  {way.retry && (
                    <button
                      type="button"
                      className="btn btn-primary"
                      data-testid="capture-retry"
                      onClick={() => void (notice.via === 'camera' ? openCamera() : scan(null))}
                    >
                      <Icon name="retry" />
                      {t(
                        notice.via === 'camera' ? 'applyFlow.capture.retryCamera' : 'applyFlow.capture.retry',
                      )}
                    </button>
                  )}
                  {way.camera && notice.via === 'scanner' && (
                    <button
                      type="button"
                      className="btn"
                      data-testid="capture-use-camera"
                      onClick={() => void openCamera()}
                    >
                      <Icon name="image" />
                      {t('applyFlow.capture.useCamera')}
                    </button>
                  )}
                </div>
              )}
            </div>
          </div>
        ) : null}
      </div>
    </section>
  );
}
