/**
 * The page pipeline every captured page goes through, whatever captured it (SANE, eSCL, the
 * renderer's document camera): limits → normalise to JPEG → blank check → content-addressed store.
 * Plain Node, usable by the backend without the renderer.
 */
import type { Logger } from 'pino';
import { checkBlank, DEFAULT_BLANK_OPTIONS, type BlankCheck, type BlankOptions } from './blank-page.js';
import type { BlobStore } from './blob-store.js';
import {
  decodePage,
  DEFAULT_NORMALISE_OPTIONS,
  encodeJpeg,
  type NormalisedPage,
  type NormaliseOptions,
} from './normalise.js';
import type { PageError } from './page-errors.js';
import { err, ok, type Result } from '../result.js';
import { isStorageFull } from '../../shared/result.js';

export type PageLimits = {
  /** Pages one material (one 材料 of an application) may have. */
  maxPagesPerMaterial: number;
  /** Bytes of one normalised page; the pipeline lowers JPEG quality down to `minQuality` to fit. */
  maxBytesPerPage: number;
  minQuality: number;
};

export const DEFAULT_PAGE_LIMITS: PageLimits = {
  maxPagesPerMaterial: 20,
  maxBytesPerPage: 2 * 1024 * 1024,
  minQuality: 40,
};

export type PipelineOptions = {
  normalise: NormaliseOptions;
  blank: BlankOptions;
  limits: PageLimits;
  /** When true a blank page is reported and not stored. */
  dropBlankPages: boolean;
};

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  normalise: DEFAULT_NORMALISE_OPTIONS,
  blank: DEFAULT_BLANK_OPTIONS,
  limits: DEFAULT_PAGE_LIMITS,
  dropBlankPages: true,
};

/** What the attachments table records about a stored page. */
export type StoredPage = {
  sha256: string;
  size: number;
  mime: 'image/jpeg';
  width: number;
  height: number;
  created: boolean;
};

export type ProcessedPage =
  { kind: 'stored'; page: StoredPage; blankCheck: BlankCheck } | { kind: 'blank'; blankCheck: BlankCheck };

export type BatchOutcome = {
  stored: StoredPage[];
  /** Indexes (0-based, in the input) of pages dropped as blank. */
  blankPages: number[];
  /** The first page that failed stops the batch; pages before it stay stored. */
  error: { index: number; error: PageError } | null;
};

export interface PagePipeline {
  /** `pagesSoFar`: pages the material already has (for the per-material page limit). */
  processPage(input: Buffer, context: { pagesSoFar: number }): Promise<Result<ProcessedPage, PageError>>;
  processPages(inputs: readonly Buffer[], context: { pagesSoFar: number }): Promise<BatchOutcome>;
}

const QUALITY_STEP = 15;

/** Encodes at the configured quality, stepping down until the page fits the byte limit. */
async function encodeWithinLimit(
  decoded: Parameters<typeof encodeJpeg>[0],
  quality: number,
  limits: PageLimits,
): Promise<Result<NormalisedPage, PageError>> {
  let q = quality;
  for (let attempt = 0; attempt < 8; attempt++) {
    const page = await encodeJpeg(decoded, q);
    if (page.data.length <= limits.maxBytesPerPage) return ok(page);
    if (q <= limits.minQuality) {
      return err({
        kind: 'page-too-large',
        message: `the page is ${page.data.length} bytes at JPEG quality ${q}, more than the ${limits.maxBytesPerPage} allowed`,
        bytes: page.data.length,
        limit: limits.maxBytesPerPage,
      });
    }
    q = Math.max(limits.minQuality, q - QUALITY_STEP);
  }
  throw new Error('unreachable: quality steps are bounded by minQuality');
}

export type PipelineSettings = {
  normalise?: Partial<NormaliseOptions>;
  blank?: Partial<BlankOptions>;
  limits?: Partial<PageLimits>;
  dropBlankPages?: boolean;
};

export function resolvePipelineOptions(settings: PipelineSettings = {}): PipelineOptions {
  return {
    normalise: { ...DEFAULT_NORMALISE_OPTIONS, ...settings.normalise },
    blank: { ...DEFAULT_BLANK_OPTIONS, ...settings.blank },
    limits: { ...DEFAULT_PAGE_LIMITS, ...settings.limits },
    dropBlankPages: settings.dropBlankPages ?? DEFAULT_PIPELINE_OPTIONS.dropBlankPages,
  };
}

export function createPagePipeline(deps: {
  store: BlobStore;
  logger: Logger;
  options?: PipelineSettings;
}): PagePipeline {
  const o = resolvePipelineOptions(deps.options);
  const log = deps.logger.child({ component: 'page-pipeline' });

  async function processPage(
    input: Buffer,
    context: { pagesSoFar: number },
  ): Promise<Result<ProcessedPage, PageError>> {
    const limit = o.limits.maxPagesPerMaterial;
    if (context.pagesSoFar >= limit) {
      return err({ kind: 'too-many-pages', message: `this material takes at most ${limit} pages`, limit });
    }
    const decoded = await decodePage(input, o.normalise);
    if (!decoded.ok) return decoded;
    const blankCheck = checkBlank(decoded.value, o.blank);
    if (blankCheck.blank && o.dropBlankPages) {
      log.info({ inkCoverage: blankCheck.inkCoverage }, 'blank page dropped');
      return ok({ kind: 'blank', blankCheck });
    }
    const encoded = await encodeWithinLimit(decoded.value, o.normalise.quality, o.limits);
    if (!encoded.ok) return encoded;
    const stored = await deps.store.put(encoded.value.data);
    if (!stored.ok)
      return err({
        kind: isStorageFull(stored.error.code) ? 'storage-full' : 'storage-failed',
        message: stored.error.message,
      });
    const { sha256, size, created } = stored.value;
    // Hashes and sizes only: the page itself is personal data.
    log.info(
      {
        sha256,
        size,
        width: encoded.value.width,
        height: encoded.value.height,
        quality: encoded.value.quality,
        created,
      },
      'page stored',
    );
    return ok({
      kind: 'stored',
      page: {
        sha256,
        size,
        mime: 'image/jpeg',
        width: encoded.value.width,
        height: encoded.value.height,
        created,
      },
      blankCheck,
    });
  }

  return {
    processPage,
    async processPages(inputs, context) {
      const out: BatchOutcome = { stored: [], blankPages: [], error: null };
      for (const [index, input] of inputs.entries()) {
        const r = await processPage(input, { pagesSoFar: context.pagesSoFar + out.stored.length });
        if (!r.ok) {
          out.error = { index, error: r.error };
          break;
        }
        switch (r.value.kind) {
          case 'stored':
            out.stored.push(r.value.page);
            break;
          case 'blank':
            out.blankPages.push(index);
            break;
          default: {
            const never: never = r.value;
            throw new Error(`unknown page outcome ${JSON.stringify(never)}`);
          }
        }
      }
      return out;
    },
  };
}
