// A court hearing as an iCalendar file (RFC 5545), for staff and (later) the victim to add to their own calendar. No I/O.
//
// Why a small writer here and not a library: one event with five properties needs only the RFC's text escaping
// (section 3.3.11), line folding at 75 octets (3.1) and UTC times (3.3.5); a dependency such as ical-generator would bring
// far more surface (time zones, alarms, attendees, its own date-library adapters) than this uses, and each property
// written here is checked in calendar.test.ts. Times are written in UTC ("...Z"), which every calendar reads without a
// VTIMEZONE block and shows in the reader's own time zone.
//
// Privacy: the file leaves Haven (mail, phones, shared calendars), so it names no one: the summary is "Court hearing"
// and the type of hearing, the location is the court's name, and the UID is built from the hearing's id alone.

export type CalendarHearing = { id: string; hearingAt: Date; courtName: string; hearingTypeName: string };

/** Courts rarely say how long a hearing lasts; an hour gives the calendar a block to show without claiming more. */
const ASSUMED_LENGTH_MS = 60 * 60 * 1000;
const PRODUCT_ID = '-//Haven//Court hearing//EN';
/** A fixed domain makes the UID globally unique (RFC 5545 3.8.4.7) and the same however often it is downloaded. */
const UID_DOMAIN = 'hearings.haven.invalid';

/** TEXT escaping: backslash first, then semicolon, comma and line breaks (RFC 5545 3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** 20261203T100000Z */
export function utcStamp(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Folds a content line so no line is longer than 75 octets: continuation lines start with one space (RFC 5545 3.1).
 * It counts UTF-8 bytes and never splits a character, so a court name with accents stays whole.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line may hold 75 octets; each continuation holds 74 after its leading space.
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** The .ics text for one hearing, with CRLF line ends; `now` is the DTSTAMP (when the file was made). */
export function hearingCalendar(hearing: CalendarHearing, now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:hearing-${hearing.id}@${UID_DOMAIN}`,
    `DTSTAMP:${utcStamp(now)}`,
    `DTSTART:${utcStamp(hearing.hearingAt)}`,
    `DTEND:${utcStamp(new Date(hearing.hearingAt.getTime() + ASSUMED_LENGTH_MS))}`,
    `SUMMARY:${escapeText(`Court hearing: ${hearing.hearingTypeName}`)}`,
    `LOCATION:${escapeText(hearing.courtName)}`,
    `DESCRIPTION:${escapeText('Check the time with witness care before you travel: hearings can move at short notice.')}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
