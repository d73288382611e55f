/**
 * Payloads the hall stored as the kiosk sent them (JSON text validated with the contract's schema
 * on push), read back typed with the same schemas (src/shared/wire). A payload that no longer
 * parses — written before a schema tightened — reads as null, and callers fall back as for a
 * missing value.
 */
import type { ZodType } from 'zod';
import {
  applicationEntrySchema,
  deviceHealthSchema,
  evaluationEntrySchema,
  supplementEntrySchema,
  type ApplicationEntry,
  type DeviceHealth,
  type EvaluationEntry,
  type SupplementEntry,
} from '../../shared/wire/index.js';
import { z } from 'zod';

/** Stored JSON text as an object ({} when it is not one). */
export function jsonObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseStored<T>(schema: ZodType<T>, text: string): T | null {
  const r = schema.safeParse(jsonObject(text));
  return r.success ? r.data : null;
}

export const readApplication = (payload: string): ApplicationEntry | null =>
  parseStored(applicationEntrySchema, payload);
export const readSupplement = (payload: string): SupplementEntry | null =>
  parseStored(supplementEntrySchema, payload);
export const readEvaluation = (payload: string): EvaluationEntry | null =>
  parseStored(evaluationEntrySchema, payload);

const devicesSchema = z.array(deviceHealthSchema);
/** A heartbeat's devices (validated with heartbeatSchema when received). */
export function readDevices(text: string): DeviceHealth[] | null {
  try {
    const r = devicesSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
