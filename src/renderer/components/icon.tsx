/**
 * Line icons drawn inline (no icon font, no external files: the kiosk's CSP allows only 'self').
 * Icons are decoration next to text, never the only cue, so they are hidden from assistive tech.
 */
const circle = (cx: number, cy: number, r: number): string =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const ICONS = {
  home: ['M3 11.5 12 4l9 7.5', 'M5.5 10v10h5v-6h3v6h5V10'],
  back: ['M9 14 4 9l5-5', 'M4 9h11a5 5 0 0 1 0 10h-4'],
  up: ['M6 15l6-6 6 6'],
  down: ['M6 9l6 6 6-6'],
  next: ['M9 5l7 7-7 7'],
  search: [circle(11, 11, 7), 'M16.2 16.2 21 21'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  apply: [
    'M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z',
    'M14 3v5h5',
    'M8.5 13h7',
    'M8.5 17h5',
  ],
  progress: [circle(12, 12, 9), 'M12 7v5l3.5 2'],
  queue: [
    'M3 7a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v3a2 2 0 0 0 0 4v3a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-3a2 2 0 0 0 0-4z',
    'M9 6v2.5',
    'M9 10.75v2.5',
    'M9 15.5V18',
  ],
  guide: ['M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3z', 'M21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z'],
  star: ['M12 3.2l2.7 5.6 6.1.9-4.4 4.3 1 6.1-5.4-2.9-5.4 2.9 1-6.1L3.2 9.7l6.1-.9z'],
  elderly: ['M3 19 7.5 6l4.5 13', 'M4.8 14.5h5.4', 'M13.5 19l3.25-8.5L20 19', 'M14.6 16.2h4.3'],
  // A half-filled circle (hatched on its right half): light and dark, the usual contrast sign.
  contrast: [circle(12, 12, 9), 'M12 3v18', 'M12 7.5h7.5', 'M12 12h9', 'M12 16.5h7.5'],
  language: [circle(12, 12, 9), 'M3 12h18', 'M12 3c2.8 3 2.8 15 0 18', 'M12 3c-2.8 3-2.8 15 0 18'],
  online: [
    'M2.5 9a14 14 0 0 1 19 0',
    'M5.5 12.5a9.5 9.5 0 0 1 13 0',
    'M8.7 16a5 5 0 0 1 6.6 0',
    'M12 19.5h.01',
  ],
  offline: [
    'M2.5 9a14 14 0 0 1 6-3.3',
    'M21.5 9a14 14 0 0 0-8-3.9',
    'M8.7 16a5 5 0 0 1 6.6 0',
    'M12 19.5h.01',
    'M4 4l16 16',
  ],
  unlinked: [
    'M9 15l-2.2 2.2a3 3 0 0 1-4.2-4.2L4.8 10.8',
    'M15 9l2.2-2.2a3 3 0 0 1 4.2 4.2l-2.2 2.2',
    'M4 4l16 16',
  ],
  ready: [circle(12, 12, 9), 'M8 12.3l2.8 2.8L16.3 9.5'],
  simulated: [
    'M7 7h10v10H7z',
    'M10 3v4',
    'M14 3v4',
    'M10 17v4',
    'M14 17v4',
    'M3 10h4',
    'M3 14h4',
    'M17 10h4',
    'M17 14h4',
  ],
  warning: ['M12 3.5 21.5 20h-19z', 'M12 10v4.5', 'M12 17.3h.01'],
  fault: [circle(12, 12, 9), 'M9 9l6 6', 'M15 9l-6 6'],
  notConfigured: [circle(12, 12, 9), 'M8 12h8'],
  immediate: ['M13 2 4.5 13.5H11L10 22l8.5-11.5H12z'],
  promised: ['M4 5.5h16v15H4z', 'M4 10h16', 'M8.5 3v4', 'M15.5 3v4'],
  licence: ['M12 3l8 3v6c0 4.8-3.4 8-8 9-4.6-1-8-4.2-8-9V6z', 'M8.6 12l2.4 2.4 4.4-4.6'],
  phone: [
    'M5 4h3.5l2 5-2.5 1.5a11 11 0 0 0 5.5 5.5l1.5-2.5 5 2V19a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  ],
  location: ['M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z', circle(12, 9.5, 2.5)],
  clock: [circle(12, 12, 9), 'M12 7v5h4'],
  bundle: ['M3 7.5 12 3l9 4.5-9 4.5z', 'M3 7.5v9L12 21l9-4.5v-9', 'M12 12v9'],
  building: ['M3 21h18', 'M5 21V9.5L12 4l7 5.5V21', 'M9.5 21v-5h5v5', 'M9 11.5h.01', 'M15 11.5h.01'],
  help: [circle(12, 12, 9), 'M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.6v.6', 'M12 17h.01'],
  retry: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  money: [circle(12, 12, 9), 'M9 7.5l3 4 3-4', 'M12 11.5V17', 'M9 12.5h6', 'M9 15h6'],
  result: ['M6 3h12v18l-6-3.5L6 21z', 'M9.5 9.5l2 2 3.5-4'],
  devices: ['M3 5h18v11H3z', 'M8 20h8', 'M12 16v4'],
  lock: ['M5 11h14v10H5z', 'M8 11V7.5a4 4 0 0 1 8 0V11', 'M12 15v2.5'],
  backspace: ['M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-6-7z', 'M12 9.5l5 5', 'M17 9.5l-5 5'],
  printer: ['M7 9V3h10v6', 'M7 17H4v-8h16v8h-3', 'M7 14h10v7H7z'],
  scanner: ['M3 14h18v6H3z', 'M5 14 19 6', 'M7 17h.01', 'M11 17h6'],
  idcard: [
    'M3 5h18v14H3z',
    circle(8.5, 11, 2),
    'M5.5 16c.6-1.6 1.7-2.4 3-2.4s2.4.8 3 2.4',
    'M14 10h4.5',
    'M14 13.5h4.5',
  ],
  code: [
    'M4 4h6v6H4z',
    'M14 4h6v6h-6z',
    'M4 14h6v6H4z',
    'M14 14h2v2h-2z',
    'M18 18h2v2h-2z',
    'M14 18h2',
    'M18 14h2',
  ],
  voice: ['M4 9.5h4l5-4.5v14l-5-4.5H4z', 'M16.5 8.5a5 5 0 0 1 0 7', 'M19 6a8.5 8.5 0 0 1 0 12'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13.5 6.5l4 4'],
  tools: [
    'M14.5 4a4.5 4.5 0 0 0-4.3 5.9L4 16.1V20h3.9l6.2-6.2A4.5 4.5 0 0 0 20 9.5l-2.8 2.8-3-.7-.7-3L16.3 5.8A4.5 4.5 0 0 0 14.5 4z',
  ],
  image: ['M4 4h16v16H4z', circle(9, 9, 1.5), 'M20 15l-5-5-9 10'],
  logout: ['M10 4H5v16h5', 'M15 8l4 4-4 4', 'M19 12H9'],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof ICONS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {ICONS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
