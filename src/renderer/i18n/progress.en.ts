import type { Messages } from './messages.js';

/** English copy of the progress screens; typed by the Chinese copy. */
export const progressEn: Messages['progressFlow'] = {
  title: 'Check progress',
  kicker: 'Application progress',
  intro: 'See how your applications are going, send missing materials, reprint a receipt.',
  steps: {
    find: 'Find the application',
    detail: 'Progress',
    correction: 'Missing materials',
  },
  choose: {
    title: 'How do you want to find it?',
    byReceipt: 'Type the receipt number',
    byReceiptHint: 'Printed on your receipt, e.g. ZZ01-20261126-0001',
    byCode: 'Scan the receipt’s QR code',
    byCodeHint: 'Hold the QR code on the receipt to the code reader; it opens at once',
    byCard: 'Use your ID card',
    byCardHint: 'Lists everything you submitted at this kiosk',
    codeListening: 'The code reader is ready: scan the QR code on your receipt at any time',
  },
  receipt: {
    title: 'Type the receipt number',
    label: 'Receipt number',
    placeholder: 'e.g. ZZ01-20261126-0001',
    example:
      'Letters and digits, date, serial: e.g. ZZ01-20261126-0001. Tap “ABC” or “123” to switch between letters and digits.',
    hyphen: 'Type “-”',
    search: 'Search',
    searching: 'Searching…',
    badFormat:
      '“{{value}}” is not a valid receipt number. It looks like ZZ01-20261126-0001; please check your receipt and type it again.',
    empty: 'Please type the receipt number first.',
    notFound:
      'No application with receipt number {{receiptNo}} was found. Please check the number on your receipt; for applications made elsewhere, ask at the help desk.',
    foreignCode:
      'This QR code is not a receipt of this hall. Scan the QR code on your receipt, or type the receipt number.',
    failed: 'The search is not possible right now. Please try again later or ask at the help desk.',
    scanned: 'Receipt scanned: {{receiptNo}}',
    accessDenied:
      'The access code does not match this receipt number. Please check the code on your receipt (letters and digits, no 0, O, 1 or I) and type it again. {{count}} attempts left.',
    accessDeniedLast:
      'The access code does not match. Too many wrong codes: please try again later, or place the applicant’s ID card.',
    tooMany:
      'Too many unsuccessful look-ups. Please try again in {{seconds}} seconds, or place the applicant’s ID card.',
    badCode: 'An access code has 8 letters and digits, like K7QM-X3RD. Please check it and type it again.',
    emptyCode: 'Please type the access code first.',
    sessionExpired: 'This visit has ended. Please start again from the home screen.',
  },
  access: {
    title: 'Enter the access code',
    statusTitle: 'Status of the application',
    explain:
      'The receipt number alone shows the status only. To see the details, add materials, rate or reprint, type the access code printed under the receipt number on your receipt, or place the applicant’s ID card.',
    noCode:
      'This receipt has no access code (it was printed before access codes were introduced): please place the applicant’s ID card.',
    label: 'Access code',
    placeholder: '8 letters and digits, e.g. K7QM-X3RD',
    submit: 'Open',
    checking: 'Checking…',
    byCard: 'Use the ID card instead',
    scanHint: 'Scanning the QR code on the receipt fills in both the receipt number and the access code.',
    deniedTitle: 'This application cannot be shown',
    deniedBody:
      'Only the applicant’s ID card or the receipt’s access code opens the details of this application.',
  },
  list: {
    title: 'Your applications',
    intro: '{{count}} in total; tap one to see its progress',
    empty: 'No applications from this kiosk were found for you.',
    submittedAt: 'Submitted {{at}}',
  },
  detail: {
    receiptNo: 'Receipt number',
    applicant: 'Applicant',
    status: 'Status',
    submittedAt: 'Submitted',
    promisedDate: 'Promised by',
    noPromisedDate: 'Immediate item, no promised date',
    delivery: 'Result',
    deliveryEms: 'Free delivery by EMS',
    deliveryPickup: 'Collect at the hall',
    deliveryNone: 'Not chosen',
    hall: 'At the hall',
    hallYes: 'The hall has received this application',
    hallNo: 'Not at the hall yet: it is sent automatically when the network is back',
    lastSync: 'Last updated {{at}} (the kiosk is offline; the progress may not be current)',
    neverSynced: 'This kiosk has not synchronised with the hall yet; the progress may not be current',
    historyTitle: 'History',
    historyEmpty: 'No entries yet',
    sourceKiosk: 'This kiosk',
    sourceHall: 'Service hall',
    note: 'Note: {{note}}',
  },
  correction: {
    title: 'Materials to add',
    requestedAt: 'Requested by the hall on {{at}}',
    note: 'The hall says: {{note}}',
    materials: 'Please provide:',
    start: 'Provide the materials',
    captureTitle: 'Missing materials',
    captureIntro: 'Scan or photograph each material below, then tap “Send the materials”.',
    submit: 'Send the materials',
    submitting: 'Sending…',
    missing: 'Still missing: {{materials}}. Please scan or photograph it first.',
    done: 'The materials were sent; the hall will review them soon.',
    failed: 'The materials were not sent. Tap “Send the materials” to try again, or ask at the help desk.',
    noCorrection: 'This application needs no missing materials now.',
    storageFull:
      'The kiosk’s storage is full, so the missing materials were not sent this time. The pages you scanned are kept. Please ask the hall staff or hand them in at a staffed window.',
    accessDenied:
      'This application can be changed only with the applicant’s ID card or the receipt’s access code.',
  },
  actions: {
    reprint: 'Reprint the receipt',
    reprinting: 'Printing…',
    evaluate: 'Rate this service',
    evaluated: 'Rated',
    finish: 'Done',
    back: 'Search again',
  },
  reprint: {
    printed: 'The receipt was printed again; please take it from the slot.',
    failed:
      'The receipt did not print: {{detail}}. Tap “Reprint the receipt” again once it is fixed, or ask the staff at the help desk.',
    noPrinter: 'This kiosk has no receipt printer; please ask at the help desk.',
    pending: 'The receipt is printing; please wait.',
    error: 'Printing is not possible right now; please try again later.',
    storageFull:
      'The kiosk’s storage is full, so it cannot reprint the receipt now. Your application is not affected. Please ask the staff at the help desk.',
  },
};
