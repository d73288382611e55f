/**
 * In-memory reader for unit tests of consumers (device manager, session service, UI events). It
 * speaks no protocol: tests call its controls and it emits the events a real reader would. Driver
 * behaviour is tested against the simulator over a real pty instead.
 */
import type { IdentityRecord, InvalidCard } from './identity.js';
import { WltPhoto } from './photo.js';
import { PHOTO_LENGTH } from './protocol.js';
import type { CardErrorReason, IdCardEvent, IdCardReader, IdCardStatus } from './types.js';

export class FakeIdCardReader implements IdCardReader {
  private current: IdCardStatus;
  private readonly listeners = new Set<(event: IdCardEvent) => void>();
  private running = false;

  constructor(initial: IdCardStatus = { state: 'ready', samId: 'fake' }) {
    this.current = initial;
  }

  get isRunning(): boolean {
    return this.running;
  }

  status(): IdCardStatus {
    return this.current;
  }

  subscribe(listener: (event: IdCardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.running = true;
  }

  stop(): Promise<void> {
    this.running = false;
    this.setStatus({ state: 'stopped' });
    return Promise.resolve();
  }

  // ── test controls ─────────────────────────────────────────────────────────

  setStatus(status: IdCardStatus): void {
    this.current = status;
    this.emit({ type: 'status', status });
  }

  presentCard(
    identity: IdentityRecord,
    options: { photo?: WltPhoto; extraAddress?: string | null } = {},
  ): void {
    this.emit({
      type: 'card-present',
      identity,
      photo: options.photo ?? new WltPhoto(new Uint8Array(PHOTO_LENGTH)),
      extraAddress: options.extraAddress ?? null,
    });
  }

  presentInvalidCard(invalid: InvalidCard): void {
    this.emit({ type: 'card-invalid', invalid });
  }

  failCard(reason: CardErrorReason): void {
    this.emit({ type: 'card-error', reason });
  }

  removeCard(): void {
    this.emit({ type: 'card-removed' });
  }

  private emit(event: IdCardEvent): void {
    for (const l of this.listeners) l(event);
  }
}
