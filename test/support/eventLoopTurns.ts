/**
 * Runs `work` and counts the turns the event loop took meanwhile: a read done in pages with a yield between
 * them lets it turn, one synchronous read (better-sqlite3 answers within one turn) does not.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const count = () => {
    if (!running) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  try {
    const value = await work();
    return { value, turns };
  } finally {
    running = false;
  }
}
