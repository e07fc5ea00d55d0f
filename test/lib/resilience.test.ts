/**
 * The resilience analysis (scripts/lib/resilience.ts) against brute force: every assignment of
 * every key of small configurations to honest, lost or stolen, checked against the promises of
 * docs/SPEC.md §7 stated key by key, and the analysis' own claims (symmetry, monotonicity,
 * weakest points).
 */
import { expect } from "chai";

import {
  analyze,
  assess,
  councilBounds,
  describeLoss,
  formatAnalysisTable,
  OUTCOME_RANK,
  weakestPoints,
  weakestPointSentences,
  type KeyLoss,
  type Membership,
} from "../../scripts/lib/index.js";

const T = { withdrawalDelay: 3_600n, longDelay: 10_800n, recoveryDelay: 7_200n, councilDelay: 10_800n };

type Fate = "honest" | "lost" | "stolen";
const FATES: Fate[] = ["honest", "lost", "stolen"];

/** Every valid small configuration: N, G ≤ 3 (or N + G ≤ 7), every M, K and valid C. */
function smallConfigurations(): Membership[] {
  const out: Membership[] = [];
  for (let n = 1; n <= 4; n++)
    for (let g = 1; g <= 3; g++)
      for (let m = 1; m <= n; m++)
        for (let k = 1; k <= g; k++) {
          const { min, max } = councilBounds(n, m, g, k);
          for (let c = min; c <= max; c++)
            out.push({ signers: n, threshold: m, guardians: g, guardianThreshold: k, councilThreshold: c });
        }
  return out;
}

/** Every assignment of a fate to each of `n` keys. */
function* assignments(n: number): Generator<Fate[]> {
  const total = 3 ** n;
  for (let i = 0; i < total; i++) {
    const fates: Fate[] = [];
    for (let j = 0, x = i; j < n; j++, x = Math.floor(x / 3)) fates.push(FATES[x % 3]!);
    yield fates;
  }
}

function count(fates: readonly Fate[], fate: Fate): number {
  return fates.filter((f) => f === fate).length;
}

const CONFIGS = smallConfigurations();

describe("resilience analysis (scripts/lib/resilience.ts)", function () {
  it(`covers ${CONFIGS.length} small configurations; each table has one cell per combination of counts`, function () {
    expect(CONFIGS.length).to.be.greaterThan(20);
    for (const m of CONFIGS) {
      const cells = analyze(m, T);
      const pairs = (n: number) => ((n + 1) * (n + 2)) / 2;
      expect(cells).to.have.length(pairs(m.signers) * pairs(m.guardians));
    }
  });

  describe("against every subset of keys (brute force)", function () {
    it("SPEC §7 promise 5 (keys only lost): unaffected, recovery, council or frozen, with the bound it states", function () {
      for (const m of CONFIGS) {
        for (const fates of assignments(m.signers + m.guardians)) {
          if (fates.includes("stolen")) continue;
          const signers = fates.slice(0, m.signers);
          const guardians = fates.slice(m.signers);
          const signersLeft = count(signers, "honest");
          const guardiansLeft = count(guardians, "honest");
          const loss: KeyLoss = {
            lostSigners: count(signers, "lost"),
            compromisedSigners: 0,
            lostGuardians: count(guardians, "lost"),
            compromisedGuardians: 0,
          };
          const v = assess(m, T, loss);
          const where = `${JSON.stringify(m)} ${describeLoss(loss)}`;
          if (signersLeft >= m.threshold) expect(v.outcome, where).to.equal("unaffected");
          else if (guardiansLeft >= m.guardianThreshold) {
            expect(v, where).to.include({ outcome: "delayed", path: "recovery", bound: T.recoveryDelay + T.longDelay });
          } else if (signersLeft + guardiansLeft >= m.councilThreshold) {
            expect(v, where).to.include({
              outcome: "delayed",
              path: "council",
              bound: T.councilDelay + T.withdrawalDelay,
            });
          } else expect(v.outcome, where).to.equal("frozen");
        }
      }
    });

    it("SPEC §7 promise 6: a stolen quorum of one group, every other key honest, never puts funds at risk", function () {
      for (const m of CONFIGS) {
        // Which M signers (or K guardians) are stolen does not matter: every subset of that size.
        for (const fates of assignments(m.signers + m.guardians)) {
          if (fates.includes("lost")) continue;
          const stolenSigners = count(fates.slice(0, m.signers), "stolen");
          const stolenGuardians = count(fates.slice(m.signers), "stolen");
          const oneQuorum =
            (stolenSigners === m.threshold && stolenGuardians === 0) ||
            (stolenGuardians === m.guardianThreshold && stolenSigners === 0);
          if (!oneQuorum) continue;
          const v = assess(m, T, {
            lostSigners: 0,
            compromisedSigners: stolenSigners,
            lostGuardians: 0,
            compromisedGuardians: stolenGuardians,
          });
          expect(
            v.outcome,
            `${JSON.stringify(m)} stolen ${stolenSigners} signers, ${stolenGuardians} guardians`,
          ).to.equal("delayed");
        }
      }
    });

    it("an attacker holding C keys, whichever they are, puts funds at risk; below C and below both quorums it never does", function () {
      for (const m of CONFIGS) {
        for (const fates of assignments(m.signers + m.guardians)) {
          const cs = count(fates.slice(0, m.signers), "stolen");
          const cg = count(fates.slice(m.signers), "stolen");
          const loss: KeyLoss = {
            lostSigners: count(fates.slice(0, m.signers), "lost"),
            compromisedSigners: cs,
            lostGuardians: count(fates.slice(m.signers), "lost"),
            compromisedGuardians: cg,
          };
          const v = assess(m, T, loss);
          if (cs + cg >= m.councilThreshold) expect(v.outcome).to.equal("at-risk");
          if (cs + cg < m.councilThreshold && cs < m.threshold && cg < m.guardianThreshold)
            expect(v.outcome).not.to.equal("at-risk");
        }
      }
    });
  });

  describe("the analysis' own claims", function () {
    it("symmetry: the verdict of a subset is the verdict of its counts (the table's cell)", function () {
      for (const m of CONFIGS.filter((c) => c.signers + c.guardians <= 6)) {
        const table = new Map(analyze(m, T).map((c) => [JSON.stringify(c.loss), c.verdict]));
        for (const fates of assignments(m.signers + m.guardians)) {
          const loss: KeyLoss = {
            lostSigners: count(fates.slice(0, m.signers), "lost"),
            compromisedSigners: count(fates.slice(0, m.signers), "stolen"),
            lostGuardians: count(fates.slice(m.signers), "lost"),
            compromisedGuardians: count(fates.slice(m.signers), "stolen"),
          };
          expect(table.get(JSON.stringify(loss))).to.deep.equal(assess(m, T, loss));
        }
      }
    });

    it("monotonic: losing one more key, or one lost key turning out stolen, never makes the outcome better", function () {
      for (const m of CONFIGS) {
        for (const { loss, verdict } of analyze(m, T)) {
          const worse: KeyLoss[] = [];
          const honestSigners = m.signers - loss.lostSigners - loss.compromisedSigners;
          const honestGuardians = m.guardians - loss.lostGuardians - loss.compromisedGuardians;
          if (honestSigners > 0) worse.push({ ...loss, lostSigners: loss.lostSigners + 1 });
          if (honestGuardians > 0) worse.push({ ...loss, lostGuardians: loss.lostGuardians + 1 });
          if (loss.lostSigners > 0)
            worse.push({ ...loss, lostSigners: loss.lostSigners - 1, compromisedSigners: loss.compromisedSigners + 1 });
          if (loss.lostGuardians > 0)
            worse.push({
              ...loss,
              lostGuardians: loss.lostGuardians - 1,
              compromisedGuardians: loss.compromisedGuardians + 1,
            });
          for (const w of worse) {
            const after = assess(m, T, w).outcome;
            // "frozen" (nobody can act) and "at-risk" are both failures; a stolen key may turn one into the other.
            const failed = (o: string) => o === "frozen" || o === "at-risk";
            if (failed(verdict.outcome))
              expect(failed(after), `${JSON.stringify(m)} ${describeLoss(loss)} → ${describeLoss(w)}`).to.equal(true);
            else expect(OUTCOME_RANK[after] >= OUTCOME_RANK[verdict.outcome] || failed(after)).to.equal(true);
          }
        }
      }
    });

    it("weakest points: every failing combination is reached from one of them, and none is milder than another", function () {
      for (const m of CONFIGS) {
        const cells = analyze(m, T);
        const weakest = weakestPoints(cells);
        const failing = cells.filter((c) => c.verdict.outcome === "frozen" || c.verdict.outcome === "at-risk");
        const atMost = (a: KeyLoss, b: KeyLoss) =>
          a.lostSigners + a.compromisedSigners <= b.lostSigners + b.compromisedSigners &&
          a.compromisedSigners <= b.compromisedSigners &&
          a.lostGuardians + a.compromisedGuardians <= b.lostGuardians + b.compromisedGuardians &&
          a.compromisedGuardians <= b.compromisedGuardians;
        for (const c of failing)
          expect(
            weakest.some((w) => atMost(w.loss, c.loss)),
            `${JSON.stringify(m)} ${describeLoss(c.loss)}`,
          ).to.equal(true);
        for (const a of weakest)
          for (const b of weakest)
            if (a !== b && OUTCOME_RANK[a.verdict.outcome] >= OUTCOME_RANK[b.verdict.outcome])
              expect(atMost(a.loss, b.loss)).to.equal(false);
      }
    });
  });

  describe("output", function () {
    const m: Membership = { signers: 3, threshold: 2, guardians: 3, guardianThreshold: 2, councilThreshold: 4 };

    it("the table has a row per signer combination and a legend", function () {
      const lines = formatAnalysisTable(m, analyze(m, T)).split("\n");
      expect(lines).to.have.length(1 + 10 + 1);
      expect(lines[1]).to.match(/^\s+0\/0\s+·/); // nothing lost: unaffected
      expect(lines.at(-1)).to.contain("F frozen for good");
    });

    it("2-of-3 / 2-of-3 / council 4: losing any 2 signers and 2 guardians freezes the vault for good", function () {
      const sentences = weakestPointSentences(analyze(m, T));
      expect(
        sentences.some((s) => s.startsWith("losing any 2 signers and 2 guardians freezes the vault for good")),
      ).to.equal(true);
      expect(
        sentences.some((s) =>
          s.startsWith("an attacker holding any 1 signer key and 3 guardian keys puts the funds at risk"),
        ),
      ).to.equal(true);
    });
  });
});
