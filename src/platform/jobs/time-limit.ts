// A time limit on a promise, for health checks that must answer quickly even when the database does not.

/** Rejects when work takes longer than ms. The work itself carries on; its late result is ignored. */
export async function withTimeLimit<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms`)), ms);
  });
  // A late rejection from work must not surface as an unhandled rejection once the limit has answered.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
