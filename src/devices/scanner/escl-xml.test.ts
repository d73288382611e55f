import { describe, expect, it } from 'vitest';
import {
  capabilitiesXml,
  parseCapabilities,
  parseScanSettings,
  parseStatus,
  scanSettingsXml,
  statusXml,
} from './escl-xml.js';
import { SIMULATOR_CAPABILITIES } from './escl-simulator.js';

// Shaped like a real multifunction printer's reply (HP/Canon style), with the `escl:` prefix some
// devices use for the scan namespace, two setting profiles and a resolution range.
const DEVICE_CAPS = `<?xml version="1.0" encoding="UTF-8"?>
<escl:ScannerCapabilities xmlns:escl="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>2.63</pwg:Version>
  <pwg:MakeAndModel>HP LaserJet MFP M234sdw</pwg:MakeAndModel>
  <pwg:SerialNumber>CNB1234567</pwg:SerialNumber>
  <escl:Platen>
    <escl:PlatenInputCaps>
      <escl:MinWidth>8</escl:MinWidth><escl:MaxWidth>2550</escl:MaxWidth>
      <escl:MinHeight>8</escl:MinHeight><escl:MaxHeight>3508</escl:MaxHeight>
      <escl:SettingProfiles>
        <escl:SettingProfile>
          <escl:ColorModes><escl:ColorMode>RGB24</escl:ColorMode><escl:ColorMode>Grayscale8</escl:ColorMode></escl:ColorModes>
          <escl:DocumentFormats><pwg:DocumentFormat>application/pdf</pwg:DocumentFormat><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat><escl:DocumentFormatExt>image/jpeg</escl:DocumentFormatExt></escl:DocumentFormats>
          <escl:SupportedResolutions>
            <escl:DiscreteResolutions>
              <escl:DiscreteResolution><escl:XResolution>300</escl:XResolution><escl:YResolution>300</escl:YResolution></escl:DiscreteResolution>
              <escl:DiscreteResolution><escl:XResolution>600</escl:XResolution><escl:YResolution>600</escl:YResolution></escl:DiscreteResolution>
              <escl:DiscreteResolution><escl:XResolution>600</escl:XResolution><escl:YResolution>1200</escl:YResolution></escl:DiscreteResolution>
            </escl:DiscreteResolutions>
          </escl:SupportedResolutions>
        </escl:SettingProfile>
        <escl:SettingProfile>
          <escl:ColorModes><escl:ColorMode>BlackAndWhite1</escl:ColorMode></escl:ColorModes>
          <escl:SupportedResolutions><escl:ResolutionRange><escl:XResolutionRange><escl:Min>75</escl:Min><escl:Max>200</escl:Max><escl:Step>1</escl:Step></escl:XResolutionRange></escl:ResolutionRange></escl:SupportedResolutions>
        </escl:SettingProfile>
      </escl:SettingProfiles>
    </escl:PlatenInputCaps>
  </escl:Platen>
</escl:ScannerCapabilities>`;

describe('eSCL XML', () => {
  it('parses device capabilities whatever the namespace prefix', () => {
    const r = parseCapabilities(DEVICE_CAPS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.makeAndModel).toBe('HP LaserJet MFP M234sdw');
    expect(r.value.feeder).toBeNull();
    expect(r.value.platen).toEqual({
      colorModes: ['RGB24', 'Grayscale8', 'BlackAndWhite1'],
      formats: ['application/pdf', 'image/jpeg'],
      // 600×1200 is not square and is left out; the range adds the usual steps inside 75..200.
      resolutions: [75, 100, 150, 200, 300, 600],
      maxWidth: 2550,
      maxHeight: 3508,
    });
  });

  it('round-trips the simulator capabilities', () => {
    expect(parseCapabilities(capabilitiesXml(SIMULATOR_CAPABILITIES))).toEqual({
      ok: true,
      value: SIMULATOR_CAPABILITIES,
    });
  });

  it('parses ScannerStatus with and without an AdfState', () => {
    expect(parseStatus(statusXml({ state: 'Idle', adfState: 'ScannerAdfJam' }))).toEqual({
      ok: true,
      value: { state: 'Idle', adfState: 'ScannerAdfJam' },
    });
    const flatbedOnly = `<?xml version="1.0"?><scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.0</pwg:Version><pwg:State>Processing</pwg:State><scan:Jobs><scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/1</pwg:JobUri></scan:JobInfo></scan:Jobs></scan:ScannerStatus>`;
    expect(parseStatus(flatbedOnly)).toEqual({ ok: true, value: { state: 'Processing', adfState: null } });
  });

  it('builds ScanSettings the simulator (and a device) reads back', () => {
    const settings = {
      source: 'Feeder',
      colorMode: 'Grayscale8',
      resolution: 300,
      format: 'image/jpeg',
      width: 2480,
      height: 3508,
      intent: 'Document',
    } as const;
    const xml = scanSettingsXml(settings);
    expect(xml).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(xml).toContain('<pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>');
    expect(xml).toContain('xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"');
    expect(parseScanSettings(xml)).toEqual({ ok: true, value: settings });
  });

  it.each([
    ['not XML at all', 'garbage <<<'],
    ['the wrong document', '<?xml version="1.0"?><html><body>router login</body></html>'],
    ['no State', '<scan:ScannerStatus xmlns:scan="x"><pwg:Version>2</pwg:Version></scan:ScannerStatus>'],
  ])('refuses %s with a message', (_name, xml) => {
    expect(parseCapabilities(xml).ok).toBe(false);
    expect(parseStatus(xml).ok).toBe(false);
    expect(parseScanSettings(xml).ok).toBe(false);
  });

  it('refuses settings with unequal resolutions or an unknown colour mode', () => {
    const xml = scanSettingsXml({
      source: 'Platen',
      colorMode: 'RGB24',
      resolution: 300,
      format: 'image/jpeg',
      width: 100,
      height: 100,
      intent: 'Photo',
    });
    expect(parseScanSettings(xml.replace('<scan:YResolution>300', '<scan:YResolution>600')).ok).toBe(false);
    expect(parseScanSettings(xml.replace('RGB24', 'CMYK32')).ok).toBe(false);
  });
});
