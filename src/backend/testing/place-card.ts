/**
 * Placing and lifting a card on the simulated ID-card reader (a real driver over a pty) the way a
 * resident does: a card counts for a session only when it is placed after the session started
 * (docs/security.md, "Whose card, whose case"), so tests start the session first and place the card
 * after it. Placing waits until the reader has seen the previous card go — a card swapped faster than
 * the reader polls is, to the kiosk, the same card still lying there.
 */
import { idcard, type DeviceManager } from '../../devices/index.js';

async function until(
  devices: DeviceManager,
  what: string,
  ok: () => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) {
      const seen = {
        reader: devices.idcardReader()?.status(),
        sim: devices.simulators().idcard?.snapshot().card,
      };
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function simulator(devices: DeviceManager): idcard.IdCardSimulator {
  const sim = devices.simulators().idcard;
  if (!sim) throw new Error('the ID-card reader is not a simulator');
  return sim;
}

/** Takes the card off the reader and waits until the reader has seen it go. */
export async function liftCard(devices: DeviceManager): Promise<void> {
  simulator(devices).removeCard();
  await until(devices, 'the card to leave the reader', () => devices.currentCard() === null);
}

/**
 * Places a card (after the previous one has gone) and waits until the reader has read it. A read that
 * failed (a timeout on a loaded machine: the reader then reports the card once and waits for it to
 * leave) is met as a person meets it — the card is lifted and placed again, up to three times.
 */
export async function placeCard(
  devices: DeviceManager,
  card: idcard.SimCard = idcard.SAMPLE_CARDS.resident,
): Promise<void> {
  await liftCard(devices);
  for (let attempt = 1; ; attempt++) {
    const placed = simulator(devices).insertCard(card);
    if (!placed.ok) throw new Error(placed.error);
    try {
      await until(devices, 'the card to be read', () => devices.currentCard() !== null, 10_000);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      simulator(devices).removeCard();
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
