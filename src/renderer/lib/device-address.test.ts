import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS } from '../../shared/browser.js';
import {
  ADDRESS_SCHEMES,
  composeAddress,
  needsDetail,
  parseAddress,
  SCHEMES_BY_KIND,
  withScheme,
} from './device-address.js';

describe('parseAddress / composeAddress', () => {
  it.each([
    'sim:',
    'sim:?status=paper-out',
    'serial:/dev/ttyUSB0',
    'serial:/dev/ttyUSB0?baud=9600',
    'serial:/dev/ttyS1?flow=rtscts&baud=115200',
    'tcp://192.168.1.50:9100',
    'usblp:/dev/usb/lp0',
    'hid:0483:5750',
    'sane:test',
    'escl:http://10.0.0.8:8080/eSCL',
    'camera:default',
    'camera:',
    'none',
  ])('round-trips %s', (uri) => {
    expect(composeAddress(parseAddress(uri))).toBe(uri);
  });

  it('splits a serial address into port, baud and the other options', () => {
    expect(parseAddress('serial:/dev/ttyS1?flow=rtscts&baud=115200')).toEqual({
      scheme: 'serial',
      detail: '/dev/ttyS1',
      baud: 115200,
      extra: 'flow=rtscts',
    });
    // An odd baud rate is left to the device default (the backend would refuse it anyway).
    expect(parseAddress('serial:/dev/ttyS1?baud=12345').baud).toBeNull();
  });

  it('treats none:, an empty text and an unknown scheme sensibly', () => {
    expect(parseAddress('none:').scheme).toBe('none');
    expect(parseAddress('').scheme).toBe('none');
    expect(parseAddress('gopher://x').scheme).toBe('sim');
  });

  it('trims what was typed and accepts a tcp:// typed twice', () => {
    expect(
      composeAddress({ scheme: 'tcp', detail: ' tcp://printer.local:9100 ', baud: null, extra: '' }),
    ).toBe('tcp://printer.local:9100');
    expect(composeAddress({ scheme: 'serial', detail: '/dev/ttyUSB1', baud: 9600, extra: '' })).toBe(
      'serial:/dev/ttyUSB1?baud=9600',
    );
  });

  it('starts from an empty detail when the scheme changes', () => {
    const serial = parseAddress('serial:/dev/ttyS0?baud=9600');
    expect(withScheme(serial, 'serial')).toBe(serial);
    expect(withScheme(serial, 'tcp')).toEqual({ scheme: 'tcp', detail: '', baud: null, extra: '' });
  });
});

describe('SCHEMES_BY_KIND', () => {
  it('offers sim and none for every device, and only known schemes', () => {
    for (const kind of DEVICE_KINDS) {
      const schemes = SCHEMES_BY_KIND[kind];
      expect(schemes).toContain('sim');
      expect(schemes).toContain('none');
      for (const s of schemes) expect(ADDRESS_SCHEMES).toContain(s);
    }
  });

  it('knows which schemes need a detail', () => {
    expect(ADDRESS_SCHEMES.filter(needsDetail)).toEqual(['serial', 'tcp', 'usblp', 'hid', 'sane', 'escl']);
  });
});
