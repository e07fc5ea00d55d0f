/**
 * The vault configuration file (scripts/lib/vault-config.ts): the example files parse, every
 * contract rule is mirrored with a message naming the field, the value and the rule, a parsed file
 * deploys and reads back equal, and the contract rejects what the validator rejects.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import { network } from "hardhat";

import {
  compareAddresses,
  ConfigAction,
  DEFAULT_TIMINGS,
  decodeVaultError,
  deployReserveVault,
  HOUR,
  loadVaultConfig,
  parseVaultConfig,
  readConfiguration,
  readPolicy,
  TIMING_KEYS,
  timingBounds,
  UNLIMITED,
  VaultConfigError,
  type InitialConfig,
  type Timings,
} from "../../scripts/lib/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const { ethers } = await network.create();

const LOCAL = JSON.parse(await readFile("deploy/configs/local.json", "utf8")) as Json;
/** A valid file to break: the local example (durations as strings, "$why" comments included). */
const valid = (): Json => structuredClone(LOCAL);

/** The problems parseVaultConfig reports for `file` (fails if it parses). */
function problems(file: Json): string[] {
  try {
    parseVaultConfig(file);
  } catch (error) {
    expect(error).to.be.instanceOf(VaultConfigError);
    return (error as VaultConfigError).problems;
  }
  expect.fail("the configuration parsed, but it breaks a rule");
}

/** Asserts that one reported problem reads exactly `field: value — rule…` (rule as a prefix). */
function expectProblem(file: Json, field: string, value: string, rule: string): void {
  const found = problems(file);
  const line = `${field}: ${value} — ${rule}`;
  expect(
    found.some((p) => p.startsWith(line)),
    `expected a problem starting with\n  ${line}\ngot\n  ${found.join("\n  ")}`,
  ).to.equal(true);
}

const addr = (i: number) => getAddress(`0x${(i + 0x100).toString(16).padStart(40, "0")}`);
const SIGNER_1 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const GUARDIAN_0 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const HOT_WALLET = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";

describe("vault configuration file (scripts/lib/vault-config.ts)", function () {
  describe("example files", function () {
    it("deploy/configs/local.json parses: 2-of-3 signers, 2-of-3 guardians, council 4, 500 ETH/day", async function () {
      const c = await loadVaultConfig("deploy/configs/local.json");
      expect(c.signers).to.have.length(3);
      expect(c.threshold).to.equal(2);
      expect(c.guardians).to.have.length(3);
      expect(c.guardianThreshold).to.equal(2);
      expect(c.councilThreshold).to.equal(4);
      expect(c.withdrawalDelay).to.equal(HOUR);
      expect(c.executionWindow).to.equal(24n * HOUR);
      expect(c.outflowLimits).to.deep.equal([{ asset: ZeroAddress, limit: 500n * 10n ** 18n }]);
      expect(c.allowlist).to.deep.equal([HOT_WALLET]);
      expect(c.allowlistEnabled).to.equal(true);
      expect(c.signers).to.deep.equal([...c.signers].sort(compareAddresses));
    });

    it("deploy/configs/production.example.json parses: 3-of-5, 2-of-3, council 5, 48 h withdrawal delay", async function () {
      const c = await loadVaultConfig("deploy/configs/production.example.json");
      expect(c.signers).to.have.length(5);
      expect(c.threshold).to.equal(3);
      expect(c.guardians).to.have.length(3);
      expect(c.guardianThreshold).to.equal(2);
      expect(c.councilThreshold).to.equal(5);
      expect(c.withdrawalDelay).to.equal(48n * HOUR);
      expect(c.configDelay > c.withdrawalDelay).to.equal(true);
      expect(c.vetoQuietPeriod).to.equal(7n * 24n * HOUR);
    });

    it("every number in the example files has a $why explanation", async function () {
      for (const path of ["deploy/configs/local.json", "deploy/configs/production.example.json"]) {
        const f = JSON.parse(await readFile(path, "utf8")) as Json;
        for (const [obj, keys] of [
          [f, ["signers", "threshold", "guardians", "guardianThreshold"]],
          [f.delays, Object.keys(f.delays).filter((k) => !k.startsWith("$"))],
          [f.policy, Object.keys(f.policy).filter((k) => !k.startsWith("$"))],
        ] as [Json, string[]][]) {
          for (const k of keys) expect(obj.$why[k], `${path}: $why.${k}`).to.be.a("string");
        }
      }
    });
  });

  describe("shape", function () {
    it("keys starting with $ are ignored at any depth", function () {
      const f = valid();
      f.$anything = 1;
      f.policy.outflowLimits[0].$comment = "ETH";
      expect(() => parseVaultConfig(f)).not.to.throw();
    });

    it("unknown key: a misspelt key is rejected, and the missing one reported", function () {
      const f = valid();
      f.delays.withdrawlDelay = f.delays.withdrawalDelay;
      delete f.delays.withdrawalDelay;
      expectProblem(f, "delays.withdrawlDelay", "1h", "unknown key");
      expectProblem(f, "delays.withdrawalDelay", "(missing)", "is required");
    });

    it("durations: seconds or <n><unit>; anything else is rejected", function () {
      const f = valid();
      f.delays.configDelay = "2 days";
      expectProblem(f, "delays.configDelay", "2 days", "must be a whole number of seconds or a string like");
      const g = valid();
      g.delays.configDelay = 7200;
      g.delays.longDelay = "180m";
      const c = parseVaultConfig(g);
      expect([c.configDelay, c.longDelay]).to.deep.equal([7200n, 10800n]);
    });

    it("thresholds are whole numbers", function () {
      const f = valid();
      f.threshold = 1.5;
      expectProblem(f, "threshold", "1.5", "must be a whole number");
    });

    it("allowlistEnabled is a boolean", function () {
      const f = valid();
      f.policy.allowlistEnabled = "yes";
      expectProblem(f, "policy.allowlistEnabled", "yes", "must be true or false");
    });

    it("every problem is listed, one per line, in the error message", function () {
      const f = valid();
      f.threshold = 4;
      f.policy.outflowPeriod = "30m";
      f.signers[0] = "0x12";
      try {
        parseVaultConfig(f);
        expect.fail("parsed");
      } catch (error) {
        const lines = (error as Error).message.split("\n");
        expect(lines[0]).to.match(/invalid vault configuration/);
        expect(lines.slice(1)).to.deep.equal((error as VaultConfigError).problems);
        // Field-level problems (the address) are reported first; the cross-field rules run once the shape is right.
        expect(lines.some((l) => l.startsWith("signers[0]: 0x12 — not an address"))).to.equal(true);
      }
      f.signers[0] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
      expect(problems(f)).to.have.length(2);
    });

    it("a JSON syntax error names the file", async function () {
      const dir = await mkdtemp(join(tmpdir(), "vault-config-"));
      const path = join(dir, "broken.json");
      await writeFile(path, '{ "signers": [ }');
      try {
        await loadVaultConfig(path);
        expect.fail("loaded");
      } catch (error) {
        expect(error).to.be.instanceOf(VaultConfigError);
        expect((error as Error).message)
          .to.contain(path)
          .and.to.contain("not valid JSON");
      }
    });
  });

  describe("addresses", function () {
    it("address format: must be 0x and 40 hex digits", function () {
      const f = valid();
      f.signers[1] = "0x1234";
      expectProblem(f, "signers[1]", "0x1234", "not an address");
    });

    it("address checksum: a mixed-case address must match its EIP-55 checksum", function () {
      const f = valid();
      const bad = "0x3c44CdDdB6a900fa2b585dd299e03d12FA4293BC";
      f.signers[1] = bad;
      expectProblem(f, "signers[1]", bad, `bad checksum (expected ${SIGNER_1})`);
    });

    it("address checksum: all-lowercase addresses are accepted", function () {
      const f = valid();
      f.signers = f.signers.map((s: string) => s.toLowerCase());
      f.policy.allowlist = [HOT_WALLET.toLowerCase()];
      const c = parseVaultConfig(f);
      expect(c.signers).to.include(SIGNER_1);
      expect(c.allowlist).to.deep.equal([HOT_WALLET]);
    });

    it('asset: an address or "ETH"', function () {
      const f = valid();
      f.policy.outflowLimits[0].asset = "BTC";
      expectProblem(f, "policy.outflowLimits[0].asset", "BTC", 'must be an address or "ETH"');
    });
  });

  describe("membership rules (MembershipRules.checkCounts, the constructors)", function () {
    it("signers: non-zero", function () {
      const f = valid();
      f.signers[2] = ZeroAddress;
      expectProblem(f, "signers[2]", ZeroAddress, "must not be the zero address");
    });

    it("signers: distinct", function () {
      const f = valid();
      f.signers[2] = f.signers[0];
      expectProblem(f, "signers[2]", f.signers[0], "duplicate of signers[0]");
    });

    it("guardians: non-zero", function () {
      const f = valid();
      f.guardians[0] = ZeroAddress;
      expectProblem(f, "guardians[0]", ZeroAddress, "must not be the zero address");
    });

    it("guardians: distinct", function () {
      const f = valid();
      f.guardians[1] = f.guardians[0];
      expectProblem(f, "guardians[1]", GUARDIAN_0, "duplicate of guardians[0]");
    });

    it("signers and guardians disjoint: a signer cannot also be a guardian", function () {
      const f = valid();
      f.guardians[0] = SIGNER_1;
      expectProblem(f, "guardians[0]", SIGNER_1, "is also signers[1]: signers and guardians must be disjoint");
    });

    it("signer count: 1 <= N", function () {
      const f = valid();
      f.signers = [];
      expectProblem(f, "signers", "0 addresses", "must have 1 to 32 signers");
    });

    it("signer count: N <= 32", function () {
      const f = valid();
      f.signers = Array.from({ length: 33 }, (_, i) => addr(i));
      expectProblem(f, "signers", "33 addresses", "must have 1 to 32 signers (MAX_SIGNERS)");
    });

    it("threshold: 1 <= M <= N", function () {
      const f = valid();
      f.threshold = 4;
      expectProblem(f, "threshold", "4", "must be between 1 and the number of signers (3)");
      f.threshold = 0;
      expectProblem(f, "threshold", "0", "must be between 1 and the number of signers (3)");
    });

    it("guardian count: 1 <= G <= 32", function () {
      const f = valid();
      f.guardians = [];
      f.guardianThreshold = 1;
      expectProblem(f, "guardians", "0 addresses", "must have 1 to 32 guardians (MAX_GUARDIANS)");
      f.guardians = Array.from({ length: 33 }, (_, i) => addr(100 + i));
      expectProblem(f, "guardians", "33 addresses", "must have 1 to 32 guardians (MAX_GUARDIANS)");
    });

    it("guardian threshold: 1 <= K <= G", function () {
      const f = valid();
      f.guardianThreshold = 4;
      expectProblem(f, "guardianThreshold", "4", "must be between 1 and the number of guardians (3)");
    });

    it("council threshold: a strict majority of all keys (2C > N + G)", function () {
      const f = valid();
      f.councilThreshold = 3;
      expectProblem(
        f,
        "councilThreshold",
        "3",
        "must be a strict majority of all 6 keys (2C > signers + guardians), so >= 4",
      );
      expect(problems(f)).to.have.length(1);
    });

    it("council threshold: above either quorum (C > max(M, K))", function () {
      const f = valid();
      f.councilThreshold = 2;
      expectProblem(f, "councilThreshold", "2", "must be > max(threshold, guardianThreshold) = 2");
    });

    it("council threshold: within reach of the keys outside a quorum (C <= N + G - max(M, K))", function () {
      const f = valid();
      f.councilThreshold = 5;
      expectProblem(
        f,
        "councilThreshold",
        "5",
        "must be <= signers + guardians - max(threshold, guardianThreshold) = 6 - 2 = 4",
      );
      expect(problems(f)).to.have.length(1);
    });

    it("council threshold: defaulted to the smallest valid value, or an error when none exists", function () {
      const f = valid();
      f.threshold = 3;
      expectProblem(
        f,
        "councilThreshold",
        "(default 4)",
        "no valid council threshold exists for 3 signers (threshold 3)",
      );
      f.threshold = 2;
      f.councilThreshold = 4;
      expect(parseVaultConfig(f).councilThreshold).to.equal(4);
    });
  });

  describe("delay rules (ConfigRules._timingBounds)", function () {
    // [rule, changes to the local file's delays, field, value, rule text]
    const cases: [string, Record<string, number | string>, string, string, string][] = [
      [
        "withdrawalDelay >= MIN_DELAY",
        { withdrawalDelay: "30m" },
        "withdrawalDelay",
        "1800 s (30 min)",
        "must be >= MIN_DELAY = 3600 s (1 h)",
      ],
      [
        "withdrawalDelay <= min(configDelay, longDelay)",
        { withdrawalDelay: "150m" },
        "withdrawalDelay",
        "9000 s (2 h 30 min)",
        "must be <= min(configDelay, longDelay) = 7200 s (2 h)",
      ],
      [
        "configDelay >= withdrawalDelay",
        { withdrawalDelay: "150m" },
        "configDelay",
        "7200 s (2 h)",
        "must be >= withdrawalDelay = 9000 s (2 h 30 min)",
      ],
      [
        "configDelay <= min(recoveryDelay, councilDelay)",
        { configDelay: "150m", longDelay: "3h" },
        "configDelay",
        "9000 s (2 h 30 min)",
        "must be <= min(recoveryDelay, councilDelay) = 7200 s (2 h)",
      ],
      [
        "executionWindow >= max(MIN_EXECUTION_WINDOW, maxFreeze + 1)",
        { executionWindow: "1h" },
        "executionWindow",
        "3600 s (1 h)",
        "must be >= max(MIN_EXECUTION_WINDOW, maxFreeze + 1) = 3601 s (1 h 1 s)",
      ],
      [
        "executionWindow <= MAX_EXECUTION_WINDOW",
        { executionWindow: "31d" },
        "executionWindow",
        "2678400 s (31 days)",
        "must be <= MAX_EXECUTION_WINDOW = 2592000 s (30 days)",
      ],
      [
        "longDelay >= withdrawalDelay",
        { withdrawalDelay: "2h", longDelay: "90m" },
        "longDelay",
        "5400 s (1 h 30 min)",
        "must be >= withdrawalDelay = 7200 s (2 h)",
      ],
      [
        "longDelay <= min(MAX_DELAY, vetoQuietPeriod)",
        { longDelay: "7h" },
        "longDelay",
        "25200 s (7 h)",
        "must be <= min(MAX_DELAY, vetoQuietPeriod) = 21600 s (6 h)",
      ],
      ["coolOff >= MIN_DELAY", { coolOff: "59m" }, "coolOff", "3540 s (59 min)", "must be >= MIN_DELAY = 3600 s (1 h)"],
      [
        "coolOff <= MAX_DELAY",
        { coolOff: "31d" },
        "coolOff",
        "2678400 s (31 days)",
        "must be <= MAX_DELAY = 2592000 s (30 days)",
      ],
      [
        "recoveryDelay >= configDelay",
        { recoveryDelay: "1h" },
        "recoveryDelay",
        "3600 s (1 h)",
        "must be >= configDelay = 7200 s (2 h)",
      ],
      [
        "recoveryDelay <= MAX_DELAY",
        { recoveryDelay: "31d" },
        "recoveryDelay",
        "2678400 s (31 days)",
        "must be <= MAX_DELAY = 2592000 s (30 days)",
      ],
      [
        "councilDelay >= configDelay",
        { councilDelay: "1h" },
        "councilDelay",
        "3600 s (1 h)",
        "must be >= configDelay = 7200 s (2 h)",
      ],
      [
        "councilDelay <= MAX_DELAY",
        { councilDelay: "5w" },
        "councilDelay",
        "3024000 s (35 days)",
        "must be <= MAX_DELAY = 2592000 s (30 days)",
      ],
      ["maxFreeze >= MIN_FREEZE", { maxFreeze: 59 }, "maxFreeze", "59 s", "must be >= MIN_FREEZE = 60 s"],
      [
        "maxFreeze <= min(freezeCooldown, executionWindow - 1)",
        { maxFreeze: "3h" },
        "maxFreeze",
        "10800 s (3 h)",
        "must be <= min(freezeCooldown, executionWindow - 1) = 7200 s (2 h)",
      ],
      [
        "freezeCooldown >= maxFreeze",
        { freezeCooldown: "30m" },
        "freezeCooldown",
        "1800 s (30 min)",
        "must be >= maxFreeze = 3600 s (1 h)",
      ],
      [
        "freezeCooldown <= MAX_DELAY",
        { freezeCooldown: "31d" },
        "freezeCooldown",
        "2678400 s (31 days)",
        "must be <= MAX_DELAY = 2592000 s (30 days)",
      ],
      [
        "vetoQuietPeriod >= longDelay",
        { vetoQuietPeriod: "2h" },
        "vetoQuietPeriod",
        "7200 s (2 h)",
        "must be >= longDelay = 10800 s (3 h)",
      ],
      [
        "vetoQuietPeriod <= MAX_DELAY",
        { vetoQuietPeriod: "31d" },
        "vetoQuietPeriod",
        "2678400 s (31 days)",
        "must be <= MAX_DELAY = 2592000 s (30 days)",
      ],
    ];
    for (const [rule, change, field, value, text] of cases) {
      it(rule, function () {
        const f = valid();
        Object.assign(f.delays, change);
        expectProblem(f, `delays.${field}`, value, text);
      });
    }

    it("every delay's bounds equal ConfigRules.timingBounds, for the default delays and for delays where the other side of each min/max wins", async function () {
      const rules = await ethers.deployContract("ConfigRules");
      const ACTION_OF: Record<(typeof TIMING_KEYS)[number], ConfigAction> = {
        withdrawalDelay: ConfigAction.SetWithdrawalDelay,
        configDelay: ConfigAction.SetConfigDelay,
        executionWindow: ConfigAction.SetExecutionWindow,
        longDelay: ConfigAction.SetLongDelay,
        coolOff: ConfigAction.SetCoolOff,
        recoveryDelay: ConfigAction.SetRecoveryDelay,
        councilDelay: ConfigAction.SetCouncilDelay,
        maxFreeze: ConfigAction.SetMaxFreeze,
        freezeCooldown: ConfigAction.SetFreezeCooldown,
        vetoQuietPeriod: ConfigAction.SetVetoQuietPeriod,
      };
      // configDelay > longDelay, councilDelay < recoveryDelay, maxFreeze + 1 < MIN_EXECUTION_WINDOW,
      // freezeCooldown < executionWindow - 1, vetoQuietPeriod > MAX_DELAY: each min/max picks the
      // other operand than with DEFAULT_TIMINGS (bounds only; these delays need not be valid).
      const skewed: Timings = {
        withdrawalDelay: 2n * HOUR,
        configDelay: 5n * HOUR,
        executionWindow: 3n * HOUR,
        longDelay: 4n * HOUR,
        coolOff: HOUR,
        recoveryDelay: 6n * HOUR,
        councilDelay: 5n * HOUR,
        maxFreeze: HOUR / 2n,
        freezeCooldown: 150n * 60n,
        vetoQuietPeriod: 31n * 24n * HOUR,
      };
      for (const t of [DEFAULT_TIMINGS, skewed]) {
        for (const key of TIMING_KEYS) {
          const { min, max } = timingBounds(key, t);
          const [onChainMin, onChainMax] = await rules.timingBounds(ACTION_OF[key], t);
          expect([onChainMin, onChainMax], key).to.deep.equal([min.value, max.value]);
        }
      }
    });
  });

  describe("policy rules (ReserveVault._initPolicy)", function () {
    it("outflow period: >= MIN_OUTFLOW_PERIOD (1 h)", function () {
      const f = valid();
      f.policy.outflowPeriod = "30m";
      expectProblem(
        f,
        "policy.outflowPeriod",
        "1800 s (30 min)",
        "must be between MIN_OUTFLOW_PERIOD = 3600 s (1 h) and MAX_OUTFLOW_PERIOD",
      );
    });

    it("outflow period: <= MAX_OUTFLOW_PERIOD (30 days)", function () {
      const f = valid();
      f.policy.outflowPeriod = "31d";
      expectProblem(f, "policy.outflowPeriod", "2678400 s (31 days)", "must be between MIN_OUTFLOW_PERIOD");
    });

    it("outflow limit: <= UNLIMITED (2^96 - 1)", function () {
      const f = valid();
      f.policy.outflowLimits[0].limit = (UNLIMITED + 1n).toString();
      expectProblem(f, "policy.outflowLimits[0].limit", (UNLIMITED + 1n).toString(), "must be <= UNLIMITED = 2^96 - 1");
    });

    it('outflow limit: a decimal string in base units, or "unlimited"', function () {
      const f = valid();
      f.policy.outflowLimits[0].limit = "500 ETH";
      expectProblem(f, "policy.outflowLimits[0].limit", "500 ETH", "must be a decimal string in base units");
      f.policy.outflowLimits[0].limit = "unlimited";
      expect(parseVaultConfig(f).outflowLimits[0]!.limit).to.equal(UNLIMITED);
    });

    it("outflow limits: one per asset (stricter than the contract, where the last wins)", function () {
      const f = valid();
      f.policy.outflowLimits.push({ asset: ZeroAddress, limit: "1" });
      expectProblem(f, "policy.outflowLimits[1].asset", "ETH", "duplicate of policy.outflowLimits[0].asset");
    });

    it("allowlist: non-zero", function () {
      const f = valid();
      f.policy.allowlist.push(ZeroAddress);
      expectProblem(f, "policy.allowlist[1]", ZeroAddress, "must not be the zero address");
    });

    it("allowlist: distinct", function () {
      const f = valid();
      f.policy.allowlist.push(HOT_WALLET.toLowerCase());
      expectProblem(f, "policy.allowlist[1]", HOT_WALLET, "duplicate of policy.allowlist[0]");
    });

    it("allowlist: at most MAX_ALLOWLIST (64) entries", function () {
      const f = valid();
      f.policy.allowlist = Array.from({ length: 65 }, (_, i) => addr(200 + i));
      expectProblem(f, "policy.allowlist", "65 addresses", "must have at most 64 entries (MAX_ALLOWLIST)");
    });
  });

  describe("on chain", function () {
    it("a parsed configuration deploys and reads back equal", async function () {
      const config = await loadVaultConfig("deploy/configs/local.json");
      const { vault, guardianModule } = await deployReserveVault(ethers, config);
      const onChain = await readConfiguration(vault);
      expect(onChain.signers).to.deep.equal(config.signers);
      expect(onChain.threshold).to.equal(config.threshold);
      const [timings] = await vault.timings();
      for (const k of TIMING_KEYS) {
        expect(timings[k], k).to.equal(config[k]);
      }
      const policy = await readPolicy(vault, [ZeroAddress]);
      expect(policy.outflowPeriod).to.equal(config.outflowPeriod);
      expect(policy.outflow.get(ZeroAddress)!.limit).to.equal(config.outflowLimits[0]!.limit);
      expect(policy.allowlist).to.deep.equal(config.allowlist);
      expect(policy.allowlistEnabled).to.equal(config.allowlistEnabled);
      expect(await guardianModule.guardians()).to.deep.equal(config.guardians);
      const [, g, k, council] = await guardianModule.guardianCounts();
      expect([Number(g), Number(k), Number(council)]).to.deep.equal([
        3,
        config.guardianThreshold,
        config.councilThreshold,
      ]);
    });

    // The same broken configuration, in the file (rejected by the validator) and sent as is
    // (rejected by the contract): the validator mirrors the contract.
    const mirrored: [string, (f: Json) => void, (c: InitialConfig) => InitialConfig, string][] = [
      [
        "withdrawalDelay <= min(configDelay, longDelay)",
        (f) => (f.delays.withdrawalDelay = "150m"),
        (c) => ({ ...c, withdrawalDelay: 9000n }),
        "DelayOutOfRange",
      ],
      [
        "maxFreeze <= min(freezeCooldown, executionWindow - 1)",
        (f) => (f.delays.maxFreeze = "3h"),
        (c) => ({ ...c, maxFreeze: 3n * HOUR }),
        "DelayOutOfRange",
      ],
      [
        "signers and guardians disjoint",
        (f) => (f.guardians[0] = SIGNER_1),
        (c) => ({ ...c, guardians: [SIGNER_1, ...c.guardians.slice(1)].sort(compareAddresses) }),
        "GuardianIsSigner",
      ],
      [
        "council threshold: strict majority",
        (f) => (f.councilThreshold = 3),
        (c) => ({ ...c, councilThreshold: 3 }),
        "CouncilThresholdOutOfRange",
      ],
      [
        "council threshold: none valid",
        (f) => (f.threshold = 3),
        (c) => ({ ...c, threshold: 3 }),
        "CouncilThresholdOutOfRange",
      ],
      [
        "outflow period >= 1 h",
        (f) => (f.policy.outflowPeriod = "30m"),
        (c) => ({ ...c, outflowPeriod: HOUR / 2n }),
        "OutflowPeriodOutOfRange",
      ],
      [
        "allowlist non-zero",
        (f) => f.policy.allowlist.push(ZeroAddress),
        (c) => ({ ...c, allowlist: [ZeroAddress, ...c.allowlist] }),
        "DestinationIsZeroAddress",
      ],
    ];
    for (const [rule, breakFile, breakConfig, error] of mirrored) {
      it(`the contract agrees: ${rule} (${error})`, async function () {
        const f = valid();
        breakFile(f);
        expect(problems(f)).to.have.length.greaterThan(0);
        const bad = breakConfig(parseVaultConfig(valid()));
        let decoded: string | undefined;
        try {
          await deployReserveVault(ethers, bad);
        } catch (e) {
          decoded = decodeVaultError(e)?.name ?? String(e);
        }
        expect(decoded).to.equal(error);
      });
    }
  });
});
