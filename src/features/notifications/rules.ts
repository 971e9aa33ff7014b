// Pure rules for notifying a victim: which channels the safe-contact profile allows and in what order, whether to send
// at all, when quiet hours end, the neutral words and template of each message, Notify references, and the checks of
// the staff form that changes the profile. No I/O. A profile that says nothing is never read as permission.
import { addDays } from '../../platform/time/calendar-date.ts';
import { londonDateOf, londonInstant, londonOffsetMs } from '../../platform/time/london.ts';
// A pure rule (no I/O): the channels a profile may name, and the profile's shape.
import { SAFE_CHANNELS, type SafeChannel, type SafeContact } from '../people/rules.ts';

export type NotifyChannel = 'email' | 'sms';
export type Purpose = 'update' | 'message';
export type Language = 'en' | 'cy';
export type QuietHours = { from: string; to: string };

/** The channels Haven can send by itself; phone and letter need a person. */
export const AUTOMATIC_CHANNELS: readonly NotifyChannel[] = ['email', 'sms'];
export const DEFAULT_QUIET_HOURS: QuietHours = { from: '21:00', to: '08:00' };
/** Retries after Notify was unavailable (500, 429, timeout), with backoff, before a person is asked to step in. */
export const SEND_RETRY_LIMIT = 8;

/** The parts of a stored profile notifications read, read defensively: rows from before a field existed lack it. */
export type NotificationProfile = { channels: string[]; doNotContact: boolean; quietHours: QuietHours | null };

export function notificationProfile(stored: Record<string, unknown> | null | undefined): NotificationProfile {
  const channels = Array.isArray(stored?.channels) ? stored.channels.filter((item): item is string => typeof item === 'string') : [];
  const quiet = stored?.quietHours as Partial<QuietHours> | null | undefined;
  const quietHours = quiet && isClockTime(quiet.from) && isClockTime(quiet.to) ? { from: quiet.from, to: quiet.to } : null;
  return { channels, doNotContact: stored?.doNotContact === true, quietHours };
}

export type Recipient = { email: string | null; phone: string | null; preferredLanguage: string | null };
export type Withheld = 'do_not_contact' | 'profile_unknown' | 'no_safe_channel';
export type NotificationDecision = { kind: 'send'; channels: NotifyChannel[]; language: Language } | { kind: 'withhold'; reason: Withheld; taskTitle: string };

export const WITHHELD_TASK_TITLES: Record<Withheld, string> = {
  do_not_contact: 'Tell the victim about their update another way: they must not be contacted by message',
  profile_unknown: 'Agree how to contact the victim safely: no safe ways of contact are recorded',
  no_safe_channel: 'Tell the victim about their update another way: no safe email or text number is recorded',
};

/**
 * Whether and how to notify: only channels the profile names as safe, which Haven can send by, and for which the
 * person has an address or number, in the profile's order. Nothing is guessed: an empty profile sends nothing.
 */
export function decideNotification(profile: NotificationProfile, recipient: Recipient): NotificationDecision {
  const withhold = (reason: Withheld): NotificationDecision => ({ kind: 'withhold', reason, taskTitle: WITHHELD_TASK_TITLES[reason] });
  if (profile.doNotContact) return withhold('do_not_contact');
  if (!profile.channels.length) return withhold('profile_unknown');
  const reachable = (channel: NotifyChannel) => (channel === 'email' ? Boolean(recipient.email) : Boolean(recipient.phone));
  const channels = [...new Set(profile.channels)].filter((channel): channel is NotifyChannel => (AUTOMATIC_CHANNELS as readonly string[]).includes(channel)).filter(reachable);
  if (!channels.length) return withhold('no_safe_channel');
  return { kind: 'send', channels, language: languageOf(recipient.preferredLanguage) };
}

/** Welsh for those who asked for it ('cy', 'Welsh', 'Cymraeg'); English otherwise. */
export function languageOf(preferred: string | null | undefined): Language {
  const value = (preferred ?? '').trim().toLowerCase();
  return value === 'cy' || value.startsWith('cy-') || value === 'welsh' || value === 'cymraeg' ? 'cy' : 'en';
}

/** What the event's detail asks for: a new message, or (anything else that asks) an update. */
export const purposeOf = (notifyVictim: unknown): Purpose => (notifyVictim === 'message' ? 'message' : 'update');

export const isClockTime = (value: unknown): value is string => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The moment quiet hours end, if `now` falls in them (London wall clock, so BST is handled); null when a message may
 * go now. Quiet hours may cross midnight (21:00 to 08:00). Equal from and to means no quiet hours.
 */
export function quietHoursEnd(now: Date, quiet: QuietHours | null): Date | null {
  const { from, to } = quiet ?? DEFAULT_QUIET_HOURS;
  const start = minutesOf(from);
  const end = minutesOf(to);
  if (start === end) return null;
  const wall = new Date(now.getTime() + londonOffsetMs(now));
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const today = londonDateOf(now);
  const endOn = (date: string) => londonInstant(date, Math.floor(end / 60), end % 60, 0, 0);
  if (start < end) return minute >= start && minute < end ? endOn(today) : null;
  if (minute >= start) return endOn(addDays(today, 1));
  if (minute < end) return endOn(today);
  return null;
}

export const templateKey = (purpose: Purpose, channel: NotifyChannel, language: Language): string => `${purpose}.${channel}.${language}`;

// Placeholders for development and the fake Notify; a live service sets its own with NOTIFY_TEMPLATE_IDS.
export const DEFAULT_TEMPLATE_IDS: Record<string, string> = {
  'update.email.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0001',
  'update.email.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0002',
  'update.sms.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0003',
  'update.sms.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0004',
  'message.email.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0005',
  'message.email.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0006',
  'message.sms.en': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0007',
  'message.sms.cy': '0a1e4c52-7d38-4f0e-9a55-4b3c2f6a0008',
};

export function templateIdFor(configured: Record<string, string>, purpose: Purpose, channel: NotifyChannel, language: Language): string {
  const key = templateKey(purpose, channel, language);
  return configured[key] ?? DEFAULT_TEMPLATE_IDS[key] ?? '';
}

/**
 * The words of each template, as Notify holds them: nothing about the person or the crime, fit for a lock screen or a
 * shared inbox, from a neutral sender. ((link)) is the only personalisation. The outbox shows these.
 */
export const TEMPLATE_TEXT: Record<Purpose, Record<Language, string>> = {
  update: {
    en: 'You have a new update. Sign in to read it: ((link))',
    cy: 'Mae gennych ddiweddariad newydd. Mewngofnodwch i’w ddarllen: ((link))',
  },
  message: {
    en: 'You have a new message. Sign in to read it: ((link))',
    cy: 'Mae gennych neges newydd. Mewngofnodwch i’w darllen: ((link))',
  },
};
export const EMAIL_SUBJECT: Record<Language, string> = { en: 'You have a new update', cy: 'Mae gennych ddiweddariad newydd' };
/** The name messages come from, where Notify lets the service set it: it says nothing about why. */
export const SENDER_NAME = 'Haven';

/** Everything a message carries to Notify: the sign-in link and nothing else. */
export const personalisationFor = (signInUrl: string): Record<string, string> => ({ link: signInUrl });

/** The template text with the link filled in, for the outbox. */
export function messageText(purpose: Purpose, language: Language, personalisation: Record<string, string>): string {
  return TEMPLATE_TEXT[purpose][language].replace('((link))', personalisation.link ?? '');
}

/**
 * Notify's reference for a send: our notification id, so a send repeated after a crash can be found; a fallback channel
 * gets its own (`<id>:<channel>`), because its send is a different message.
 */
export const referenceFor = (notificationId: string, channelIndex: number, channel: NotifyChannel): string => (channelIndex === 0 ? notificationId : `${notificationId}:${channel}`);
export const notificationIdOfReference = (reference: string): string => reference.split(':')[0] ?? '';

/**
 * The gap between two sends on one key. Kept a little under the permitted rate, because a send leaves a moment after
 * its slot and Notify counts what arrives in any 60 seconds.
 */
export function slotIntervalMs(ratePerMinute: number): number {
  const permitted = Math.max(1, Math.floor(ratePerMinute * 0.97) - 1);
  return 60_000 / permitted;
}

export const RECEIPT_STATUSES = ['delivered', 'permanent-failure', 'temporary-failure', 'technical-failure'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];
/** A status Notify reports for a message it holds that will not arrive. */
export const isFailureStatus = (status: string): boolean => status.endsWith('failure');

// The staff form that changes the profile.
export const SAFE_TIMES_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;
export const CODE_WORD_MAX_LENGTH = 50;
export type SafeContactForm = Record<string, unknown>;
export type FieldErrors = Record<string, string>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '');
const yesNo = (value: unknown): boolean | null => (value === 'yes' ? true : value === 'no' ? false : null);
const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).filter((item): item is string => typeof item === 'string');

/** Checks the staff form; the safe address is not on it and is kept from the stored profile. */
export function checkSafeContactForm(form: SafeContactForm, stored: SafeContact): { value: SafeContact } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const chosen = list(form.channels);
  if (chosen.some((channel) => !(SAFE_CHANNELS as readonly string[]).includes(channel))) errors.channels = 'Select safe ways to contact from the list';
  const channels = SAFE_CHANNELS.filter((channel) => chosen.includes(channel));
  // The order the person gave is kept for channels still chosen, so a coordinator re-saving does not reorder them.
  const ordered: SafeChannel[] = [...stored.channels.filter((channel) => channels.includes(channel)), ...channels.filter((channel) => !stored.channels.includes(channel))];
  const safeTimes = text(form.safeTimes);
  if (safeTimes.length > SAFE_TIMES_MAX_LENGTH) errors.safeTimes = `Safe times must be ${SAFE_TIMES_MAX_LENGTH} characters or fewer`;
  const codeWord = text(form.codeWord);
  if (codeWord.length > CODE_WORD_MAX_LENGTH) errors.codeWord = `The code word must be ${CODE_WORD_MAX_LENGTH} characters or fewer`;
  const quietFrom = text(form.quietFrom);
  const quietTo = text(form.quietTo);
  if (quietFrom && !isClockTime(quietFrom)) errors.quietFrom = 'Enter the start of quiet hours as a 24-hour time, like 21:00';
  if (quietTo && !isClockTime(quietTo)) errors.quietTo = 'Enter the end of quiet hours as a 24-hour time, like 08:00';
  if (!errors.quietFrom && !errors.quietTo) {
    if (quietFrom && !quietTo) errors.quietTo = 'Enter the end of quiet hours, or leave both times empty';
    else if (quietTo && !quietFrom) errors.quietFrom = 'Enter the start of quiet hours, or leave both times empty';
    else if (quietFrom && quietFrom === quietTo) errors.quietTo = 'Quiet hours must end at a different time from when they start';
  }
  if (form.doNotContact !== 'yes' && form.doNotContact !== 'no') errors.doNotContact = 'Select yes if the victim must not be contacted by message';
  const reason = text(form.doNotContactReason);
  if (form.doNotContact === 'yes' && !reason) errors.doNotContactReason = 'Enter why the victim must not be contacted';
  else if (reason.length > REASON_MAX_LENGTH) errors.doNotContactReason = `The reason must be ${REASON_MAX_LENGTH} characters or fewer`;
  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      channels: ordered,
      safeTimes: safeTimes || null,
      voicemailSafe: yesNo(form.voicemailSafe),
      homeVisitSafe: yesNo(form.homeVisitSafe),
      safeAddress: stored.safeAddress ?? null,
      codeWord: codeWord || null,
      doNotContact: form.doNotContact === 'yes',
      doNotContactReason: form.doNotContact === 'yes' ? reason : null,
      quietHours: quietFrom && quietTo ? { from: quietFrom, to: quietTo } : null,
    },
  };
}

/** A stored profile in full, with the defaults for fields older rows lack. */
export function storedSafeContact(stored: Record<string, unknown> | null | undefined): SafeContact {
  const profile = notificationProfile(stored);
  const str = (value: unknown) => (typeof value === 'string' && value ? value : null);
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : null);
  return {
    channels: profile.channels.filter((channel): channel is SafeChannel => (SAFE_CHANNELS as readonly string[]).includes(channel)),
    safeTimes: str(stored?.safeTimes),
    voicemailSafe: flag(stored?.voicemailSafe),
    homeVisitSafe: flag(stored?.homeVisitSafe),
    safeAddress: str(stored?.safeAddress),
    codeWord: str(stored?.codeWord),
    doNotContact: flag(stored?.doNotContact),
    doNotContactReason: str(stored?.doNotContactReason),
    quietHours: profile.quietHours,
  };
}
