/**
 * eSCL wire format (docs/devices-scanner.md, "eSCL in brief"): ScannerCapabilities and ScannerStatus
 * replies parsed and checked with zod at the trust boundary, ScanSettings requests built — and, for
 * the simulator, the other direction of each. Namespaces: `pwg` = http://www.pwg.org/schemas/2010/12/sm,
 * `scan` = http://schemas.hp.com/imaging/escl/2011/05/03; prefixes are dropped when parsing, since
 * devices differ in the prefixes they use.
 */
import type * as FastXmlParser from 'fast-xml-parser';
import { lazyRequire } from '../../shared/lazy-require.js';
import { z } from 'zod';
import { err, ok, type Result } from '../result.js';

export const NS_PWG = 'http://www.pwg.org/schemas/2010/12/sm';
export const NS_SCAN = 'http://schemas.hp.com/imaging/escl/2011/05/03';

export type EsclInputSource = 'Platen' | 'Feeder';
export type EsclColorMode = 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';

export type EsclSourceCaps = {
  colorModes: string[];
  resolutions: number[];
  formats: string[];
  /** In 1/300 inch (escl:ThreeHundredthsOfInches). */
  maxWidth: number;
  maxHeight: number;
};

export type EsclCapabilities = {
  version: string;
  makeAndModel: string | null;
  platen: EsclSourceCaps | null;
  feeder: EsclSourceCaps | null;
};

export type EsclStatus = { state: string; adfState: string | null };

export type EsclScanSettings = {
  source: EsclInputSource;
  colorMode: EsclColorMode;
  resolution: number;
  format: string;
  /** Region in 1/300 inch. */
  width: number;
  height: number;
  intent: 'Document' | 'TextAndGraphic' | 'Photo';
};

const ARRAY_TAGS = new Set([
  'ColorMode',
  'DocumentFormat',
  'DocumentFormatExt',
  'DiscreteResolution',
  'SettingProfile',
  'JobInfo',
]);

const fastXmlParser = lazyRequire<typeof FastXmlParser>('fast-xml-parser');
let parser: FastXmlParser.XMLParser | undefined;
/** Made on first use: fast-xml-parser is not loaded until the first scanner answer is parsed. */
const xmlParser = (): FastXmlParser.XMLParser =>
  (parser ??= new (fastXmlParser().XMLParser)({
    removeNSPrefix: true,
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => ARRAY_TAGS.has(name),
  }));

const text = z.union([z.string(), z.number()]).transform(String);
const num = z.coerce.number().pipe(z.number().finite());

const settingProfile = z.object({
  ColorModes: z.object({ ColorMode: z.array(text).default([]) }).optional(),
  DocumentFormats: z
    .object({ DocumentFormat: z.array(text).default([]), DocumentFormatExt: z.array(text).default([]) })
    .optional(),
  SupportedResolutions: z
    .object({
      DiscreteResolutions: z
        .object({ DiscreteResolution: z.array(z.object({ XResolution: num, YResolution: num })).default([]) })
        .optional(),
      ResolutionRange: z.object({ XResolutionRange: z.object({ Min: num, Max: num }) }).optional(),
    })
    .optional(),
});

const inputCaps = z.object({
  MaxWidth: num,
  MaxHeight: num,
  SettingProfiles: z.object({ SettingProfile: z.array(settingProfile).min(1) }),
});

const capabilitiesDoc = z.object({
  ScannerCapabilities: z.object({
    Version: text,
    MakeAndModel: text.optional(),
    Platen: z.object({ PlatenInputCaps: inputCaps }).optional(),
    Adf: z.object({ AdfSimplexInputCaps: inputCaps.optional() }).optional(),
  }),
});

const statusDoc = z.object({
  ScannerStatus: z.object({ State: text, AdfState: text.optional() }),
});

const settingsDoc = z.object({
  ScanSettings: z.object({
    Version: text.optional(),
    Intent: z.enum(['Document', 'TextAndGraphic', 'Photo', 'Preview', 'Object', 'BusinessCard']).optional(),
    ScanRegions: z
      .object({
        ScanRegion: z.object({ Width: num, Height: num, XOffset: num.optional(), YOffset: num.optional() }),
      })
      .optional(),
    InputSource: z.enum(['Platen', 'Feeder']),
    // ColorMode is parsed as a list (it is one in capabilities); a request carries exactly one.
    ColorMode: z.array(z.enum(['RGB24', 'Grayscale8', 'BlackAndWhite1'])).length(1),
    DocumentFormat: z.array(text).optional(),
    DocumentFormatExt: z.array(text).optional(),
    XResolution: num,
    YResolution: num,
  }),
});

/** Resolutions offered from a ResolutionRange: the usual steps that fall inside it. */
const COMMON_DPI = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

function parseXml(xml: string): Result<unknown, string> {
  try {
    return ok(xmlParser().parse(xml) as unknown);
  } catch (e) {
    return err(`not XML: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function sourceCaps(caps: z.infer<typeof inputCaps>): EsclSourceCaps {
  const colorModes = new Set<string>();
  const formats = new Set<string>();
  const resolutions = new Set<number>();
  for (const p of caps.SettingProfiles.SettingProfile) {
    for (const m of p.ColorModes?.ColorMode ?? []) colorModes.add(m);
    for (const f of [
      ...(p.DocumentFormats?.DocumentFormat ?? []),
      ...(p.DocumentFormats?.DocumentFormatExt ?? []),
    ])
      formats.add(f);
    for (const r of p.SupportedResolutions?.DiscreteResolutions?.DiscreteResolution ?? []) {
      // Square pixels only: the pipeline and the archive assume X = Y.
      if (r.XResolution === r.YResolution) resolutions.add(r.XResolution);
    }
    const range = p.SupportedResolutions?.ResolutionRange?.XResolutionRange;
    if (range) for (const d of COMMON_DPI) if (d >= range.Min && d <= range.Max) resolutions.add(d);
  }
  return {
    colorModes: [...colorModes],
    formats: [...formats],
    resolutions: [...resolutions].sort((a, b) => a - b),
    maxWidth: caps.MaxWidth,
    maxHeight: caps.MaxHeight,
  };
}

export function parseCapabilities(xml: string): Result<EsclCapabilities, string> {
  const raw = parseXml(xml);
  if (!raw.ok) return raw;
  const doc = capabilitiesDoc.safeParse(raw.value);
  if (!doc.success)
    return err(`ScannerCapabilities not understood: ${doc.error.issues[0]?.message ?? 'invalid'}`);
  const c = doc.data.ScannerCapabilities;
  return ok({
    version: c.Version,
    makeAndModel: c.MakeAndModel ?? null,
    platen: c.Platen ? sourceCaps(c.Platen.PlatenInputCaps) : null,
    feeder: c.Adf?.AdfSimplexInputCaps ? sourceCaps(c.Adf.AdfSimplexInputCaps) : null,
  });
}

export function parseStatus(xml: string): Result<EsclStatus, string> {
  const raw = parseXml(xml);
  if (!raw.ok) return raw;
  const doc = statusDoc.safeParse(raw.value);
  if (!doc.success) return err(`ScannerStatus not understood: ${doc.error.issues[0]?.message ?? 'invalid'}`);
  return ok({ state: doc.data.ScannerStatus.State, adfState: doc.data.ScannerStatus.AdfState ?? null });
}

export function parseScanSettings(xml: string): Result<EsclScanSettings, string> {
  const raw = parseXml(xml);
  if (!raw.ok) return raw;
  const doc = settingsDoc.safeParse(raw.value);
  if (!doc.success) return err(`ScanSettings not understood: ${doc.error.issues[0]?.message ?? 'invalid'}`);
  const s = doc.data.ScanSettings;
  if (s.XResolution !== s.YResolution) return err('XResolution and YResolution differ');
  const format = s.DocumentFormatExt?.[0] ?? s.DocumentFormat?.[0] ?? 'image/jpeg';
  return ok({
    source: s.InputSource,
    colorMode: s.ColorMode[0]!,
    resolution: s.XResolution,
    format,
    width: s.ScanRegions?.ScanRegion.Width ?? 2550,
    height: s.ScanRegions?.ScanRegion.Height ?? 3300,
    intent: s.Intent === 'Photo' || s.Intent === 'TextAndGraphic' ? s.Intent : 'Document',
  });
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS_ATTRS = `xmlns:scan="${NS_SCAN}" xmlns:pwg="${NS_PWG}"`;

export function scanSettingsXml(s: EsclScanSettings): string {
  return (
    `${XML_HEAD}<scan:ScanSettings ${NS_ATTRS}>\n` +
    '  <pwg:Version>2.63</pwg:Version>\n' +
    `  <scan:Intent>${s.intent}</scan:Intent>\n` +
    '  <pwg:ScanRegions>\n    <pwg:ScanRegion>\n' +
    '      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>\n' +
    '      <pwg:XOffset>0</pwg:XOffset>\n      <pwg:YOffset>0</pwg:YOffset>\n' +
    `      <pwg:Width>${Math.round(s.width)}</pwg:Width>\n      <pwg:Height>${Math.round(s.height)}</pwg:Height>\n` +
    '    </pwg:ScanRegion>\n  </pwg:ScanRegions>\n' +
    `  <pwg:InputSource>${s.source}</pwg:InputSource>\n` +
    `  <scan:ColorMode>${s.colorMode}</scan:ColorMode>\n` +
    `  <pwg:DocumentFormat>${s.format}</pwg:DocumentFormat>\n` +
    `  <scan:DocumentFormatExt>${s.format}</scan:DocumentFormatExt>\n` +
    `  <scan:XResolution>${s.resolution}</scan:XResolution>\n  <scan:YResolution>${s.resolution}</scan:YResolution>\n` +
    '  <scan:Duplex>false</scan:Duplex>\n' +
    '</scan:ScanSettings>\n'
  );
}

function inputCapsXml(tag: string, c: EsclSourceCaps): string {
  const modes = c.colorModes.map((m) => `<scan:ColorMode>${m}</scan:ColorMode>`).join('');
  const formats = c.formats
    .map(
      (f) =>
        `<pwg:DocumentFormat>${f}</pwg:DocumentFormat><scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`,
    )
    .join('');
  const res = c.resolutions
    .map(
      (r) =>
        `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`,
    )
    .join('');
  return (
    `<scan:${tag}><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${c.maxWidth}</scan:MaxWidth>` +
    `<scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${c.maxHeight}</scan:MaxHeight>` +
    `<scan:SettingProfiles><scan:SettingProfile><scan:ColorModes>${modes}</scan:ColorModes>` +
    `<scan:DocumentFormats>${formats}</scan:DocumentFormats>` +
    `<scan:SupportedResolutions><scan:DiscreteResolutions>${res}</scan:DiscreteResolutions></scan:SupportedResolutions>` +
    `</scan:SettingProfile></scan:SettingProfiles></scan:${tag}>`
  );
}

export function capabilitiesXml(c: EsclCapabilities): string {
  const platen = c.platen ? `<scan:Platen>${inputCapsXml('PlatenInputCaps', c.platen)}</scan:Platen>` : '';
  const adf = c.feeder
    ? `<scan:Adf>${inputCapsXml('AdfSimplexInputCaps', c.feeder)}<scan:FeederCapacity>50</scan:FeederCapacity></scan:Adf>`
    : '';
  return (
    `${XML_HEAD}<scan:ScannerCapabilities ${NS_ATTRS}><pwg:Version>${c.version}</pwg:Version>` +
    `<pwg:MakeAndModel>${c.makeAndModel ?? ''}</pwg:MakeAndModel>${platen}${adf}</scan:ScannerCapabilities>\n`
  );
}

export function statusXml(s: EsclStatus): string {
  const adf = s.adfState ? `<scan:AdfState>${s.adfState}</scan:AdfState>` : '';
  return `${XML_HEAD}<scan:ScannerStatus ${NS_ATTRS}><pwg:Version>2.63</pwg:Version><pwg:State>${s.state}</pwg:State>${adf}</scan:ScannerStatus>\n`;
}
