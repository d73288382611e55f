/** Chinese copy of the evaluate screens (merged into zh-cn.ts under `evaluateFlow`). */
export const evaluateZh = {
  title: 'evaluate',
};
