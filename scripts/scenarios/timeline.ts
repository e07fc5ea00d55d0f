/**
 * A readable timeline for scenarios: each entry is stamped with the time elapsed on the chain
 * since the scenario started (day/hour), the actor, what it did, and the result.
 */
export interface TimelineEntry {
  elapsed: bigint;
  actor: string;
  action: string;
  result: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];

  constructor(
    readonly title: string,
    readonly start: bigint,
    private readonly print: (line: string) => void = (line) => console.log(line),
  ) {
    this.print(`\n${title}\n${"=".repeat(title.length)}`);
  }

  /** Records (and prints) one step at chain time `now`. */
  record(now: bigint, actor: string, action: string, result: string): void {
    const entry = { elapsed: now - this.start, actor, action, result };
    this.entries.push(entry);
    this.print(`${formatElapsed(entry.elapsed).padEnd(15)} ${actor.padEnd(17)} ${action.padEnd(44)} ${result}`);
  }

  /** Prints the outcome line. */
  outcome(text: string): void {
    this.print(`Outcome: ${text}`);
  }
}

/** "day 1 03:00:00" style: days since the start, then hh:mm:ss. */
export function formatElapsed(seconds: bigint): string {
  const pad = (n: bigint) => n.toString().padStart(2, "0");
  const day = seconds / 86_400n;
  return `day ${day} ${pad((seconds % 86_400n) / 3_600n)}:${pad((seconds % 3_600n) / 60n)}:${pad(seconds % 60n)}`;
}
