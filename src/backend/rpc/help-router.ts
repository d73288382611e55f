/**
 * 呼叫帮助 procedures (docs/api.md, "help"): raise a help request, follow it (also as `help` events
 * on the event stream), relay the screen's side of the video call, cancel or hang up, and close the
 * notice. No personal data crosses unless the resident agreed: then only the masked name of the
 * session's applicant, looked up here — the screen never sends a name.
 */
import { z } from 'zod';
import { helpSignalSchema, helpStepSchema } from '../../shared/wire/index.js';
import { t } from './trpc.js';

export const helpRouter = t.router({
  status: t.procedure.query(({ ctx }) => ctx.help.status()),
  request: t.procedure
    .input(z.object({ step: helpStepSchema, consent: z.boolean(), sessionId: z.uuid().optional() }))
    .mutation(({ ctx, input }) => {
      let residentName: string | null = null;
      if (input.consent && input.sessionId) {
        const s = ctx.resident.sessions.view(input.sessionId);
        residentName = s.ok ? (s.value.applicant?.nameMasked ?? null) : null;
      }
      return ctx.help.request({ step: input.step, consent: input.consent, residentName });
    }),
  /** One WebRTC signalling message (answer, ICE candidate, hang-up) to the desk. */
  signal: t.procedure
    .input(z.object({ signal: helpSignalSchema }))
    .mutation(async ({ ctx, input }) => ({ delivered: await ctx.help.signal(input.signal) })),
  cancel: t.procedure.mutation(({ ctx }) => ctx.help.cancel()),
  dismiss: t.procedure.mutation(({ ctx }) => ctx.help.dismiss()),
});
