/** 排队取号 (issue 4, flow 6). Being built. */
export function QueueFlow(_props: { onFinish: () => void }) {
  return <h2 className="screen-title">排队取号</h2>;
}
