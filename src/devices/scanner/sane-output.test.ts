import { describe, expect, it } from 'vitest';
import {
  classifySaneFailure,
  parseSaneOptions,
  pickSaneMode,
  pickSaneResolution,
  pickSaneSource,
} from './sane-output.js';
import { scanimageTest } from './test-kit.js';

describe('parseSaneOptions', () => {
  it('reads the real test backend listing (scanimage -d test -A)', () => {
    const o = parseSaneOptions(scanimageTest(['-A']).toString('utf8'));
    expect(o.modes).toEqual(['Gray', 'Color']);
    expect(o.sources).toEqual(['Flatbed', 'Automatic Document Feeder']);
    expect(o.resolutions).toEqual({ kind: 'range', min: 1, max: 1200 });
  });

  it('reads word lists and skips inactive options', () => {
    const o = parseSaneOptions(
      [
        '    --mode Lineart|Gray|Color [Color]',
        '    --resolution 75|150|300|600dpi [300]',
        '    --source Flatbed|ADF Front|ADF Duplex [inactive]',
      ].join('\n'),
    );
    expect(o).toEqual({
      modes: ['Lineart', 'Gray', 'Color'],
      sources: [],
      resolutions: { kind: 'list', values: [75, 150, 300, 600] },
    });
  });

  it('picks source, mode and resolution by what backends call them', () => {
    const o = parseSaneOptions(
      [
        '    --mode Lineart|Halftone|Gray|Color [Color]',
        '    --resolution 75|150|300|600dpi [300]',
        '    --source Flatbed|ADF Back|ADF Front|ADF Duplex [Flatbed]',
      ].join('\n'),
    );
    expect(pickSaneSource('feeder', o)).toBe('ADF Front');
    expect(pickSaneSource('flatbed', o)).toBe('Flatbed');
    expect(pickSaneMode('black-and-white', o)).toBe('Lineart');
    expect(pickSaneMode('grayscale', o)).toBe('Gray');
    expect(pickSaneResolution(250, o)).toBe(300);
    expect(pickSaneResolution(100, o)).toBe(75);
    const test = parseSaneOptions(scanimageTest(['-A']).toString('utf8'));
    expect(pickSaneMode('black-and-white', test)).toBe('Gray');
    expect(pickSaneSource('feeder', test)).toBe('Automatic Document Feeder');
    expect(pickSaneResolution(5000, test)).toBe(1200);
  });
});

describe('classifySaneFailure (scanimage exit status and sane_strstatus text)', () => {
  it.each([
    ['scanimage: open of device nonexist failed: Invalid argument', 1, 'flatbed', 0, 'device-gone'],
    ['scanimage: open of device fujitsu:fi-7160 failed: Device busy', 1, 'flatbed', 0, 'busy'],
    ['scanimage: sane_start: Document feeder out of documents', 7, 'feeder', 0, 'feeder-empty'],
    ['scanimage: sane_start: Document feeder jammed', 6, 'feeder', 2, 'jam'],
    ['scanimage: sane_start: Scanner cover is open', 8, 'flatbed', 0, 'door-open'],
    ['scanimage: sane_read: Error during device I/O', 9, 'feeder', 1, 'device-gone'],
    ['scanimage: sane_start: Lamp not ready, please retry', 12, 'flatbed', 0, 'busy'],
    ['scanimage: sane_start: Access to resource has been denied', 11, 'flatbed', 0, 'device-gone'],
    ['scanimage: setting of option --mode failed (Invalid argument)', 4, 'flatbed', 0, 'unsupported'],
    ['', 6, 'feeder', 0, 'jam'],
    ['scanimage: something unheard of', 42, 'flatbed', 0, 'device-error'],
  ] as const)('%j (exit %i, %s, %i pages) → %s', (stderr, exitCode, source, pages, kind) => {
    const f = classifySaneFailure({ stderr, exitCode, source, pages });
    expect(f?.kind).toBe(kind);
    expect(f?.message.length).toBeGreaterThan(10);
  });

  it('treats a feeder running out after pages as the normal end of a feeder scan', () => {
    expect(
      classifySaneFailure({
        stderr: 'scanimage: sane_start: Document feeder out of documents\nBatch terminated, 10 pages scanned',
        exitCode: 7,
        source: 'feeder',
        pages: 10,
      }),
    ).toBeNull();
  });
});
