/** Chinese copy of the keyboard screens (merged into zh-cn.ts under `keyboardFlow`). */
export const keyboardZh = {
  title: 'keyboard',
};
