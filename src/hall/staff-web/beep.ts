/**
 * A short two-tone beep for the live desk's 即办件 alert, made with WebAudio (no sound file, nothing
 * fetched: the page's CSP allows only its own script and API). Browsers block audio until the page
 * has been interacted with and some desks have no speaker: every failure is swallowed — the banner
 * and its highlight carry the alert without sound.
 */
type AudioCtor = new () => AudioContext;

let ctx: AudioContext | null = null;

export function beep(): boolean {
  try {
    const Ctor = (window as unknown as { AudioContext?: AudioCtor; webkitAudioContext?: AudioCtor })
      .AudioContext;
    if (!Ctor) return false;
    ctx ??= new Ctor();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    const at = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.25, at + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at + i * 0.18);
      osc.stop(at + i * 0.18 + 0.17);
    }
    return true;
  } catch {
    return false;
  }
}
