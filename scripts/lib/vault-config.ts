/**
 * A vault configuration FILE (JSON), validated off-chain before anything is sent: a zod schema for
 * its shape, then every rule the contracts enforce on a new vault (MembershipRules.checkCounts,
 * ConfigRules.checkTimings / _timingBounds, ReserveVault._initPolicy), mirrored exactly so that a
 * file that parses deploys, and a file that does not says which field broke which rule.
 *
 * Shape: `{ signers, threshold, guardians, guardianThreshold, councilThreshold?, delays: {...},
 * policy: { outflowPeriod, outflowLimits: [{ asset, limit }], allowlist, allowlistEnabled } }`.
 * Durations are seconds or strings like "30m", "48h", "2d", "1w". Keys starting with "$"
 * ("$comment", "$why") are ignored anywhere, so a file can explain its numbers; any other unknown
 * key is an error (a misspelt delay must not silently fall back to a default).
 */
import { readFile } from "node:fs/promises";

import { getAddress, ZeroAddress } from "ethers";
import { z } from "zod";

import {
  BOUNDS,
  councilBounds,
  initialConfig,
  TIMING_KEYS,
  UNLIMITED,
  type InitialConfig,
  type Timings,
} from "./config.js";
import { compareAddresses } from "./signatures.js";

// =============================================================================================
// Durations
// =============================================================================================

const UNIT_SECONDS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/** Seconds of a duration: a whole number of seconds, or "<n><unit>" with unit s, m, h, d or w. */
export function parseDuration(value: number | string): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  const match = /^(\d+)\s*([smhdw]?)$/.exec(value.trim());
  if (!match) return undefined;
  return BigInt(match[1]!) * UNIT_SECONDS[match[2] || "s"]!;
}

/** `259200 s (3 days)`: seconds, and in words when longer than a minute. */
export function formatDuration(seconds: bigint): string {
  if (seconds < 60n) return `${seconds} s`;
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["day", 86_400n],
    ["h", 3_600n],
    ["min", 60n],
    ["s", 1n],
  ] as const) {
    const n = rest / size;
    rest %= size;
    if (n > 0n) parts.push(unit === "day" ? `${n} ${n === 1n ? "day" : "days"}` : `${n} ${unit}`);
  }
  return `${seconds} s (${parts.join(" ")})`;
}

// =============================================================================================
// Field schemas
// =============================================================================================

/** A zod error option: "is required" when the key is missing, `message` otherwise. */
function expected(message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) };
}

/** Why `s` is not an acceptable address, or undefined. All-lowercase (or all-uppercase) is accepted. */
export function addressProblem(s: string): string | undefined {
  if (!/^0x[0-9a-fA-F]{40}$/.test(s)) return "not an address (expected 0x followed by 40 hex digits)";
  const hex = s.slice(2);
  const mixed = /[a-f]/.test(hex) && /[A-F]/.test(hex);
  const checksummed = getAddress(s.toLowerCase());
  if (mixed && s !== checksummed) return `bad checksum (expected ${checksummed})`;
  return undefined;
}

const address = z
  .string(expected("must be an address string"))
  .superRefine((s, ctx) => {
    const problem = addressProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((s) => getAddress(s.toLowerCase()));

const asset = z
  .union([z.literal("ETH"), address], expected('must be an address or "ETH"'))
  .transform((a) => (a === "ETH" ? ZeroAddress : a));

const duration = z
  .union([z.number(), z.string()], expected('must be a number of seconds or a string like "30m", "48h", "2d"'))
  .superRefine((v, ctx) => {
    if (parseDuration(v) === undefined) {
      ctx.addIssue({
        code: "custom",
        message: 'must be a whole number of seconds or a string like "30m", "48h", "2d", "1w" (units s, m, h, d, w)',
      });
    }
  })
  .transform((v) => parseDuration(v)!);

const count = z.number(expected("must be a whole number")).int({ error: "must be a whole number" });

const limit = z
  .string(expected('must be a decimal string in base units, or "unlimited"'))
  .superRefine((s, ctx) => {
    if (s === "unlimited") return;
    if (!/^\d+$/.test(s)) {
      ctx.addIssue({
        code: "custom",
        message: 'must be a decimal string in base units (e.g. "500000000000000000000"), or "unlimited"',
      });
    } else if (BigInt(s) > UNLIMITED) {
      ctx.addIssue({
        code: "custom",
        message: `must be <= UNLIMITED = 2^96 - 1 = ${UNLIMITED} (write "unlimited" for no limit)`,
      });
    }
  })
  .transform((s) => (s === "unlimited" ? UNLIMITED : BigInt(s)));

const delays = z.strictObject(
  Object.fromEntries(TIMING_KEYS.map((k) => [k, duration])) as Record<(typeof TIMING_KEYS)[number], typeof duration>,
  expected("must be an object of delays"),
);

const policy = z.strictObject(
  {
    outflowPeriod: duration,
    outflowLimits: z.array(
      z.strictObject({ asset, limit }, expected('must be an object { "asset", "limit" }')),
      expected("must be an array"),
    ),
    allowlist: z.array(address, expected("must be an array of addresses")),
    allowlistEnabled: z.boolean(expected("must be true or false")),
  },
  expected("must be an object"),
);

/** Drops every key starting with "$" (comments), at any depth. */
function stripComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripComments);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith("$"))
        .map(([k, v]) => [k, stripComments(v)]),
    );
  }
  return value;
}

const fileShape = z.strictObject(
  {
    signers: z.array(address, expected("must be an array of addresses")),
    threshold: count,
    guardians: z.array(address, expected("must be an array of addresses")),
    guardianThreshold: count,
    councilThreshold: count.optional(),
    delays,
    policy,
  },
  expected("must be a JSON object"),
);

type ParsedFile = z.output<typeof fileShape>;

// =============================================================================================
// Cross-field rules (mirrors of the contracts)
// =============================================================================================

type Ctx = z.RefinementCtx;

function problem(ctx: Ctx, path: (string | number)[], value: string, message: string): void {
  ctx.addIssue({ code: "custom", path, message, params: { value } });
}

/** Zero, duplicates within `list`; `other` (if given) must not contain any entry. */
function checkSet(ctx: Ctx, name: string, list: string[], zeroRule: string, other?: { name: string; list: string[] }) {
  const seen = new Map<string, number>();
  list.forEach((a, i) => {
    if (a === ZeroAddress) problem(ctx, [name, i], a, zeroRule);
    const first = seen.get(a);
    if (first !== undefined) problem(ctx, [name, i], a, `duplicate of ${name}[${first}]: entries must be distinct`);
    else seen.set(a, i);
    const j = other?.list.indexOf(a) ?? -1;
    if (other && j >= 0 && a !== ZeroAddress) {
      problem(
        ctx,
        [name, i],
        a,
        `is also ${other.name}[${j}]: signers and guardians must be disjoint (a key holds one role)`,
      );
    }
  });
}

/** MembershipRules.checkCounts (council threshold defaulted to its smallest valid value, as initialConfig does). */
function checkMembership(ctx: Ctx, c: ParsedFile): void {
  checkSet(ctx, "signers", c.signers, "must not be the zero address");
  checkSet(ctx, "guardians", c.guardians, "must not be the zero address", { name: "signers", list: c.signers });
  const [n, m, g, k] = [c.signers.length, c.threshold, c.guardians.length, c.guardianThreshold];
  let valid = true;
  if (n < 1 || n > BOUNDS.maxSigners) {
    problem(ctx, ["signers"], `${n} addresses`, `must have 1 to ${BOUNDS.maxSigners} signers (MAX_SIGNERS)`);
    valid = false;
  }
  if (m < 1 || m > n) {
    problem(ctx, ["threshold"], String(m), `must be between 1 and the number of signers (${n})`);
    valid = false;
  }
  if (g < 1 || g > BOUNDS.maxGuardians) {
    problem(ctx, ["guardians"], `${g} addresses`, `must have 1 to ${BOUNDS.maxGuardians} guardians (MAX_GUARDIANS)`);
    valid = false;
  }
  if (k < 1 || k > g) {
    problem(ctx, ["guardianThreshold"], String(k), `must be between 1 and the number of guardians (${g})`);
    valid = false;
  }
  if (!valid) return; // the contract stops at the first broken count; council bounds mean nothing then
  const bounds = councilBounds(n, m, g, k);
  const quorum = Math.max(m, k);
  if (c.councilThreshold === undefined) {
    if (bounds.min > bounds.max) {
      problem(
        ctx,
        ["councilThreshold"],
        `(default ${bounds.min})`,
        `no valid council threshold exists for ${n} signers (threshold ${m}) and ${g} guardians (threshold ${k}): ` +
          `it must be >= ${bounds.min} (2C > signers + guardians and C > max(threshold, guardianThreshold)) ` +
          `but <= signers + guardians - max(threshold, guardianThreshold) = ${bounds.max}`,
      );
    }
    return;
  }
  const cc = c.councilThreshold;
  const v = String(cc);
  if (2 * cc <= n + g) {
    problem(
      ctx,
      ["councilThreshold"],
      v,
      `must be a strict majority of all ${n + g} keys (2C > signers + guardians), so >= ${Math.floor((n + g) / 2) + 1}`,
    );
  }
  if (cc <= quorum) {
    problem(
      ctx,
      ["councilThreshold"],
      v,
      `must be > max(threshold, guardianThreshold) = ${quorum} (out of reach of either quorum alone)`,
    );
  }
  if (cc > bounds.max) {
    problem(
      ctx,
      ["councilThreshold"],
      v,
      `must be <= signers + guardians - max(threshold, guardianThreshold) = ${n + g} - ${quorum} = ${bounds.max} (reachable by the keys outside either quorum)`,
    );
  }
}

interface Bound {
  value: bigint;
  text: string;
}

const named = (text: string, value: bigint): Bound => ({ value, text });
const minOf = (a: Bound, b: Bound): Bound => ({
  value: a.value < b.value ? a.value : b.value,
  text: `min(${a.text}, ${b.text})`,
});
const maxOf = (a: Bound, b: Bound): Bound => ({
  value: a.value > b.value ? a.value : b.value,
  text: `max(${a.text}, ${b.text})`,
});

/** ConfigRules._timingBounds, with the expression of each bound for the message. */
export function timingBounds(key: keyof Timings, t: Timings): { min: Bound; max: Bound } {
  const f = (k: keyof Timings) => named(k, t[k]);
  const MIN_DELAY = named("MIN_DELAY", BOUNDS.minDelay);
  const MAX_DELAY = named("MAX_DELAY", BOUNDS.maxDelay);
  switch (key) {
    case "withdrawalDelay":
      return { min: MIN_DELAY, max: minOf(f("configDelay"), f("longDelay")) };
    case "configDelay":
      return { min: f("withdrawalDelay"), max: minOf(f("recoveryDelay"), f("councilDelay")) };
    case "executionWindow":
      return {
        min: maxOf(named("MIN_EXECUTION_WINDOW", BOUNDS.minExecutionWindow), named("maxFreeze + 1", t.maxFreeze + 1n)),
        max: named("MAX_EXECUTION_WINDOW", BOUNDS.maxExecutionWindow),
      };
    case "longDelay":
      return { min: f("withdrawalDelay"), max: minOf(MAX_DELAY, f("vetoQuietPeriod")) };
    case "coolOff":
      return { min: MIN_DELAY, max: MAX_DELAY };
    case "recoveryDelay":
    case "councilDelay":
      return { min: f("configDelay"), max: MAX_DELAY };
    case "maxFreeze":
      return {
        min: named("MIN_FREEZE", BOUNDS.minFreeze),
        max: minOf(f("freezeCooldown"), named("executionWindow - 1", t.executionWindow - 1n)),
      };
    case "freezeCooldown":
      return { min: f("maxFreeze"), max: MAX_DELAY };
    case "vetoQuietPeriod":
      return { min: f("longDelay"), max: MAX_DELAY };
  }
}

/** ConfigRules.checkTimings: every delay within the bounds the others give it. */
function checkTimings(ctx: Ctx, t: Timings): void {
  for (const key of TIMING_KEYS) {
    const { min, max } = timingBounds(key, t);
    const value = t[key];
    if (value < min.value) {
      problem(ctx, ["delays", key], formatDuration(value), `must be >= ${min.text} = ${formatDuration(min.value)}`);
    }
    if (value > max.value) {
      problem(ctx, ["delays", key], formatDuration(value), `must be <= ${max.text} = ${formatDuration(max.value)}`);
    }
  }
}

/** ReserveVault._initPolicy (plus: one limit per asset). */
function checkPolicy(ctx: Ctx, p: ParsedFile["policy"]): void {
  if (p.outflowPeriod < BOUNDS.minOutflowPeriod || p.outflowPeriod > BOUNDS.maxOutflowPeriod) {
    problem(
      ctx,
      ["policy", "outflowPeriod"],
      formatDuration(p.outflowPeriod),
      `must be between MIN_OUTFLOW_PERIOD = ${formatDuration(BOUNDS.minOutflowPeriod)} and MAX_OUTFLOW_PERIOD = ${formatDuration(BOUNDS.maxOutflowPeriod)}`,
    );
  }
  // Not a contract rule (the constructor applies the entries in order: the last one wins), but a
  // file that gives an asset two limits is a mistake.
  const assets = new Map<string, number>();
  p.outflowLimits.forEach((l, i) => {
    const first = assets.get(l.asset);
    if (first !== undefined) {
      problem(
        ctx,
        ["policy", "outflowLimits", i, "asset"],
        l.asset === ZeroAddress ? "ETH" : l.asset,
        `duplicate of policy.outflowLimits[${first}].asset: one limit per asset`,
      );
    } else assets.set(l.asset, i);
  });
  if (p.allowlist.length > BOUNDS.maxAllowlist) {
    problem(
      ctx,
      ["policy", "allowlist"],
      `${p.allowlist.length} addresses`,
      `must have at most ${BOUNDS.maxAllowlist} entries (MAX_ALLOWLIST)`,
    );
  }
  const seen = new Map<string, number>();
  p.allowlist.forEach((a, i) => {
    if (a === ZeroAddress) problem(ctx, ["policy", "allowlist", i], a, "must not be the zero address");
    const first = seen.get(a);
    if (first !== undefined)
      problem(ctx, ["policy", "allowlist", i], a, `duplicate of policy.allowlist[${first}]: entries must be distinct`);
    else seen.set(a, i);
  });
}

/** The schema of a vault configuration file: shape, then every contract rule. */
export const vaultConfigSchema = z.preprocess(
  stripComments,
  fileShape.superRefine((c, ctx) => {
    checkMembership(ctx, c);
    checkTimings(ctx, c.delays);
    checkPolicy(ctx, c.policy);
  }),
);

/** The JSON a configuration file holds (before parsing: durations may be strings). */
export type VaultConfigFile = z.input<typeof fileShape>;

// =============================================================================================
// Errors and entry points
// =============================================================================================

/** An invalid configuration file: `problems` holds one `field: value — rule` line per problem. */
export class VaultConfigError extends Error {
  override readonly name = "VaultConfigError";
  constructor(
    readonly problems: string[],
    source?: string,
  ) {
    super(
      `invalid vault configuration${source ? ` ${source}` : ""} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.join("\n"),
    );
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out || "(file)";
}

function valueText(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "string" || typeof value === "number" || typeof value === "bigint") return String(value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === "unrecognized_keys") {
    return issue.keys
      .map(
        (k) =>
          `${pathText([...issue.path, k])}: ${valueText(at(input, [...issue.path, k]))} — unknown key (comments must start with "$")`,
      )
      .join("\n");
  }
  const given = issue.code === "custom" ? (issue.params as { value?: string } | undefined)?.value : undefined;
  return `${pathText(issue.path)}: ${given ?? valueText(at(input, issue.path))} — ${issue.message}`;
}

/**
 * A vault's initial configuration from the parsed JSON of a configuration file; throws a
 * VaultConfigError listing every problem. Addresses come back checksummed and sorted, the council
 * threshold defaulted to its smallest valid value (see `initialConfig`).
 */
export function parseVaultConfig(json: unknown, source?: string): InitialConfig {
  const result = vaultConfigSchema.safeParse(json);
  if (!result.success) {
    const input = stripComments(json);
    throw new VaultConfigError(
      result.error.issues.flatMap((i) => describe(i, input).split("\n")),
      source,
    );
  }
  const c = result.data;
  return initialConfig({
    signers: c.signers,
    threshold: c.threshold,
    guardians: c.guardians,
    guardianThreshold: c.guardianThreshold,
    ...(c.councilThreshold === undefined ? {} : { councilThreshold: c.councilThreshold }),
    ...c.delays,
    outflowPeriod: c.policy.outflowPeriod,
    outflowLimits: c.policy.outflowLimits,
    allowlist: [...c.policy.allowlist].sort(compareAddresses),
    allowlistEnabled: c.policy.allowlistEnabled,
  });
}

/** Reads and validates a configuration file; a file that cannot be read or is not JSON also throws a VaultConfigError. */
export async function loadVaultConfig(path: string): Promise<InitialConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new VaultConfigError([`(file): ${path} — cannot be read: ${(error as Error).message}`], path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new VaultConfigError([`(file): ${path} — not valid JSON: ${(error as Error).message}`], path);
  }
  return parseVaultConfig(json, path);
}
