/**
 * The resident session (docs/resident-journey.md, "Around every flow"): one resident at a time at one kiosk.
 * It holds who is applying (read from the ID card; in 帮办代办 assisted mode the helper's card first, then the
 * applicant's) and the pages captured for each material, until the submission takes them or the
 * session ends. Ending — finished, timeout, 返回首页, card removed — wipes identity, unsubmitted
 * pages (their files too) and form data. The renderer only ever sees masked identities.
 *
 * The renderer runs the visible countdown; the backend keeps a backstop timeout of its own so a
 * crashed or disconnected screen never leaves a resident's identity behind.
 */
import { sealerFor } from '../../shared/at-rest/index.js';
import { createHash, randomUUID } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { idcard, scanner as scanners, type DeviceManager } from '../../devices/index.js';
import type {
  ApplyPlan,
  ApplyTarget,
  CapturedPage,
  EndReason,
  MaskedIdentity,
  Prefill,
  SessionRole,
  SessionView,
} from '../../shared/index.js';
import type { Logger } from '../logger.js';
import type { CardPresence } from './card-presence.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { maskIdNumber, maskName } from '../../shared/mask.js';
import {
  err,
  isStorageFull,
  ok,
  sessionExpired,
  STORAGE_FULL,
  type Result,
  type SessionExpired,
  type StorageFull,
} from '../../shared/result.js';

export type HeldIdentity = {
  name: string;
  idNumber: string;
  sex: string | null;
  birthDate: string;
  nation: string | null;
  address: string | null;
  masked: MaskedIdentity;
};

type HeldPage = CapturedPage & { mime: 'image/jpeg'; capturedAt: string; device: string };

/** A plan the screen was shown (application-plan.ts), for the applicant it was made for. */
export type KeptPlan = { plan: ApplyPlan; catalogStamp: string; applicant: HeldIdentity | null };

const targetKey = (t: ApplyTarget) => `${t.kind}:${t.code}`;

type Session = {
  id: string;
  startedAt: Date;
  lastActivity: number;
  mode: 'self' | 'assisted';
  /** The first card generation this session may use (card-presence.ts): older cards are not its own. */
  usableFrom: number;
  applicant: HeldIdentity | null;
  helper: HeldIdentity | null;
  pages: Map<string, HeldPage[]>;
  /** The plan shown per target (`item:<code>` / `bundle:<code>`); forgotten when an identity changes. */
  plans: Map<string, KeptPlan>;
  /**
   * Applications this session may act on without the applicant's card (case-access.ts): their access
   * code was entered or issued here. The code itself is kept (memory only) so a receipt printed in this
   * session carries it; null when the code is not known.
   */
  grants: Map<string, string | null>;
};

export type IdentifyError =
  | SessionExpired
  | { kind: 'no-reader' }
  | { kind: 'timeout' }
  | { kind: 'read-failed'; reason: string }
  | { kind: 'invalid-card' }
  | { kind: 'same-card' }
  | { kind: 'expired-card' }
  /** A card lay on the reader before this session started: lift it and place it again. */
  | { kind: 'lift-card' };

/** Why a capture added no page (or not all of them): the session as it is now goes with it. */
export type CaptureFault =
  | { kind: 'no-scanner' }
  | { kind: 'scanner'; code: string; message: string }
  | { kind: 'blank' }
  | { kind: 'image'; message: string }
  | { kind: 'too-many-pages'; limit: number }
  /** The disk is full: this page was not stored; the pages captured before it are kept. */
  | StorageFull;

/**
 * A capture's failure: the session is gone, or a fault — which carries the session, since pages
 * scanned before a scanner fault are kept and the screen shows them.
 */
export type CaptureError = SessionExpired | (CaptureFault & { session: SessionView });

export type Identified = { session: SessionView };
export type Scanned = { session: SessionView; added: number; blank: number };
export type Captured = { session: SessionView };

export const MAX_PAGES_PER_MATERIAL = 20;

/** The scan fault a scanner's status stands for, or null when a scan may start (feeder or glass). */
export function scanNotReady(st: scanners.ScannerStatus): scanners.ScanFaultKind | null {
  switch (st.state) {
    case 'ready':
      return null;
    case 'jam':
      return 'jam';
    case 'door-open':
      return 'door-open';
    case 'busy':
      return 'busy';
    case 'offline':
      return 'device-gone';
    case 'error':
      return 'device-error';
    default: {
      const never: never = st;
      return never;
    }
  }
}

/** Salted hash of an ID number: finds a resident's applications after their data was purged. */
export function idNumberHash(salt: string, idNumber: string): string {
  return createHash('sha256').update(`${salt}:${idNumber.toUpperCase()}`).digest('hex');
}

export function holdIdentity(identity: idcard.IdentityRecord): HeldIdentity {
  const idNumber = identity.idNumber;
  const name =
    identity.cardType === 'foreign2017' || identity.cardType === 'foreign2023'
      ? (identity.chineseName ?? identity.name)
      : identity.name;
  return {
    name,
    idNumber,
    sex: identity.sex === 'male' || identity.sex === 'female' ? identity.sex : null,
    birthDate: identity.birthDate,
    nation: identity.nation ?? null,
    address: identity.address ?? null,
    masked: { cardType: identity.cardType, nameMasked: maskName(name), idMasked: maskIdNumber(idNumber) },
  };
}

export function createSessionService(deps: {
  db: Db;
  devices: DeviceManager;
  blobDir: string;
  logger: Logger;
  clock: () => Date;
  /** Backstop: a session with no call for this long is ended and wiped. */
  maxIdleMs: number;
  /** Which card on the reader is the session's own (a card left by someone else never is). */
  presence: CardPresence;
  onEnd?: (reason: EndReason) => void;
}) {
  const { db, devices, clock, logger } = deps;
  const store = scanners.createBlobStore({ root: deps.blobDir, sealer: sealerFor(deps.db) });
  const pipeline = scanners.createPagePipeline({ store, logger });
  const audit = createAuditStore(db);
  const attachments = createAttachmentsStore(db);
  let current: Session | null = null;

  const nowIso = () => clock().toISOString();

  const inUse = (sha: string, except: Session | null): boolean =>
    attachments.isReferenced(sha) ||
    (except !== null && [...except.pages.values()].some((ps) => ps.some((p) => p.sha256 === sha)));

  async function deleteFiles(shas: Iterable<string>): Promise<void> {
    for (const sha of new Set(shas)) {
      if (inUse(sha, current)) continue;
      await unlink(store.pathOf(sha)).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          logger.warn({ err: e }, 'could not delete an unsubmitted page');
      });
    }
  }

  function live(id: string): Session | null {
    if (!current || current.id !== id) return null;
    current.lastActivity = clock().getTime();
    return current;
  }

  function view(s: Session): SessionView {
    const a = s.applicant;
    const prefill: Prefill = a
      ? {
          values: {
            name: a.masked.nameMasked,
            idNumber: a.masked.idMasked,
            ...(a.sex ? { sex: a.sex } : {}),
            birthDate: a.birthDate,
            ...(a.nation ? { nation: a.nation } : {}),
            ...(a.address ? { address: a.address } : {}),
          },
          locked: ['name', 'idNumber'],
        }
      : { values: {}, locked: [] };
    return {
      id: s.id,
      startedAt: s.startedAt.toISOString(),
      mode: s.mode,
      applicant: a?.masked ?? null,
      helper: s.helper?.masked ?? null,
      prefill,
      captured: Object.fromEntries(
        [...s.pages].map(([code, pages]) => [
          code,
          pages.map(({ sha256, width, height, size, thumb }) => ({ sha256, width, height, size, thumb })),
        ]),
      ),
    };
  }

  async function end(reason: EndReason): Promise<void> {
    const s = current;
    if (!s) return;
    current = null;
    const files = [...s.pages.values()].flatMap((ps) => ps.map((p) => p.sha256));
    s.pages.clear();
    s.applicant = null;
    s.helper = null;
    s.plans.clear();
    s.grants.clear();
    audit.record('session-end', s.id, { reason, unsubmittedPages: files.length }, nowIso());
    deps.presence.sessionEnded();
    await deleteFiles(files);
    deps.onEnd?.(reason);
  }

  async function thumbnail(jpeg: Buffer): Promise<string> {
    // sharp (libvips) loads with the first captured page, not when the kiosk starts.
    const { default: sharp } = await import('sharp');
    const small = await sharp(jpeg)
      .resize({ width: 240, withoutEnlargement: true })
      .jpeg({ quality: 60 })
      .toBuffer();
    return `data:image/jpeg;base64,${small.toString('base64')}`;
  }

  async function addStored(
    s: Session,
    material: string,
    stored: scanners.StoredPage[],
    device: string,
  ): Promise<void> {
    const list = s.pages.get(material) ?? [];
    for (const p of stored) {
      const data = await store.read(p.sha256);
      const thumb = data.ok ? await thumbnail(data.value) : '';
      list.push({
        sha256: p.sha256,
        width: p.width,
        height: p.height,
        size: p.size,
        thumb,
        mime: 'image/jpeg',
        capturedAt: clock().toISOString(),
        device,
      });
    }
    s.pages.set(material, list);
  }

  /**
   * A full disk met while capturing (the page file, or the audit entry in the database) is said as
   * storage-full with the session as it is: the pages captured before it stay.
   */
  async function fullAsFault<T>(
    id: string,
    capture: () => Promise<Result<T, CaptureError>>,
  ): Promise<Result<T, CaptureError>> {
    try {
      return await capture();
    } catch (e) {
      const s = live(id);
      if (!isStorageFull(e) || !s) throw e;
      return err({ ...STORAGE_FULL, session: view(s) });
    }
  }

  async function scanInto(id: string, material: string): Promise<Result<Scanned, CaptureError>> {
    const s = live(id);
    if (!s) return sessionExpired();
    const fault = (f: CaptureFault) => err({ ...f, session: view(s) });
    const scanner = devices.documentScanner();
    if (!scanner) return fault({ kind: 'no-scanner' });
    const have = s.pages.get(material)?.length ?? 0;
    if (have >= MAX_PAGES_PER_MATERIAL)
      return fault({ kind: 'too-many-pages', limit: MAX_PAGES_PER_MATERIAL });
    // Readiness first: a jammed feeder, an open door or a busy/absent device is said as what it
    // is. Scanning the glass instead would add a page the resident never laid there, silently.
    const st = await scanner.status();
    const notReady = scanNotReady(st);
    if (notReady) {
      audit.record('capture-failed', s.id, { material, fault: notReady, pagesKept: 0 }, nowIso());
      return fault({ kind: 'scanner', code: notReady, message: scanners.faultMessage(notReady) });
    }
    // The feeder when papers are in it (multi-page), the flatbed otherwise.
    const source = st.state === 'ready' && st.feeder === 'loaded' ? 'feeder' : 'flatbed';
    const result = await scanner.scan({
      source,
      colorMode: 'color',
      resolution: 200,
      maxPages: MAX_PAGES_PER_MATERIAL - have,
    });
    const raw = result.ok ? result.pages : result.pagesBeforeFault;
    const processed = await pipeline.processPages(
      raw.map((p) => p.data),
      { pagesSoFar: have },
    );
    if (current?.id !== s.id) {
      await deleteFiles(processed.stored.map((p) => p.sha256));
      return sessionExpired();
    }
    await addStored(s, material, processed.stored, `scanner:${devices.uri('scanner')}`);
    if (processed.stored.length > 0)
      audit.record('capture', s.id, { material, pages: processed.stored.length, via: 'scanner' }, nowIso());
    if (!result.ok) {
      audit.record(
        'capture-failed',
        s.id,
        { material, fault: result.error.kind, pagesKept: processed.stored.length },
        nowIso(),
      );
      return fault({ kind: 'scanner', code: result.error.kind, message: result.error.message });
    }
    if (processed.error?.error.kind === 'storage-full') return fault(STORAGE_FULL);
    if (processed.error) return fault({ kind: 'image', message: processed.error.error.message });
    if (processed.stored.length === 0 && processed.blankPages.length > 0) return fault({ kind: 'blank' });
    return ok({ session: view(s), added: processed.stored.length, blank: processed.blankPages.length });
  }

  /** A frame from the document camera (data URL) through the same pipeline. */
  async function cameraInto(
    id: string,
    material: string,
    dataUrl: string,
  ): Promise<Result<Captured, CaptureError>> {
    const s = live(id);
    if (!s) return sessionExpired();
    const fault = (f: CaptureFault) => err({ ...f, session: view(s) });
    const have = s.pages.get(material)?.length ?? 0;
    if (have >= MAX_PAGES_PER_MATERIAL)
      return fault({ kind: 'too-many-pages', limit: MAX_PAGES_PER_MATERIAL });
    const m = /^data:image\/(jpeg|png);base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
    if (!m?.[2]) return fault({ kind: 'image', message: 'not a JPEG or PNG data URL' });
    const r = await pipeline.processPage(Buffer.from(m[2], 'base64'), { pagesSoFar: have });
    if (!r.ok && r.error.kind === 'storage-full') return fault(STORAGE_FULL);
    if (!r.ok) return fault({ kind: 'image', message: r.error.message });
    if (r.value.kind === 'blank') return fault({ kind: 'blank' });
    if (current?.id !== s.id) {
      await deleteFiles([r.value.page.sha256]);
      return sessionExpired();
    }
    await addStored(s, material, [r.value.page], 'camera');
    audit.record('capture', s.id, { material, pages: 1, via: 'camera' }, nowIso());
    return ok({ session: view(s) });
  }

  const timer = setInterval(
    () => {
      if (current && clock().getTime() - current.lastActivity > deps.maxIdleMs) {
        void end('timeout');
      }
    },
    Math.min(30_000, Math.max(1000, Math.floor(deps.maxIdleMs / 4))),
  );
  timer.unref();

  return {
    /** A new session; whatever an earlier one left behind is wiped first. */
    async start(trigger: 'touch' | 'card'): Promise<SessionView> {
      await end('home');
      const now = clock();
      current = {
        id: randomUUID(),
        startedAt: now,
        lastActivity: now.getTime(),
        mode: 'self',
        usableFrom: deps.presence.sessionStarted(trigger),
        applicant: null,
        helper: null,
        pages: new Map(),
        plans: new Map(),
        grants: new Map(),
      };
      audit.record('session-start', current.id, { trigger }, nowIso());
      return view(current);
    },

    view(id: string): Result<SessionView, SessionExpired> {
      const s = live(id);
      return s ? ok(view(s)) : sessionExpired();
    },

    setMode(id: string, mode: 'self' | 'assisted'): Result<SessionView, SessionExpired> {
      const s = live(id);
      if (!s) return sessionExpired();
      s.mode = mode;
      s.applicant = null;
      s.helper = null;
      s.plans.clear();
      return ok(view(s));
    },

    /**
     * Waits for a card for `role`. A card placed during this session and still on the reader counts,
     * unless it is the helper's card and the applicant's is wanted (the helper must swap cards). A card
     * that lay there before the session started is never used: `lift-card` at once (the screen asks for
     * it to be lifted and placed again, and asks again when it has been).
     */
    async identify(
      id: string,
      role: SessionRole,
      timeoutMs: number,
    ): Promise<Result<Identified, IdentifyError>> {
      const s = live(id);
      if (!s) return sessionExpired();
      if (!devices.idcardReader()) return err({ kind: 'no-reader' });
      const other = role === 'applicant' ? s.helper : null;
      const acceptable = (identity: idcard.IdentityRecord) => !other || identity.idNumber !== other.idNumber;

      const present = devices.currentCard();
      if (present && !deps.presence.usable(s.usableFrom)) {
        audit.record('identify-failed', s.id, { role, error: 'lift-card' }, nowIso());
        return err({ kind: 'lift-card' });
      }
      let identity: idcard.IdentityRecord | null =
        present && acceptable(present.identity) ? present.identity : null;
      if (!identity) {
        const got = await new Promise<Result<idcard.IdentityRecord, IdentifyError>>((resolve) => {
          let sawSame = present !== null;
          let readErrors = 0;
          const timer = setTimeout(() => {
            off();
            resolve(
              err(
                sawSame
                  ? { kind: 'same-card' }
                  : readErrors > 0
                    ? { kind: 'read-failed', reason: 'read-failed' }
                    : { kind: 'timeout' },
              ),
            );
          }, timeoutMs);
          const off = devices.onCard((e) => {
            if (e.type === 'card-present') {
              if (!acceptable(e.identity)) {
                sawSame = true;
                return;
              }
              clearTimeout(timer);
              off();
              resolve(ok(e.identity));
            } else if (e.type === 'card-invalid') {
              clearTimeout(timer);
              off();
              resolve(err({ kind: 'invalid-card' }));
            } else if (e.type === 'card-error') {
              // A card lifted mid-read or held at an angle: the screen hints "place it again" (card
              // event on the stream) and the wait goes on for the re-placed card.
              readErrors++;
            }
          });
        });
        if (!got.ok) {
          audit.record('identify-failed', s.id, { role, error: got.error.kind }, nowIso());
          return got;
        }
        identity = got.value;
      }
      if (current?.id !== s.id) return sessionExpired();
      const today = clock().toISOString().slice(0, 10);
      if (identity.validTo !== idcard.LONG_TERM && identity.validTo < today) {
        audit.record('identify-failed', s.id, { role, error: 'expired-card' }, nowIso());
        return err({ kind: 'expired-card' });
      }
      const held = holdIdentity(identity);
      if (role === 'helper') s.helper = held;
      else s.applicant = held;
      // Shared licences were looked up for the previous applicant (or none): plan again.
      s.plans.clear();
      audit.record(
        'identify',
        s.id,
        { role, cardType: held.masked.cardType, name: held.name, idNumber: held.idNumber },
        nowIso(),
      );
      return ok({ session: view(s) });
    },

    /** Scans with the configured scanner and adds the pages to a material. */
    scan(id: string, material: string): Promise<Result<Scanned, CaptureError>> {
      return fullAsFault(id, () => scanInto(id, material));
    },

    /** A frame from the document camera (data URL) through the same pipeline. */
    camera(id: string, material: string, dataUrl: string): Promise<Result<Captured, CaptureError>> {
      return fullAsFault(id, () => cameraInto(id, material, dataUrl));
    },

    /** Removes one captured page (its file too, unless an application holds it). */
    async removePage(
      id: string,
      material: string,
      sha256: string,
    ): Promise<Result<SessionView, SessionExpired>> {
      const s = live(id);
      if (!s) return sessionExpired();
      const list = s.pages.get(material) ?? [];
      const i = list.findIndex((p) => p.sha256 === sha256);
      if (i >= 0) {
        list.splice(i, 1);
        if (list.length === 0) s.pages.delete(material);
        await deleteFiles([sha256]);
      }
      return ok(view(s));
    },

    /** The live session's raw contents, for the submission (never sent to the renderer). */
    held(id: string): {
      id: string;
      mode: 'self' | 'assisted';
      applicant: HeldIdentity | null;
      helper: HeldIdentity | null;
      pages: ReadonlyMap<string, readonly HeldPage[]>;
    } | null {
      const s = live(id);
      return s ? { id: s.id, mode: s.mode, applicant: s.applicant, helper: s.helper, pages: s.pages } : null;
    },

    /** After a submission took pages: they belong to the application now, not the session. */
    /** This session may act on the application (its access code was entered or issued here). */
    grant(id: string, applicationId: string, code: string | null): void {
      const s = live(id);
      if (!s) return;
      const had = s.grants.get(applicationId);
      s.grants.set(applicationId, code ?? had ?? null);
    },

    /** The session's grant for an application: the code when known; null when there is no grant. */
    grantOf(id: string, applicationId: string): { code: string | null } | null {
      const s = live(id);
      if (!s || !s.grants.has(applicationId)) return null;
      return { code: s.grants.get(applicationId) ?? null };
    },

    releasePages(id: string, materials: readonly string[]): void {
      const s = live(id);
      if (!s) return;
      for (const m of materials) s.pages.delete(m);
    },

    /** Keeps the plan the screen shows, unless the applicant changed while it was being made. */
    keepPlan(id: string, kept: KeptPlan): void {
      const s = live(id);
      if (!s || s.applicant !== kept.applicant) return;
      s.plans.set(targetKey(kept.plan.target), kept);
    },

    /** The plan kept for this target, if the screen asked for one since the identity was read. */
    keptPlan(id: string, target: ApplyTarget): KeptPlan | null {
      return live(id)?.plans.get(targetKey(target)) ?? null;
    },

    /** After a submission used the plan: a new application for the target plans afresh. */
    forgetPlan(id: string, target: ApplyTarget): void {
      live(id)?.plans.delete(targetKey(target));
    },

    async end(id: string | null, reason: EndReason): Promise<void> {
      if (id !== null && current?.id !== id) return;
      await end(reason);
    },

    activeId: (): string | null => current?.id ?? null,

    async close(): Promise<void> {
      clearInterval(timer);
      await end('home');
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
