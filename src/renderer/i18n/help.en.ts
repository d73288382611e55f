import type { Messages } from './messages.js';

/** English copy of 呼叫帮助; typed by the Chinese copy. */
export const helpEn: Messages['helpCall'] = {
  button: 'Call for help',
  consent: {
    title: 'Call the hall staff',
    body: 'Staff will see: this kiosk’s number, the step you are on and how long you have waited. Once answered you can talk to them by video (this kiosk’s camera and microphone).',
    withName: 'Call and tell them my name (partly hidden)',
    withoutName: 'Call without personal details',
    cancel: 'Not now',
  },
  waiting: {
    title: 'Calling the staff…',
    elapsed: 'Waiting for {{seconds}} s. Please hold on.',
    cancel: 'Cancel the call',
  },
  connected: {
    title: 'Connected: {{staff}}',
    titleNoName: 'Connected to the staff',
    remote: 'Staff video',
    local: 'Your video',
    connecting: 'Setting up the video…',
    hangup: 'Hang up',
  },
  unavailable: {
    title: 'Nobody can answer right now',
    reasons: {
      'off-hours': 'The help desk is not staffed at this hour.',
      'nobody-on-duty': 'Nobody is on duty at the help desk now.',
      'no-answer': 'The staff cannot answer at the moment.',
      'hall-unreachable': 'The hall cannot be reached at the moment.',
    },
    hotline: 'Please call the service hotline: {{hotline}}',
    noHotline: 'Please ask at the enquiry desk during opening hours.',
    hours: 'Staffed hours:',
    anyHour: 'See the hall’s notices for staffed hours.',
    hoursLine: '{{days}} {{from}}–{{to}}',
    ok: 'OK',
  },
  ended: {
    title: 'The call has ended',
    body: 'If you need more help, tap “Call for help” again.',
    ok: 'OK',
  },
  days: { d0: 'Sun', d1: 'Mon', d2: 'Tue', d3: 'Wed', d4: 'Thu', d5: 'Fri', d6: 'Sat' },
  daysJoin: ', ',
};
