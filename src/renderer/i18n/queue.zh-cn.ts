/** Chinese copy of the queue screens (merged into zh-cn.ts under `queueFlow`). */
export const queueZh = {
  title: 'queue',
};
