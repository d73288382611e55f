/** Chinese copy of the on-screen keyboard (merged into zh-cn.ts under `keyboardFlow`). */
export const keyboardZh = {
  roleDescription: '屏幕键盘',
  modes: '输入方式',
  /** Short labels on the layout keys; `layoutName` is what a screen reader says. */
  layout: {
    pinyin: '中',
    letters: '英',
    digits: '123',
    idNumber: '证件号',
    phone: '手机号',
  },
  layoutName: {
    pinyin: '中文拼音输入',
    letters: '英文字母输入',
    digits: '数字输入',
    idNumber: '身份证号码输入',
    phone: '手机号码输入',
  },
  composing: '正在输入的拼音',
  hint: '输入拼音，再点选下方的汉字',
  candidates: '候选字词',
  noCandidates: '没有对应的汉字，按“空格”输入字母',
  prevPage: '上一页',
  nextPage: '下一页',
  pageOf: '第 {{page}}/{{pages}} 页',
  backspace: '删除',
  clear: '清空',
  done: '完成',
  space: '空格',
  caps: '大写',
  separator: '分词',
  full: '已达到最多 {{max}} 个字符',
};
