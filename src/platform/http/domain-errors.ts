// The errors services throw. They say what went wrong in the domain's terms; the HTTP layer turns them into a page or
// problem+json, so a service never knows whether a person or a machine asked.

/** The record does not exist, or this user may not know it exists: both look the same from outside. */
export class NotFound extends Error {
  constructor(what = 'record') {
    super(`${what} not found`);
    this.name = 'NotFound';
  }
}

/** The user is known but their role does not allow this. */
export class Forbidden extends Error {
  constructor(reason = 'not allowed') {
    super(reason);
    this.name = 'Forbidden';
  }
}

/** The request cannot be carried out as it stands; `fields` maps a field name to a message fit to show the user. */
export class Invalid extends Error {
  readonly fields: Record<string, string>;
  constructor(fields: Record<string, string>, message = 'The details given are not valid') {
    super(message);
    this.name = 'Invalid';
    this.fields = fields;
  }
}

/** The request clashes with the state of the record (already done, already exists, changed meanwhile). */
export class Conflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Conflict';
  }
}
