/** zod schema of the device kinds (Node only: the renderer imports status.ts, which has no zod). */
import { z } from 'zod';
import { DEVICE_KINDS } from './status.js';

export const deviceKindSchema = z.enum(DEVICE_KINDS);
