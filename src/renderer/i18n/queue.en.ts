import type { Messages } from './messages.js';

/** English copy of the queue screens; typed by the Chinese copy. */
export const queueEn: Messages['queueFlow'] = {
  title: 'Take a queue ticket',
  kicker: 'Staffed service windows',
  intro:
    'Choose the window for your business. After taking a number, watch the display and listen for your call.',
  steps: {
    choose: 'Choose a window',
    ticket: 'Ticket',
  },
  choose: {
    title: 'Which window?',
    prefix: 'Numbers {{prefix}}',
    waiting: 'People waiting: shown when online',
    online: 'The number of people ahead of you shows after you take a ticket',
    waitingCount: '{{count}} waiting now',
    taking: 'Taking a number…',
  },
  ticket: {
    title: 'Your queue number',
    number: 'Number',
    window: 'Window',
    windowName: '{{name}} window',
    issuedAt: 'Taken at',
    waiting: 'Ahead of you',
    waitingCount: '{{count}} people',
    waitingUnknown: 'Shown when online',
    printed: 'Your ticket was printed: take it from the slot and watch for your number.',
    printFailed:
      'The ticket did not print. Remember the number {{number}} on the screen, or take a photo, and wait for it to be called.',
    reprint: 'Print the ticket again',
    reprinting: 'Printing…',
    reprintFailed:
      'It still cannot print. Remember the number {{number}}, or ask the staff at the help desk.',
    pending: 'The ticket is printing; please wait.',
    finish: 'Done',
  },
  errors: {
    paperOut:
      'The ticket machine is out of paper. Please get a number at the help desk. No number was taken for you.',
    unavailable:
      'The ticket machine cannot print now ({{status}}). Please get a number at the help desk. No number was taken for you.',
    noPrinter: 'This kiosk has no ticket machine. Please get a number at the help desk.',
    rangeExhausted: 'This kiosk has given out all of today’s numbers. Please get a number at the help desk.',
    unknownWindow: 'This window takes no numbers now. Choose another, or ask at the help desk.',
    failed: 'No number could be taken. Please try again, or get a number at the help desk.',
    retry: 'Try again',
  },
  printerStatus: {
    'paper-out': 'out of paper',
    'paper-near-end': 'paper nearly out',
    'cover-open': 'cover open',
    offline: 'not connected',
    error: 'fault',
    ready: 'ready',
  },
};
