/** 进度查询 (issue 4, flow 5). Being built. */
export function ProgressFlow(_props: { onFinish: () => void }) {
  return <h2 className="screen-title">进度查询</h2>;
}
