/** Chinese copy of 呼叫帮助 (merged into zh-cn.ts under `helpCall`). */
export const helpZh = {
  button: '呼叫帮助',
  consent: {
    title: '呼叫大厅工作人员',
    body: '工作人员将看到：本终端编号、您所在的步骤和等候时间。接通后可与工作人员视频通话（使用本机摄像头和麦克风）。',
    withName: '呼叫，并告知我的姓名（隐去部分）',
    withoutName: '呼叫（不提供个人信息）',
    cancel: '不用了',
  },
  waiting: {
    title: '正在呼叫工作人员…',
    elapsed: '已等候 {{seconds}} 秒，请稍候。',
    cancel: '取消呼叫',
  },
  connected: {
    title: '已接通：{{staff}}',
    titleNoName: '已接通工作人员',
    remote: '工作人员画面',
    local: '您的画面',
    connecting: '正在建立视频连接…',
    hangup: '挂断',
  },
  unavailable: {
    title: '暂时无人接听',
    reasons: {
      'off-hours': '现在不是工作人员值守时间。',
      'nobody-on-duty': '现在没有工作人员在值守。',
      'no-answer': '工作人员暂时无法接听。',
      'hall-unreachable': '暂时无法连接大厅服务。',
    },
    hotline: '请拨打服务热线：{{hotline}}',
    noHotline: '请在大厅开放时间到咨询台咨询。',
    hours: '值守时间：',
    anyHour: '值守时间以大厅公告为准。',
    hoursLine: '{{days}} {{from}}–{{to}}',
    ok: '知道了',
  },
  ended: {
    title: '通话已结束',
    body: '如还需帮助，可再次点击“呼叫帮助”。',
    ok: '知道了',
  },
  days: { d0: '周日', d1: '周一', d2: '周二', d3: '周三', d4: '周四', d5: '周五', d6: '周六' },
  daysJoin: '、',
};
