// "How these figures are worked out": the short method note each dashboard shows in a details component.
import type { DashboardKey } from './dashboard-rules.ts';

const SUPPRESSION = 'Any count from 1 to 4 is hidden and shown as [c]. So that a hidden count cannot be worked out by subtracting the others from a total, at least one more figure in the same row or column is hidden too. A share or an average is hidden when it is worked out from fewer than 5, or from a hidden count.';
const DAYS = 'Days are calendar days in the UK (London time). The range includes both the first and the last day.';

export const METHOD_NOTES: Record<DashboardKey | 'overview', string[]> = {
  overview: [
    'Each figure comes from the dashboard it links to, over the same range of days.',
    DAYS,
    SUPPRESSION,
  ],
  demand: [
    'A case is counted on the day it was opened, once, whatever happened to it after.',
    'Enhanced rights means an entitlement decision was in force for the case. A repeat victim is a person who already had an earlier case.',
    'The offence group is the Home Office group of the crime’s offence. “No crime reported” covers self-referrals with no police report.',
    DAYS,
    SUPPRESSION,
  ],
  compliance: [
    'Each Victims’ Code duty is counted on the day it fell due, against the agency that owns it.',
    'Due is every duty that fell due in the range. “Met late” was met after its deadline, “Overdue” is still not met and past its deadline, “Not met” was recorded as not met, and “Not yet due” has a deadline still to come.',
    'The share met on time is of the duties whose deadline has passed: those due less those not yet due.',
    DAYS,
    SUPPRESSION,
  ],
  provision: [
    'A referral is counted on the day it was sent to the provider, and shows what has happened to it since.',
    'Completed means the support ended with the victim engaged to the end. The average wait runs from the day the referral was sent to the day support began, over the referrals whose support has begun; it is hidden when fewer than 5 have begun.',
    'Open places and the declared wait are what the provider last recorded in the service directory, today, not over the range. A gap is flagged where at least 5 referrals and a fifth of those sent were turned away for no capacity, where the average wait is longer than the declared wait, or where the service declares no open places.',
    DAYS,
    SUPPRESSION,
  ],
  voice: [
    'Ratings are victims’ answers after key moments of their case, from 5 (very satisfied) to 1 (very dissatisfied), counted on the day given.',
    'Themes are found in victims’ comments; one comment may mention more than one theme. The words themselves are never shown here.',
    'Complaints are counted on the day received, against the organisation complained about. The Code asks for an answer within 10 working days; the average days to answer are calendar days, over the complaints answered.',
    DAYS,
    SUPPRESSION,
  ],
  equality: [
    'Each breakdown counts cases opened, by what the victim told us about themselves. Age band is the age on the day the case opened.',
    '“Not recorded” means the question was not asked; “Prefer not to say” means the victim chose not to answer. Ethnic groups are the five high-level groups of the 2021 census.',
    'The four breakdowns are shown one at a time and never crossed with each other, so that small groups stay hidden.',
    DAYS,
    SUPPRESSION,
  ],
};
