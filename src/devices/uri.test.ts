import { describe, expect, it } from 'vitest';
import { parseDeviceUri, refuseSimulatorInProduction } from './uri.js';

describe('parseDeviceUri', () => {
  it.each([
    ['serial:/dev/ttyUSB0?baud=115200', { scheme: 'serial', path: '/dev/ttyUSB0', baud: 115200 }],
    ['serial:/dev/pts/3', { scheme: 'serial', path: '/dev/pts/3', baud: 115200 }],
    ['serial:COM3?baud=9600', { scheme: 'serial', path: 'COM3', baud: 9600 }],
    ['tcp://192.168.1.50:9100', { scheme: 'tcp', host: '192.168.1.50', port: 9100 }],
    ['tcp://printer.local', { scheme: 'tcp', host: 'printer.local', port: 9100 }],
    ['usblp:/dev/usb/lp0', { scheme: 'usblp', path: '/dev/usb/lp0' }],
    ['hid:0483:5750', { scheme: 'hid', vendorId: 0x0483, productId: 0x5750 }],
    ['sane:test', { scheme: 'sane', device: 'test' }],
    ['sane:fujitsu:fi-7160:1234', { scheme: 'sane', device: 'fujitsu:fi-7160:1234' }],
    ['escl:http://127.0.0.1:8080/eSCL', { scheme: 'escl', url: 'http://127.0.0.1:8080/eSCL' }],
    ['camera:default', { scheme: 'camera', deviceId: 'default' }],
    ['sim:', { scheme: 'sim', options: {} }],
    ['sim:?paper=near-end', { scheme: 'sim', options: { paper: 'near-end' } }],
    ['none', { scheme: 'none' }],
  ])('%s', (uri, expected) => {
    expect(parseDeviceUri(uri)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    'lpt1',
    'serial:',
    'serial:/dev/ttyS0?baud=12345',
    'tcp://',
    'hid:zz:1',
    'escl:ftp://x',
    'sane:',
    'bogus:x',
  ])('refuses %j with a message', (uri) => {
    const r = parseDeviceUri(uri);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
  });

  it('refuses simulators in production only', () => {
    const sim = parseDeviceUri('sim:');
    if (!sim.ok) throw new Error(sim.error);
    expect(refuseSimulatorInProduction(sim.value, 'production').ok).toBe(false);
    expect(refuseSimulatorInProduction(sim.value, 'development').ok).toBe(true);
  });
});
