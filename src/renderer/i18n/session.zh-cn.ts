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
    repeat: '再听一遍',
    repeatLabel: '再听一遍刚才的语音提示',
    steps: {
      identify: '请选择“本人办理”或“帮办代办”，然后把身份证放在读卡区',
      find: '请选择要办理的事项：可以按窗口分类查找，也可以点搜索框，用屏幕键盘输入事项名称',
      guide: '请查看需要准备的材料和办理时限，准备好后点“开始填写”',
      form: '请填写申请信息：点输入框，用屏幕下方的键盘输入，带星号的必须填写，填好后点“下一步”',
      materials: '请逐项提交申请材料：把材料放好后点“扫描材料”，全部扫描完后点“下一步”',
      delivery: '请选择结果送达方式：免费邮寄，或到大厅窗口领取，选好后点“下一步”',
      integrity: '请阅读廉洁告知，读完后点“我已阅读并知晓以上告知”',
      review: '请核对全部信息，需要改动的点“修改”，确认无误后点“提交申请”',
      result: '申请已提交。',
    },
    errors: {
      count_one: '还不能继续，有 {{count}} 项需要修改。',
      count_other: '还不能继续，有 {{count}} 项需要修改。',
      field: '{{label}}：{{problem}}。',
      more_one: '另有 {{count}} 项，请查看标红的说明。',
      more_other: '另有 {{count}} 项，请查看标红的说明。',
      chooseMethod: '还不能继续，请先选择结果送达方式。',
      materials: '还不能继续。',
    },
    scan: {
      scanning: '正在扫描{{material}}，请不要移动材料',
      added: '{{material}}第 {{n}} 页已扫描。还有下一页请放好后点“继续扫描”，扫完了请点“下一步”',
      addedMany:
        '{{material}}第 {{from}} 到第 {{to}} 页已扫描。还有下一页请放好后点“继续扫描”，扫完了请点“下一步”',
      failed: '扫描没有完成。{{problem}}',
    },
    digits: '零 一 二 三 四 五 六 七 八 九',
    sentenceEnd: '。',
    partBreak: '，',
    receipt: '您的受理编号是：{{number}}。',
    // 进度查询 / 排队取号 / 服务评价 (flow-voice.ts): what to do next on each screen, in words.
    find: {
      progress:
        '请选择查询方式：点“输入受理编号”，用屏幕键盘输入凭证上的编号；或点“刷身份证查询”，把身份证放在读卡区',
      evaluate:
        '请找到要评价的办件：点“输入受理编号”，用屏幕键盘输入凭证上的编号；或点“刷身份证查找”，把身份证放在读卡区',
      code: '也可以把凭证上的二维码对准扫码口',
      receipt: '请用屏幕键盘输入凭证上的受理编号，字母和数字可点“英”“123”切换，输完后点“查询”',
      unlock: '{{item}}，当前状态：{{status}}。要看详情，请输入凭证上的查询码后点“确认”，或点“改为刷身份证”',
      unlockNoCode: '{{item}}，当前状态：{{status}}。这张凭证没有查询码，要看详情请点“改为刷身份证”',
      identify: '请把申请人本人的身份证放在读卡区，读完后请取走',
      listProgress_one: '找到 {{count}} 件办件，请点击要查看进度的一件',
      listProgress_other: '找到 {{count}} 件办件，请点击要查看进度的一件',
      listEvaluate: '请点击要评价的办件；已评价过的不能再评',
      listEmpty: '没有找到您在本机提交的办件。请点“上一步”改用受理编号查询，或到咨询台咨询',
    },
    lookup: {
      badFormat: '受理编号格式不对。请核对凭证上的编号后重新输入',
      notFound: '没有找到这个受理编号的办件。请核对凭证上的编号；在其他终端或窗口提交的办件请到咨询台查询',
    },
    progress: {
      status: '{{item}}，当前状态：{{status}}。{{explain}}',
      correction: '大厅要求补交材料，请点“开始补正”，按提示扫描',
      next: '要重新打印凭证请点“重新打印凭证”，查看完了请点“完成”',
      evaluate: '还可以点“评价本次服务”',
    },
    queue: {
      choose:
        '请点要去的窗口类别取号。需要优先号的老年人、残疾人、孕妇，请先在“优先取号”里选择。每个窗口下写着今天的办公时间',
      allClosed: '大厅各窗口现在都不办公，今天不再发放排队号。需要帮助请点“呼叫帮助”',
      ticket: '您的排队号是 {{number}}，请到{{window}}等候叫号。',
    },
    evaluate: {
      level: '请为本次服务打分：点一项满意度，再点“提交评价”。不想评价可以点“跳过，不评价”',
      reason: '请选择一项不满意的原因，或点“其他原因（手动输入）”，然后点“提交评价”',
      thanks: '感谢您的评价！您的意见将帮助我们改进服务。',
    },
  },
};
