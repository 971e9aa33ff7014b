// The quarterly Victims' Code compliance report: the Code's 12 rights in order, the duties Haven measures under each,
// by owning agency, then demand, complaints and satisfaction, all suppressed; and the same figures as CSV rows.
// Pure: aggregate counts in, what may be shown out.
import { DUTIES, DUTY_DEFINITIONS, OWNER_KIND_NAMES, type Duty } from '../obligations/rules.ts';
import { SOURCE_NAMES, lastCompleteQuarter, quarterRange, type Quarter } from '../insights/rules.ts';
import { suppressList, suppressTable, suppressedShare, type Shown } from '../insights/suppression.ts';
import type { CalendarDate } from '../../platform/time/calendar-date.ts';

/** The 2020 Code's rights, in its own words and order. */
export const CODE_RIGHTS: readonly { number: number; title: string }[] = [
  { number: 1, title: 'To be able to understand and to be understood' },
  { number: 2, title: 'To have the details of the crime recorded without unjustified delay' },
  { number: 3, title: 'To be provided with information when reporting the crime' },
  { number: 4, title: 'To be referred to services that support victims and have services and support tailored to your needs' },
  { number: 5, title: 'To be provided with information about compensation' },
  { number: 6, title: 'To be provided with information about the investigation and prosecution' },
  { number: 7, title: 'To make a Victim Personal Statement' },
  { number: 8, title: 'To be given information about the trial, trial process and your role as a witness' },
  { number: 9, title: 'To be given information about the outcome of the case and any appeals' },
  { number: 10, title: 'To be paid expenses and have property returned' },
  { number: 11, title: 'To be given information about the offender following a conviction' },
  { number: 12, title: 'To make a complaint about your rights not being met' },
];

/** The number of the right a duty serves, read from the Code clock's own definition ('Right 6' is 6). */
export function rightOf(duty: Duty): number {
  return Number(/\d+/.exec(DUTY_DEFINITIONS[duty].right)?.[0]);
}

/** The report's quarter choices: the last `count` complete quarters, most recent first. */
export function recentQuarters(today: CalendarDate, count = 8): Quarter[] {
  const quarters: Quarter[] = [lastCompleteQuarter(today)];
  while (quarters.length < count) {
    const previous = quarters[quarters.length - 1] as Quarter;
    quarters.push(lastCompleteQuarter(quarterRange(previous).from));
  }
  return quarters;
}

/** "July to September 2026" for '2026-Q3'. */
export function quarterName(quarter: Quarter): string {
  const months = ['January to March', 'April to June', 'July to September', 'October to December'];
  return `${months[Number(quarter.slice(-1)) - 1]} ${quarter.slice(0, 4)}`;
}

/** Where a duty stood, in the order the report shows the columns. */
export const DUTY_MEASURES = ['metOnTime', 'metLate', 'overdue', 'breached', 'open'] as const;
export type DutyMeasure = (typeof DUTY_MEASURES)[number];
export const DUTY_MEASURE_NAMES: Record<DutyMeasure | 'due' | 'share', string> = {
  due: 'Due in the quarter',
  metOnTime: 'Met on time',
  metLate: 'Met late',
  overdue: 'Overdue',
  breached: 'Breached',
  open: 'Not yet due',
  share: 'Share met on time',
};

export type DutyCounts = { duty: string; ownerKind: string; ownerKey: string } & Record<DutyMeasure, number>;
export type AgencyFigures = { agency: string; due: Shown; share: number | null; shareHidden: boolean } & Record<DutyMeasure, Shown>;
export type DutyFigures = { duty: Duty; title: string; agencies: AgencyFigures[]; all: AgencyFigures | null };
export type RightFigures = { number: number; title: string; duties: DutyFigures[] };

const UNKNOWN_ORGANISATION = 'Organisation not recorded';

/** The name an agency is shown by: the organisation's, or its kind's where Haven does not know the organisation. */
export function agencyName(row: { ownerKind: string; ownerKey: string }, organisationNames: ReadonlyMap<string, string>): string {
  const named = organisationNames.get(row.ownerKey);
  if (named) return named;
  if (row.ownerKind === 'named_organisation') return UNKNOWN_ORGANISATION;
  return OWNER_KIND_NAMES[row.ownerKind as keyof typeof OWNER_KIND_NAMES] ?? row.ownerKind;
}

function figuresOf(agency: string, cells: Shown[], due: Shown): AgencyFigures {
  const metOnTime = cells[0] as Shown;
  const share = suppressedShare(metOnTime, due);
  return {
    agency,
    due,
    share,
    // A share left out because a count is hidden, as against one with nothing to divide by.
    shareHidden: share === null && (metOnTime.suppressed || due.suppressed),
    ...(Object.fromEntries(DUTY_MEASURES.map((measure, index) => [measure, cells[index] as Shown])) as Record<DutyMeasure, Shown>),
  };
}

/** One duty's table: agencies by measure, each row's total the number due, suppressed as one table. */
export function dutyFigures(duty: Duty, rows: readonly DutyCounts[], organisationNames: ReadonlyMap<string, string>): DutyFigures {
  // Two keys can share a name (an organisation renamed to match another); they are still two agencies.
  const agencies = rows
    .filter((row) => row.duty === duty)
    .map((row) => ({ name: agencyName(row, organisationNames), counts: DUTY_MEASURES.map((measure) => row[measure]) }))
    .filter((agency) => agency.counts.some((count) => count > 0))
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  if (!agencies.length) return { duty, title: DUTY_DEFINITIONS[duty].title, agencies: [], all: null };
  const table = suppressTable(agencies.map((agency) => agency.counts));
  return {
    duty,
    title: DUTY_DEFINITIONS[duty].title,
    agencies: agencies.map((agency, index) => figuresOf(agency.name, table.cells[index] ?? [], table.rowTotals[index] as Shown)),
    all: figuresOf('All agencies', table.columnTotals, table.total),
  };
}

export type ReportInput = {
  duties: readonly DutyCounts[];
  organisationNames: ReadonlyMap<string, string>;
  casesBySource: readonly { source: string; cases: number }[];
  complaints: readonly { organisation: string; received: number; answeredInTime: number }[];
  ratings: readonly { rating: number; responses: number }[];
};

export type ComplianceReport = ReturnType<typeof complianceReport>;

/** The whole report for a quarter's aggregates. */
export function complianceReport(input: ReportInput) {
  const rights: RightFigures[] = CODE_RIGHTS.map((right) => ({
    ...right,
    duties: DUTIES.filter((duty) => rightOf(duty) === right.number).map((duty) => dutyFigures(duty, input.duties, input.organisationNames)),
  }));

  const sources = [...Object.keys(SOURCE_NAMES), ...input.casesBySource.map((row) => row.source).filter((source) => !(source in SOURCE_NAMES))];
  const uniqueSources = [...new Set(sources)];
  const sourceCounts = uniqueSources.map((source) => input.casesBySource.filter((row) => row.source === source).reduce((sum, row) => sum + row.cases, 0));
  const demandList = suppressList(sourceCounts);
  const demand = {
    rows: uniqueSources.map((source, index) => ({ source: SOURCE_NAMES[source] ?? source, cases: demandList.cells[index] as Shown })),
    total: demandList.total,
  };

  // Answered in time and not are the two parts of each organisation's complaints received: one table, so a hidden part
  // cannot be found from the received count.
  const organisations = [...input.complaints].filter((row) => row.received > 0).sort((a, b) => a.organisation.localeCompare(b.organisation, 'en-GB'));
  const complaintTable = suppressTable(organisations.map((row) => [row.answeredInTime, Math.max(0, row.received - row.answeredInTime)]));
  const complaintFigures = (organisation: string, cells: Shown[], received: Shown) => {
    const inTime = cells[0] as Shown;
    const share = suppressedShare(inTime, received);
    return { organisation, received, answeredInTime: inTime, share, shareHidden: share === null && (inTime.suppressed || received.suppressed) };
  };
  const complaints = {
    rows: organisations.map((row, index) => complaintFigures(row.organisation, complaintTable.cells[index] ?? [], complaintTable.rowTotals[index] as Shown)),
    all: organisations.length ? complaintFigures('All organisations', complaintTable.columnTotals, complaintTable.total) : null,
  };

  const satisfied = input.ratings.filter((row) => row.rating >= 4).reduce((sum, row) => sum + row.responses, 0);
  const others = input.ratings.filter((row) => row.rating < 4).reduce((sum, row) => sum + row.responses, 0);
  const ratingList = suppressList([satisfied, others]);
  const satisfiedShown = ratingList.cells[0] as Shown;
  const satisfactionShare = suppressedShare(satisfiedShown, ratingList.total);
  const satisfaction = {
    responses: ratingList.total,
    satisfied: satisfiedShown,
    share: satisfactionShare,
    shareHidden: satisfactionShare === null && (satisfiedShown.suppressed || ratingList.total.suppressed),
  };

  return { rights, demand, complaints, satisfaction };
}

/** A share as a percentage to one decimal place: 0.875 is "87.5". */
export const percent = (share: number): string => (Math.round(share * 1000) / 10).toFixed(1);

/** The method note: what each figure counts. The page shows it beside the figures and the CSV carries it. */
export const METHOD_NOTE: readonly { term: string; definition: string }[] = [
  { term: 'Due in the quarter', definition: 'Victims’ Code duties whose deadline fell on a day in the quarter (London time). Each duty is counted once, on the day its deadline fell, whenever it was met. A deadline is the end of the last working day the Code allows after the event that started the duty.' },
  { term: 'Met on time', definition: 'Duties met by their deadline, by the recorded action that meets them (for example a successful contact with the victim).' },
  { term: 'Met late', definition: 'Duties met after their deadline.' },
  { term: 'Overdue', definition: 'Duties not met and past their deadline when the figures were last brought up to date.' },
  { term: 'Breached', definition: 'Duties a member of staff recorded as not met, with the reason.' },
  { term: 'Not yet due', definition: 'Duties not met whose deadline had not passed when the figures were last brought up to date (only in a quarter not yet over).' },
  { term: 'Share met on time', definition: 'Met on time divided by due in the quarter.' },
  { term: 'Agency', definition: 'The organisation that owns the duty, or the kind of agency where Haven does not know the organisation.' },
  { term: 'Cases opened', definition: 'Cases opened in the quarter, counted on the day they were opened, by how the referral reached the gateway.' },
  { term: 'Complaints', definition: 'Complaints received in the quarter, counted on the day received, by the organisation complained about; answered within 10 working days of being received.' },
  { term: 'Satisfaction', definition: 'Ratings victims gave after key moments in the quarter, from 1 (very dissatisfied) to 5 (very satisfied); the share that rated 4 or 5.' },
  { term: '[c]', definition: 'Hidden to protect privacy: counts from 1 to 4 are hidden, and where a hidden count could be worked out from a total, the next smallest count (or the total) is hidden too. A share is not shown where either of its counts is hidden. A blank share means nothing was due.' },
];

export type CsvRow = [right: string, duty: string, agency: string, measure: string, value: string];

const cell = (shown: Shown): string => (shown.suppressed ? '[c]' : String(shown.value));
const shareCell = (share: number | null, hidden: boolean): string => (share !== null ? percent(share) : hidden ? '[c]' : '');

/** The report as rows of right, duty, agency, measure and value, in the page's order. */
export function csvRows(report: ComplianceReport): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const right of report.rights) {
    const rightName = `Right ${right.number}: ${right.title}`;
    if (!right.duties.length) rows.push([rightName, '', '', 'Not measured by Haven yet', '']);
    for (const duty of right.duties) {
      if (!duty.all) rows.push([rightName, duty.title, 'All agencies', DUTY_MEASURE_NAMES.due, '0']);
      for (const agency of duty.all ? [...duty.agencies, duty.all] : []) {
        rows.push([rightName, duty.title, agency.agency, DUTY_MEASURE_NAMES.due, cell(agency.due)]);
        for (const measure of DUTY_MEASURES) rows.push([rightName, duty.title, agency.agency, DUTY_MEASURE_NAMES[measure], cell(agency[measure])]);
        rows.push([rightName, duty.title, agency.agency, `${DUTY_MEASURE_NAMES.share} (%)`, shareCell(agency.share, agency.shareHidden)]);
      }
    }
  }
  for (const row of report.demand.rows) rows.push(['Demand', 'Cases opened', 'All', row.source, cell(row.cases)]);
  rows.push(['Demand', 'Cases opened', 'All', 'All sources', cell(report.demand.total)]);
  for (const row of report.complaints.all ? [...report.complaints.rows, report.complaints.all] : []) {
    rows.push(['Complaints', 'Complaints received', row.organisation, 'Received', cell(row.received)]);
    rows.push(['Complaints', 'Complaints received', row.organisation, 'Answered within 10 working days', cell(row.answeredInTime)]);
    rows.push(['Complaints', 'Complaints received', row.organisation, 'Share answered within 10 working days (%)', shareCell(row.share, row.shareHidden)]);
  }
  const satisfaction = report.satisfaction;
  rows.push(['Satisfaction', 'Ratings after key moments', 'All', 'Responses', cell(satisfaction.responses)]);
  rows.push(['Satisfaction', 'Ratings after key moments', 'All', 'Rated 4 or 5', cell(satisfaction.satisfied)]);
  rows.push(['Satisfaction', 'Ratings after key moments', 'All', 'Share rated 4 or 5 (%)', shareCell(satisfaction.share, satisfaction.shareHidden)]);
  return rows;
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break, and with a leading apostrophe where a spreadsheet
 * would otherwise run it as a formula (an organisation's name is typed by people).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The CSV file: a header row and the figures, then, after a blank line, a second section with the method note as rows
 * of term and definition, so the figures travel with what they mean.
 */
export function complianceCsv(report: ComplianceReport, quarter: Quarter): string {
  const { from, to } = quarterRange(quarter);
  const line = (row: readonly string[]) => row.map(csvField).join(',');
  const lines = [
    line(['Right', 'Duty', 'Agency', 'Measure', 'Value']),
    ...csvRows(report).map(line),
    '',
    line(['Method note', `Victims' Code compliance report ${quarter}, ${from} to ${to}`]),
    line(['Term', 'Definition']),
    ...METHOD_NOTE.map((note) => line([note.term, note.definition])),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
