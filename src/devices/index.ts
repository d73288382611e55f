/**
 * The devices folder's public face. Each device kind is a namespace, so names stay unambiguous
 * (printer.createPrinter, idcard.createIdCardReader, …).
 */
export * as idcard from './idcard/index.js';
export * as printer from './printer/index.js';
export * as scanner from './scanner/index.js';
export * as codeReader from './code-reader/index.js';
export { parseDeviceUri, refuseSimulatorInProduction, type DeviceAddress } from './uri.js';
export { err, ok, type Result } from './result.js';
export { createDeviceManager, type DeviceManager, type DeviceUris } from './manager.js';
export * as ticket from './ticket/index.js';
