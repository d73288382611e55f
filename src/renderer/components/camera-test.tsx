/**
 * 高拍仪测试: the document camera is a UVC camera, so the screen opens it with getUserMedia (the
 * Electron shell allows `media` for the app origin only), shows the live view, grabs one frame into a
 * canvas and sends it as a JPEG data URL to `tech.cameraTest`, which runs it through the same page
 * pipeline as scanner pages (JPEG, blank-page check, content-addressed store).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rpcErrorCode, rpcErrorMessage, useCameraTest } from '../api/index.js';
import { Icon } from './icon.js';

type CameraState =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'on' }
  | { kind: 'error'; reason: 'denied' | 'notFound' | 'unavailable' | 'other'; detail: string };

/** Maps getUserMedia's DOMException names to what a technician can act on. */
export function cameraErrorReason(name: string): 'denied' | 'notFound' | 'other' {
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'notFound';
  return 'other';
}

export function CameraTest({ onExpired }: { onExpired: () => void }) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [camera, setCamera] = useState<CameraState>({ kind: 'off' });
  const [callError, setCallError] = useState<string | null>(null);
  const store = useCameraTest({
    onMutate: () => setCallError(null),
    onError: (e) => (rpcErrorCode(e) === 'UNAUTHORIZED' ? onExpired() : setCallError(rpcErrorMessage(e))),
  });

  const stop = () => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setCamera({ kind: 'off' });
  };
  // The camera is released when the technician leaves the console.
  useEffect(() => () => streamRef.current?.getTracks().forEach((track) => track.stop()), []);

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia)
      return setCamera({ kind: 'error', reason: 'unavailable', detail: '' });
    setCamera({ kind: 'starting' });
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1920 }, height: { ideal: 1080 } },
        audio: false,
      });
      streamRef.current = stream;
      if (videoRef.current) {
        videoRef.current.srcObject = stream;
        await videoRef.current.play();
      }
      setCamera({ kind: 'on' });
    } catch (e) {
      const err = e as DOMException;
      setCamera({ kind: 'error', reason: cameraErrorReason(err.name), detail: err.message });
    }
  };

  const capture = () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    store.mutate({ image: canvas.toDataURL('image/jpeg', 0.9) });
  };

  const result = store.isPending ? (
    <div className="tech-result tone-info" data-outcome="running">
      <span className="spinner spinner-small" aria-hidden="true" />
      <div className="tech-result-body">{t('tech.tests.camera.running')}</div>
    </div>
  ) : callError !== null || camera.kind === 'error' || (store.data && !store.data.ok) ? (
    <div className="tech-result tone-bad" data-outcome="failed">
      <Icon name="fault" />
      <div className="tech-result-body">
        <strong>
          {camera.kind === 'error' && camera.reason !== 'other'
            ? t(`tech.tests.camera.${camera.reason}`)
            : t('tech.tests.camera.failed')}
        </strong>
        <span className="tech-detail">
          {callError ??
            (camera.kind === 'error'
              ? camera.detail
              : store.data && !store.data.ok
                ? store.data.error.message
                : '')}
        </span>
      </div>
    </div>
  ) : store.data?.ok ? (
    <div
      className={`tech-result ${store.data.value.blank ? 'tone-bad' : 'tone-ok'}`}
      data-outcome={store.data.value.blank ? 'blank' : 'ok'}
    >
      <Icon name={store.data.value.blank ? 'warning' : 'ready'} />
      <div className="tech-result-body">
        <strong>
          {store.data.value.blank ? t('tech.tests.camera.blank') : t('tech.tests.camera.stored')}
        </strong>
        {store.data.value.page && (
          <span className="tech-detail">
            {t('tech.tests.camera.size', {
              width: store.data.value.page.width,
              height: store.data.value.page.height,
            })}
          </span>
        )}
      </div>
    </div>
  ) : camera.kind === 'starting' ? (
    <div className="tech-result tone-info" data-outcome="running">
      <span className="spinner spinner-small" aria-hidden="true" />
      <div className="tech-result-body">{t('tech.tests.camera.starting')}</div>
    </div>
  ) : null;

  return (
    <article className="tech-test" data-testid="test-camera">
      <h4 className="tech-test-title">
        <Icon name="scanner" />
        {t('tech.tests.camera.title')}
      </h4>
      <p className="tech-note">{t('tech.tests.camera.intro')}</p>
      <video
        ref={videoRef}
        className="camera-preview"
        muted
        playsInline
        aria-label={t('tech.tests.camera.preview')}
        hidden={camera.kind !== 'on'}
      />
      <div className="tech-actions">
        {camera.kind === 'on' ? (
          <>
            <button type="button" className="btn btn-primary" onClick={capture} disabled={store.isPending}>
              <Icon name="scanner" />
              {t('tech.tests.camera.capture')}
            </button>
            <button type="button" className="btn" onClick={stop}>
              {t('tech.tests.camera.stop')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void start()}
            disabled={camera.kind === 'starting'}
          >
            <Icon name="scanner" />
            {t('tech.tests.camera.start')}
          </button>
        )}
      </div>
      <div className="tech-test-result" aria-live="polite" data-testid="test-camera-result">
        {result}
      </div>
    </article>
  );
}
