/**
 * The apply plan (docs/resident-journey.md, "我要办事 (apply)", step 3): the fields, materials and delivery
 * options of an item, or of a 一件事 bundle merged, with each shared-licence material confirmed or not by the
 * hall for the identified applicant.
 *
 * The plan the resident was shown is the plan they submit against: `plan` keeps it in the session
 * (per target), and `forSubmit` returns it instead of asking the hall again — a resident told
 * 已调用电子证照 keeps that answer even if the hall drops before they tap 提交. `forSubmit` plans again
 * when the session holds no plan for this target (the screen skipped `plan`), or when a different
 * catalog was loaded since (the kept plan's items may have changed). The session forgets its plans
 * when an identity is read or the mode changes (the licences depend on the applicant), and after a
 * submission took the plan.
 */
import type {
  ApplyPlan,
  ApplyTarget,
  Localized,
  PlanField,
  PlanMaterial,
  ServiceItem,
} from '../../shared/index.js';
import type { Logger } from '../logger.js';
import type { CatalogService } from './catalog.js';
import type { HeldIdentity, SessionService } from './session.js';

/** Shared electronic licences the hall holds for this person, or null when it cannot be asked now. */
export type LicenceLookup = (
  idNumber: string,
  materialCodes: readonly string[],
) => Promise<ReadonlySet<string> | null>;

/** An item's plan, or a bundle's merged one: fields by key, materials de-duplicated by code. */
export function buildPlan(
  target: ApplyTarget,
  name: Localized,
  items: readonly ServiceItem[],
  licences: ReadonlySet<string> | null,
): ApplyPlan {
  const fields = new Map<string, PlanField>();
  const materials = new Map<string, PlanMaterial>();
  for (const item of items) {
    for (const f of item.form) {
      const had = fields.get(f.key);
      if (had)
        fields.set(f.key, { ...had, required: had.required || f.required, items: [...had.items, item.code] });
      else fields.set(f.key, { ...f, items: [item.code] });
    }
    for (const m of item.materials) {
      const had = materials.get(m.code);
      if (had) {
        materials.set(m.code, {
          ...had,
          required: had.required || m.required,
          items: [...had.items, item.code],
          originals: Math.max(had.originals, m.originals),
          copies: Math.max(had.copies, m.copies),
        });
      } else {
        materials.set(m.code, {
          code: m.code,
          name: m.name,
          requirements: m.requirements,
          required: m.required,
          licence:
            m.source === 'shared-licence'
              ? licences?.has(m.code)
                ? 'confirmed'
                : 'unconfirmed'
              : 'not-applicable',
          originals: m.originals,
          copies: m.copies,
          items: [item.code],
        });
      }
    }
  }
  const ems = items.every((i) => i.delivery.ems);
  const pickup = items.every((i) => i.delivery.pickup);
  const first = items[0];
  if (!first) throw new Error('a plan needs at least one item');
  return {
    target,
    name,
    window: first.window,
    items: items.map((i) => ({
      code: i.code,
      name: i.name,
      caseType: i.caseType,
      legalDays: i.legalDays,
      promisedDays: i.promisedDays,
    })),
    fields: [...fields.values()],
    materials: [...materials.values()],
    // A hall can always hand a result over at its window, even when the items disagree on EMS.
    delivery: { ems, pickup: pickup || !ems },
    immediate: items.every((i) => i.caseType === 'immediate'),
  };
}

export function createPlanner(deps: {
  catalog: CatalogService;
  sessions: SessionService;
  logger: Logger;
  licences?: LicenceLookup | undefined;
}) {
  const { catalog, logger } = deps;

  function targetItems(target: ApplyTarget): { name: Localized; items: ServiceItem[] } | null {
    if (target.kind === 'item') {
      const item = catalog.item(target.code);
      return item ? { name: item.name, items: [item] } : null;
    }
    const b = catalog.bundle(target.code);
    return b ? { name: b.bundle.name, items: b.items } : null;
  }

  /** A new plan: the catalog's items, and the hall asked about shared licences (if it answers). */
  async function planFor(target: ApplyTarget, applicant: HeldIdentity | null): Promise<ApplyPlan | null> {
    const found = targetItems(target);
    if (!found) return null;
    const licenceCodes = found.items.flatMap((i) =>
      i.materials.filter((m) => m.source === 'shared-licence').map((m) => m.code),
    );
    let licences: ReadonlySet<string> | null = null;
    if (applicant && licenceCodes.length > 0 && deps.licences) {
      licences = await deps.licences(applicant.idNumber, licenceCodes).catch((e: unknown) => {
        logger.warn({ err: e }, 'shared licence lookup failed; asking for the materials instead');
        return null;
      });
    }
    return buildPlan(target, found.name, found.items, licences);
  }

  return {
    /** Plans for the session's applicant and keeps the plan in the session (what the screen shows). */
    async plan(
      sessionId: string,
      applicant: HeldIdentity | null,
      target: ApplyTarget,
    ): Promise<ApplyPlan | null> {
      const stamp = catalog.stamp();
      const plan = await planFor(target, applicant);
      if (plan) deps.sessions.keepPlan(sessionId, { plan, catalogStamp: stamp, applicant });
      return plan;
    },
    /** The plan to submit against: the one the session was shown for this target, else a new one. */
    async forSubmit(
      sessionId: string,
      applicant: HeldIdentity,
      target: ApplyTarget,
    ): Promise<ApplyPlan | null> {
      const kept = deps.sessions.keptPlan(sessionId, target);
      if (kept && kept.catalogStamp === catalog.stamp()) return kept.plan;
      return planFor(target, applicant);
    },
  };
}
export type Planner = ReturnType<typeof createPlanner>;
