/** 呼叫帮助: the call's state, raising and ending it, and the screen's side of the video signalling. */
import type { HelpSignal } from '../../shared/browser.js';
import { callValue } from './call.js';
import { trpcClient } from './client.js';

export const helpStatus = () => callValue(() => trpcClient.help.status.query());

export const requestHelp = (step: string, consent: boolean, sessionId: string | null) =>
  callValue(() => trpcClient.help.request.mutate({ step, consent, ...(sessionId ? { sessionId } : {}) }));

export const cancelHelp = () => callValue(() => trpcClient.help.cancel.mutate());

export const dismissHelp = () => callValue(() => trpcClient.help.dismiss.mutate());

export const sendHelpSignal = (signal: HelpSignal) =>
  callValue(() => trpcClient.help.signal.mutate({ signal }));
