// Pure rules for the police view and the stale-case nudge: the agreed update cadence for a case, whether a case is
// stale and in which cadence period, the list's paging, and the safe-contact summary an officer must read before
// making contact. No I/O.
// Pure rules (no I/O): the area's Code clock settings, and how a stored safe-contact profile is read.
import { settingsFor } from '../obligations/rules.ts';
import { safeContactView, smsForbidden } from '../cases/rules.ts';
// A pure rule (no I/O): the days between updates that the victim's own chosen frequency sets.
import { cadenceDaysWithPreference } from '../portal-preferences/rules.ts';

export const MY_VICTIMS_PAGE_SIZE = 25;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Cadence = { standard: number; enhanced: number };

/** The area's agreed days between updates, from its stored Code clock settings (defaults where it has none). */
export const cadenceFor = (storedSettings: unknown): Cadence => settingsFor(storedSettings).updateCadenceDays;

/** The days between updates for one case: the victim's chosen frequency where it sets one, else the area's cadence. */
export const cadenceDaysFor = (cadence: Cadence, enhanced: boolean, updateFrequency: string | null = null): number =>
  cadenceDaysWithPreference(enhanced ? cadence.enhanced : cadence.standard, updateFrequency);

/**
 * How many whole cadence periods have passed since the victim's last update (or since the case opened, if they have
 * had none): 0 while the case is in time, 1 once a period has gone by without an update, 2 after two, and so on.
 * The nudge raises one task per case per period, so an unanswered case is raised again each period, not each run.
 */
export function stalePeriod(lastUpdateAt: Date, now: Date, cadenceDays: number): number {
  if (!(cadenceDays > 0)) return 0;
  return Math.max(0, Math.floor((now.getTime() - lastUpdateAt.getTime()) / (cadenceDays * DAY_MS)));
}

export const needsUpdate = (lastUpdateAt: Date, now: Date, cadenceDays: number): boolean => stalePeriod(lastUpdateAt, now, cadenceDays) >= 1;

/**
 * The task's idempotency key for one case in one period since one last update: the repository computes the same key
 * in SQL to skip cases already raised, so the two must agree (police-view tests check it).
 */
export const staleTaskKey = (caseId: string, lastUpdateAt: Date, period: number): string =>
  `stale_case_update:${caseId}:${Math.floor(lastUpdateAt.getTime() / 1000)}:${period}`;

export const staleTaskTitle = (cadenceDays: number): string => `No update to the victim in the agreed ${cadenceDays} days: ask the officer in charge to give one`;

/** The page asked for (1 when missing or not a whole number), and the rows it skips. */
export function parsePage(raw: unknown): { page: number; offset: number } {
  const page = typeof raw === 'string' && /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1;
  return { page, offset: (page - 1) * MY_VICTIMS_PAGE_SIZE };
}

export const pageCount = (total: number): number => Math.max(1, Math.ceil(total / MY_VICTIMS_PAGE_SIZE));

const CHANNEL_NAMES: Record<string, string> = { email: 'Email', sms: 'Text message', phone: 'Phone', letter: 'Letter' };

/**
 * How the officer may contact the victim, in words: the safe channels, those that are not safe, when to call, and
 * whether voicemail, a home visit, a safe address or a code word apply. The safe address and code word themselves stay
 * with the hub: the officer learns that they exist.
 */
export function safeContactSummary(stored: Record<string, unknown> | null | undefined) {
  const view = safeContactView(stored);
  const yesNo = (value: boolean | null) => (value === null ? 'Not known' : value ? 'Yes' : 'No');
  return {
    known: view.channels.length > 0,
    doNotText: smsForbidden(view),
    channels: view.channels.map((channel) => CHANNEL_NAMES[channel] ?? channel).join(', '),
    notSafe: view.channels.length ? Object.keys(CHANNEL_NAMES).filter((channel) => !view.channels.includes(channel)).map((channel) => CHANNEL_NAMES[channel]).join(', ') : '',
    safeTimes: typeof stored?.safeTimes === 'string' && stored.safeTimes ? stored.safeTimes : null,
    voicemail: yesNo(view.voicemailSafe),
    homeVisit: yesNo(view.homeVisitSafe),
    hasSafeAddress: typeof stored?.safeAddress === 'string' && stored.safeAddress.length > 0,
    hasCodeWord: typeof stored?.codeWord === 'string' && stored.codeWord.length > 0,
  };
}
