/** 服务评价 from the home screen (issue 4, flow 4). Being built. */
export function EvaluateFlow(_props: { onFinish: () => void }) {
  return <h2 className="screen-title">服务评价</h2>;
}
