/**
 * What `scanimage` prints, turned into values (docs/devices-scanner.md, "SANE in brief"): the device's
 * options from `scanimage -d DEV -A` (mode, source, resolution), and the cause of a failed run from
 * its exit status and stderr. scanimage exits with the SANE_Status of the failing call (sane.h:
 * 2 CANCELLED, 3 DEVICE_BUSY, 4 INVAL, 6 JAMMED, 7 NO_DOCS, 8 COVER_OPEN, 9 IO_ERROR, 11 ACCESS_DENIED,
 * 12 WARMING_UP, 13 HW_LOCKED) and prints sane_strstatus() text; a failed sane_open exits 1.
 */
import { fault, type ScanFault, type ScanSource } from './types.js';

export type SaneResolutions =
  { kind: 'range'; min: number; max: number } | { kind: 'list'; values: number[] };

export type SaneOptions = {
  modes: string[];
  sources: string[];
  resolutions: SaneResolutions | null;
};

const OPTION_LINE = /^\s+--(mode|source|resolution)\s+(.+?)\s+\[([^\]]*)\]\s*$/;

export function parseSaneOptions(helpText: string): SaneOptions {
  const out: SaneOptions = { modes: [], sources: [], resolutions: null };
  for (const line of helpText.split('\n')) {
    const m = OPTION_LINE.exec(line);
    if (!m || m[3] === 'inactive') continue;
    const name = m[1]!;
    const values = m[2]!;
    if (name === 'mode') out.modes = values.split('|').map((v) => v.trim());
    else if (name === 'source') out.sources = values.split('|').map((v) => v.trim());
    else {
      const spec = values
        .replace(/\(in steps of [^)]*\)/, '')
        .replace(/dpi/g, '')
        .trim();
      const range = /^(\d+)\.\.(\d+)$/.exec(spec);
      if (range) out.resolutions = { kind: 'range', min: Number(range[1]), max: Number(range[2]) };
      else {
        const list = spec
          .split('|')
          .map(Number)
          .filter((n) => Number.isInteger(n) && n > 0);
        if (list.length > 0) out.resolutions = { kind: 'list', values: list };
      }
    }
  }
  return out;
}

/** The `--source` value for flatbed or feeder, by the names backends use ("Flatbed", "ADF Front", …). */
export function pickSaneSource(source: ScanSource, options: SaneOptions): string | null {
  if (options.sources.length === 0) return null;
  if (source === 'flatbed')
    return options.sources.find((s) => /flatbed|platen|normal|document table/i.test(s)) ?? null;
  const feeders = options.sources.filter((s) => /adf|feeder|automatic/i.test(s));
  return feeders.find((s) => !/duplex|back|rear/i.test(s)) ?? feeders[0] ?? null;
}

/** The `--mode` value: Lineart falls back to Gray, Gray to Color, when a backend lacks them. */
export function pickSaneMode(
  colorMode: 'color' | 'grayscale' | 'black-and-white',
  options: SaneOptions,
): string | null {
  const find = (re: RegExp) => options.modes.find((m) => re.test(m));
  const color = find(/^colou?r$/i) ?? find(/colou?r/i);
  const gray = find(/gr[ae]y/i);
  const bw = find(/lineart|binary|black|halftone/i);
  switch (colorMode) {
    case 'color':
      return color ?? null;
    case 'grayscale':
      return gray ?? color ?? null;
    case 'black-and-white':
      return bw ?? gray ?? color ?? null;
    default: {
      const never: never = colorMode;
      throw new Error(`unknown colour mode ${String(never)}`);
    }
  }
}

export function pickSaneResolution(wanted: number, options: SaneOptions): number {
  const r = options.resolutions;
  if (r === null) return wanted;
  if (r.kind === 'range') return Math.min(r.max, Math.max(r.min, wanted));
  let best = r.values[0] ?? wanted;
  for (const v of r.values) if (Math.abs(v - wanted) < Math.abs(best - wanted)) best = v;
  return best;
}

export type SaneRunOutcome = { exitCode: number | null; stderr: string; source: ScanSource; pages: number };

function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Scann(ing|ed) page|^Batch terminated|^Output format/i.test(l));
  return lines.at(-1) ?? '';
}

/**
 * Classifies a scanimage run that did not exit 0. `null`: not a fault — the feeder ran out after at
 * least one page, which is how every feeder scan ends.
 */
export function classifySaneFailure(run: SaneRunOutcome): ScanFault | null {
  const text = run.stderr;
  const detail = lastLine(text);
  if (/open of device .* failed/i.test(text)) {
    if (/device busy/i.test(text)) return fault('busy', detail);
    return fault('device-gone', detail);
  }
  const code = run.exitCode;
  if (/out of documents/i.test(text) || code === 7) {
    return run.source === 'feeder' && run.pages > 0 ? null : fault('feeder-empty', detail);
  }
  if (/jammed/i.test(text) || code === 6) return fault('jam', detail);
  if (/cover is open/i.test(text) || code === 8) return fault('door-open', detail);
  if (/device busy|lamp not ready/i.test(text) || code === 3 || code === 12) return fault('busy', detail);
  if (/error during device i\/o/i.test(text) || code === 9) return fault('device-gone', detail);
  if (/access to resource has been denied/i.test(text) || code === 11) {
    return fault('device-gone', `${detail} — the kiosk user needs access to the scanner (group "scanner")`);
  }
  if (/cancel/i.test(text) || code === 2) return fault('cancelled', detail);
  if (/invalid argument|not supported/i.test(text) || code === 4 || code === 1)
    return fault('unsupported', detail);
  return fault('device-error', detail || `scanimage exited with status ${String(code)}`);
}
