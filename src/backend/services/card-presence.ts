/**
 * Whose card is on the reader (docs/security.md, "Whose card, whose case"). A card identifies only the
 * person who placed it during their own visit:
 *
 * - A card already lying on the reader when a session starts is never used: `session.identify`
 *   answers `lift-card` and the screen asks for it to be lifted and placed again. (The one exception:
 *   a card placed on the home screen starts the session itself — trigger `card` — within
 *   `CLAIM_WINDOW_MS` of being placed, after the last session ended, on a reader that had been seen
 *   empty; that card is the visitor's own.)
 * - A card still on the reader when a session ends is *left*: `cardLeft` in the system status makes the
 *   home screen show an alarm and say it by voice until the card is taken (audit `card-left`,
 *   `card-taken`). A card found on the reader when it opens (a kiosk restarted with a card on it) is
 *   left too.
 *
 * Cards are told apart by a generation number that grows with every card-present event: the session
 * keeps the generation it may use (`usableFrom`), and a card on the reader with a lower one is stale.
 */
import type { DeviceManager } from '../../devices/index.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';

/** A card placed on the home screen starts a session with it when the session starts this soon after. */
export const CLAIM_WINDOW_MS = 15_000;
/** How long the reader must have been working without a card before a card placed counts as placed. */
export const SETTLE_MS = 2_000;

export function createCardPresence(deps: {
  db: Db;
  devices: DeviceManager;
  clock: () => Date;
  /** The alarm went on or off (the status service publishes it). */
  onLeftChange: (left: boolean) => void;
}) {
  const { devices, clock } = deps;
  const audit = createAuditStore(deps.db);
  const now = () => clock().getTime();
  /** Card-present events seen so far; the card on the reader has generation `generation`. */
  let generation = 0;
  let present: { generation: number; placedAt: number } | null = null;
  /** The reader was seen without a card (a removal while it was working). Until then a card is a leftover. */
  let seenEmpty = false;
  /** Since when the working reader has had no card (its first polls may still find one). */
  let emptySince: number | null = null;
  let inSession = false;
  let lastSessionEnd = -Infinity;
  let left = false;

  const setLeft = (next: boolean) => {
    if (left === next) return;
    left = next;
    audit.record(next ? 'card-left' : 'card-taken', null, null, clock().toISOString());
    deps.onLeftChange(next);
  };

  const readerReady = () => devices.idcardReader()?.status().state === 'ready';

  const off = devices.onCard((e) => {
    if (e.type === 'card-present') {
      generation++;
      present = { generation, placedAt: now() };
      // A card found when the reader opened was lying there before anyone was watching; one placed
      // during a session, or after the reader had been working empty for a while, was placed now.
      if (inSession || (emptySince !== null && now() - emptySince >= SETTLE_MS)) seenEmpty = true;
      if (!seenEmpty) setLeft(true);
    } else if (e.type === 'card-removed') {
      present = null;
      if (readerReady()) seenEmpty = true;
      setLeft(false);
    }
  });
  // A reader that opens empty has been seen empty.
  const offStatus = devices.onStatus((s) => {
    if (s.kind !== 'idcard') return;
    if (!readerReady()) emptySince = null;
    else if (emptySince === null && devices.currentCard() === null && present === null) emptySince = now();
  });

  return {
    /**
     * A session starts: the first card generation it may use. A card on the reader now is stale unless
     * it was placed on the home screen to start this very session.
     */
    sessionStarted(trigger: 'touch' | 'card'): number {
      inSession = true;
      const p = present;
      const claim =
        trigger === 'card' &&
        p !== null &&
        !left &&
        seenEmpty &&
        p.placedAt > lastSessionEnd &&
        now() - p.placedAt <= CLAIM_WINDOW_MS;
      return claim ? p.generation : generation + 1;
    },
    /** Whether the card on the reader now may identify a session that may use `usableFrom` onwards. */
    usable(usableFrom: number): boolean {
      return present !== null && devices.currentCard() !== null && present.generation >= usableFrom;
    },
    /** A session ended: a card still on the reader is left behind. */
    sessionEnded(): void {
      inSession = false;
      lastSessionEnd = now();
      if (present !== null && devices.currentCard() !== null) setLeft(true);
    },
    cardLeft: (): boolean => left,
    close(): void {
      off();
      offStatus();
    },
  };
}
export type CardPresence = ReturnType<typeof createCardPresence>;
