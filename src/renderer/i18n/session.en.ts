import type { Messages } from './messages.js';

/** English copy of the resident session; typed by the Chinese copy. */
export const sessionEn: Messages['sessionFlow'] = {
  steps: 'Step {{current}} of {{total}}',
  nextStep: 'Next: {{name}}',
  expired: 'This visit has ended (no activity for a while). Go home and start again',
  identify: {
    title: 'Place your ID card',
    helperTitle: 'Helper: place your ID card',
    prompt: "Place the applicant's ID card on the reader and keep it still until it has been read",
    helperPrompt: "Assisted application: first place the helper's own ID card on the reader",
    privacy: 'Card data is used for this application only, shown partly hidden, and cleared when you finish',
    retry: 'Read again',
    errors: {
      timeout: 'No ID card found. Lay the card flat on the reader, then tap "Read again"',
      'read-failed': 'The card was not read completely. Place it again and keep it still',
      'invalid-card': 'The card data could not be verified. Try another card or go to a staffed window',
      'same-card': "This is the helper's card. Take it away and place the applicant's card",
      'expired-card': 'This ID card has expired. Please go to a staffed window',
      'no-reader': 'The ID card reader is out of service. Please go to a staffed window in the hall',
      failed: 'Card reading is not available right now. Read again, or go to a staffed window',
      'lift-card': 'A card is already lying on the reader. Please lift it off, then place it again',
    },
  },
  identity: {
    applicant: 'Applicant',
    helper: 'Helper',
    masked: '{{name}} ({{id}})',
    cardRemoved: 'ID card removed. Your details were read — you can carry on',
  },
  countdown: {
    title: 'Are you still there?',
    body: 'No touch for a while. In {{seconds}} seconds this session ends and your details are cleared',
    more: 'I need more time',
    end: 'Finish now',
  },
  leave: {
    title: 'End this visit and go home?',
    body: 'Your card details, what you have typed and the pages you scanned will be cleared, not submitted',
    stay: 'Carry on',
    leave: 'End and go home',
  },
  farewell: {
    homeTitle: 'This visit has ended',
    queueReminder: 'Please take your queue ticket and watch the calling screen',
    title: 'Finished — thank you',
    timeoutTitle: 'Session ended after no activity',
    reminder: 'Please take your ID card, your original papers and your printed receipts',
    wiped: 'Your card details and unsubmitted papers have been cleared from this kiosk',
  },
  voice: {
    toggle: 'Voice',
    repeat: 'Hear again',
    repeatLabel: 'Hear again the last voice prompt',
    steps: {
      identify: 'Choose “For myself” or “Helping someone”, then place the ID card on the card reader',
      find: 'Choose the service you need: browse by window, or tap the search box and type on the screen keyboard',
      guide: 'Check the papers you need and the time limits; when you are ready, tap “Start filling in”',
      form: 'Fill in the form: tap a box and type on the keyboard at the bottom of the screen. Boxes marked with a star are required. Then tap “Next”',
      materials: 'Hand in each paper: place it, then tap “Scan”. When every paper is scanned, tap “Next”',
      delivery: 'Choose how you get the result: free post, or collect it at the hall. Then tap “Next”',
      integrity: 'Read the integrity notice, then tap “I have read this notice”',
      review: 'Check everything. Tap “Change” to correct a part; when all is right, tap “Submit”',
      result: 'Your application has been submitted.',
    },
    errors: {
      count_one: 'You cannot go on yet: {{count}} thing needs correcting.',
      count_other: 'You cannot go on yet: {{count}} things need correcting.',
      field: '{{label}}: {{problem}}.',
      more_one: 'And {{count}} more; see the notes in red.',
      more_other: 'And {{count}} more; see the notes in red.',
      chooseMethod: 'You cannot go on yet: first choose how you get the result.',
      materials: 'You cannot go on yet.',
    },
    scan: {
      scanning: 'Scanning {{material}}. Please do not move the paper',
      added:
        '{{material}}: page {{n}} is scanned. For another page, place it and tap “Scan more pages”; when you are done, tap “Next”',
      addedMany:
        '{{material}}: pages {{from}} to {{to}} are scanned. For another page, place it and tap “Scan more pages”; when you are done, tap “Next”',
      failed: 'The scan did not finish. {{problem}}',
    },
    digits: 'zero one two three four five six seven eight nine',
    sentenceEnd: '.',
    partBreak: ', ',
    receipt: 'Your receipt number is: {{number}}.',
    // 进度查询 / 排队取号 / 服务评价 (flow-voice.ts): what to do next on each screen, in words.
    find: {
      progress:
        'Choose how to find your application: tap “Type the receipt number” and type the number on your receipt on the screen keyboard, or tap “Use your ID card” and place the card on the card reader',
      evaluate:
        'Find the application to rate: tap “Type the receipt number” and type the number on your receipt on the screen keyboard, or tap “Use your ID card” and place the card on the card reader',
      code: 'You can also hold the QR code on your receipt to the code reader',
      receipt:
        'Type the receipt number from your receipt on the screen keyboard; switch between letters and digits with “ABC” and “123”. Then tap “Search”',
      unlock:
        '{{item}}, status: {{status}}. To see the details, type the access code from your receipt and tap “Open”, or tap “Use the ID card instead”',
      unlockNoCode:
        '{{item}}, status: {{status}}. This receipt has no access code; to see the details, tap “Use the ID card instead”',
      identify:
        'Place the applicant’s own ID card on the card reader, and take it back when it has been read',
      listProgress_one: '{{count}} application found. Tap it to see its progress',
      listProgress_other: '{{count}} applications found. Tap the one whose progress you want to see',
      listEvaluate: 'Tap the application you want to rate; those already rated cannot be rated again',
      listEmpty:
        'No application submitted at this kiosk was found. Tap “Back” to search by receipt number, or ask at the information desk',
    },
    lookup: {
      badFormat: 'That is not a receipt number. Check the number on your receipt and type it again',
      notFound:
        'No application has this receipt number. Check the number on your receipt; for applications made at another kiosk or at a window, ask at the information desk',
    },
    progress: {
      status: '{{item}}, status: {{status}}. {{explain}}',
      correction: 'The hall needs more papers: tap “Provide the materials” and scan them as shown',
      next: 'To print the receipt again, tap “Reprint the receipt”; when you are done, tap “Done”',
      evaluate: 'You can also tap “Rate this service”',
    },
    queue: {
      choose:
        'Tap the window category you need to take a number. Seniors, people with disabilities and pregnant women who need a priority number, choose it under “Priority ticket” first. Each window shows today’s opening hours',
      allClosed:
        'No window of the hall is open now, and no more numbers are given out today. For help, tap “Call for help”',
      ticket: 'Your number is {{number}}. Please wait at the {{window}} for your number to be called.',
    },
    evaluate: {
      level:
        'Rate this service: tap how satisfied you are, then tap “Submit rating”. To leave without rating, tap “Skip, do not rate”',
      reason:
        'Choose a reason you are not satisfied, or tap “Other reason (type it)” to type one, then tap “Submit rating”',
      thanks: 'Thank you for your rating! Your opinion helps us improve our service.',
    },
  },
};
