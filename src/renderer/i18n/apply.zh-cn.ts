/** Chinese copy of the apply screens (merged into zh-cn.ts under `applyFlow`). */
export const applyZh = {
  title: 'apply',
};
