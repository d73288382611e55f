/** Chinese copy of the session screens (merged into zh-cn.ts under `sessionFlow`). */
export const sessionZh = {
  title: 'session',
};
