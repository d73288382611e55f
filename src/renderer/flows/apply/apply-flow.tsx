import type { ApplyTarget } from '../../../shared/index.js';

/** 我要办事 (issue 4, flow 1). Being built. */
export function ApplyFlow(_props: { initialTarget: ApplyTarget | null; onFinish: () => void }) {
  return <h2 className="screen-title">我要办事</h2>;
}
