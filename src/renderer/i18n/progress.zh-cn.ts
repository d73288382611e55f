/** Chinese copy of the progress screens (merged into zh-cn.ts under `progressFlow`). */
export const progressZh = {
  title: 'progress',
};
