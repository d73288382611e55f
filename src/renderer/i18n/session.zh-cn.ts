/** Chinese copy of the resident session: identification, countdown, farewell, voice. */
export const sessionZh = {
  steps: '第 {{current}} 步，共 {{total}} 步',
  nextStep: '下一步：{{name}}',
  /** Every screen says a lapsed session (the backend no longer holds it) with this one sentence. */
  expired: '本次办理已结束（长时间未操作），请返回首页重新开始',
  identify: {
    title: '请放置身份证',
    helperTitle: '请代办人放置身份证',
    prompt: '请将申请人的身份证放在读卡区，保持不动，直到读取完成',
    helperPrompt: '帮办代办：请先将代办人本人的身份证放在读卡区',
    privacy: '证件信息仅用于本次办理，屏幕上隐去部分内容，办理结束后自动清除',
    retry: '重新读卡',
    errors: {
      timeout: '未检测到身份证。请将身份证平放在读卡区，再点“重新读卡”',
      'read-failed': '读卡未完成，请重新放置身份证并保持不动',
      'invalid-card': '证件信息无法校验，请换一张证件或到人工窗口办理',
      'same-card': '这是代办人的身份证。请取走它，再放置申请人的身份证',
      'expired-card': '身份证已过有效期，请到人工窗口办理',
      'no-reader': '身份证阅读器暂不可用，请到大厅人工窗口办理',
      failed: '读卡服务暂时异常，请重新读卡或到人工窗口办理',
      'lift-card': '读卡区上已有一张身份证。请先取下身份证，再重新放置',
    },
  },
  identity: {
    applicant: '申请人',
    helper: '代办人',
    masked: '{{name}}（{{id}}）',
    cardRemoved: '身份证已取走，证件信息已读取，可以继续办理',
  },
  countdown: {
    title: '您还在吗？',
    body: '长时间未操作，{{seconds}} 秒后将结束本次办理并清除您的信息',
    more: '需要更多时间',
    end: '结束办理',
  },
  leave: {
    title: '结束本次办理并返回首页？',
    body: '已读取的身份证信息、填写的内容和扫描的材料将被清除，不会提交',
    stay: '继续办理',
    leave: '结束并返回首页',
  },
  farewell: {
    homeTitle: '本次办理已结束',
    queueReminder: '请取走您的排队小票，留意叫号屏和广播',
    title: '办理结束，感谢您的使用',
    timeoutTitle: '长时间未操作，本次办理已结束',
    reminder: '请取走您的身份证、材料原件和打印的凭证',
    wiped: '您在本机的证件信息和未提交的材料已清除',
  },
  voice: {
    toggle: '语音播报',
  },
};
