/**
 * Scenario 5 — rogue guardians: two of the three guardians (gina and gus, K = 2) are in an
 * attacker's hands; the signers and gwen are honest. The rogue keys veto, freeze and try a
 * recovery; every abuse is bounded (SPEC §6.1-§6.3), and the council (the three signers and gwen,
 * C = 4) replaces them. Routine withdrawals keep executing, late by at most the analysis' bound.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import {
  assess,
  councilProposal,
  formatSpan,
  freezeProposal,
  proposalDigest,
  recoveryProposal,
  unfreezeProposal,
  vetoProposal,
  type Proposal,
  HOUR,
} from "../lib/index.js";
import { formatElapsed } from "./timeline.js";
import { DEMO_VAULT, type Scenario, World } from "./world.js";

type Key = HardhatEthersSigner;

export const rogueGuardian: Scenario = async (connection, print) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 5 — Rogue guardians: two guardian keys (K = 2) stolen",
    DEMO_VAULT,
    print,
  );
  const [alice, bob, carol] = world.signers as [Key, Key, Key];
  const [gina, gus, gwen] = world.guardians as [Key, Key, Key];
  const rogue = [gina, gus];
  const quorum = [alice, bob];
  const T = world.config;
  const hot = world.hotWallet.address;
  const vaultAddress = await world.vault.getAddress();
  const [vaultBefore, hotBefore] = [await world.balance(vaultAddress), await world.balance(hot)];
  const day = (at: bigint) => formatElapsed(at - world.timeline.start);
  const loss = { lostSigners: 0, compromisedSigners: 0, lostGuardians: 0, compromisedGuardians: 2 };
  // The attacker's recovery would hand the vault to two keys of its own.
  const accomplice = world.spares.at(-1)!;
  world.names.set(accomplice.address, "attacker 2");

  const lostAt = await world.now();
  await world.record("gina, gus", "KEYS STOLEN (2 of 3 guardians, K = 2)", "alice, bob, carol and gwen honest");

  /** alice and bob queue `eth` ETH to the hot wallet. */
  const queueRoutine = async (eth: string, action: string) => {
    const p = await world.sign(await world.withdrawal(hot, eth), quorum);
    const failure = await world.submit(p);
    const { eta } = await world.state(p);
    await world.record(
      "alice, bob",
      action,
      failure ?? `queued, executable in ${formatSpan(eta - (await world.now()))}`,
    );
    return { p, eta, failure };
  };
  /** The guardians `keys` veto withdrawal `p`; the result in words. */
  const veto = async (p: Proposal, keys: Key[], actor: string, action: string) => {
    const v = await world.sign(await vetoProposal(world.vault, world.module, proposalDigest(p), p.slot!), keys);
    const failure = await world.submit(v);
    const { required } = await world.module.vetoRequirement();
    await world.record(
      actor,
      action,
      failure
        ? `refused: ${failure}`
        : `vetoed (${(await world.state(p)).state}); the next veto needs ${required} guardians`,
    );
    return failure;
  };
  const executeRoutine = async (p: Proposal, plannedEta: bigint) => {
    const before = await world.balance(hot);
    const failure = await world.execute(p);
    const at = await world.now();
    const received = (await world.balance(hot)) - before;
    await world.record(
      "relayer",
      "execute",
      failure
        ? `refused: ${failure}`
        : `hot wallet received ${ethers.formatEther(received)} ETH, ${at - plannedEta < 60n ? "on time" : `${formatSpan(at - plannedEta)} later than first planned`}`,
    );
    return { failure, at, late: at - plannedEta };
  };

  // 1. Veto spam: two keys veto twice back to back, then the requirement outgrows them (§6.1).
  const w1 = await queueRoutine("100", "queue 100 ETH → hot wallet (W1)");
  const planned = w1.eta;
  await world.advanceTo(w1.eta - HOUR);
  const veto1 = await veto(w1.p, [gina], "gina", "veto W1 an hour before it executes");
  await world.advance(HOUR);
  const w2 = await queueRoutine("100", "re-queue it (W2)");
  await world.advanceTo(w2.eta - HOUR);
  const veto2 = await veto(w2.p, rogue, "gina, gus", "veto W2 an hour before it executes");
  await world.advance(HOUR);
  const w3 = await queueRoutine("100", "re-queue it (W3)");
  const veto3 = await veto(w3.p, rogue, "gina, gus", "veto W3");
  const { lastVetoAt } = await world.module.guardianStatus();
  await world.record(
    "gina, gus",
    "wait for the veto level to decay",
    `2 keys veto alone again only from ${day(lastVetoAt + T.vetoQuietPeriod)} (quiet period ${formatSpan(T.vetoQuietPeriod)}); W3 is due long before`,
  );
  await world.advanceTo(w3.eta);
  const x3 = await executeRoutine(w3.p, planned);

  // 2. A recovery to the attacker's keys: the signer quorum cancels it (§6.3).
  const recovery = await world.sign(
    await recoveryProposal(world.vault, world.module, [world.attacker.address, accomplice.address], 2n),
    rogue,
  );
  const recoveryId = proposalDigest(recovery);
  const recoveryFailure = await world.submit(recovery);
  const { recoveryEta } = await world.module.pending();
  await world.record(
    "gina, gus",
    "recovery: signers → attacker, attacker 2",
    recoveryFailure
      ? `refused: ${recoveryFailure}`
      : `queued, executable in ${formatSpan(recoveryEta - (await world.now()))}`,
  );
  await world.advance(HOUR);
  const cancelFailure = await world.cancelRecovery(recoveryId, quorum);
  await world.record(
    "alice, bob",
    "cancel the recovery (module, M signatures)",
    cancelFailure ? `refused: ${cancelFailure}` : "recovery cancelled",
  );

  // 3. Freezes: each lasts at most maxFreeze, the next waits freezeCooldown (§6.2).
  const w4 = await queueRoutine("50", "queue 50 ETH → hot wallet (W4)");
  await world.advance(HOUR);
  const freeze = async (action: string) => {
    const failure = await world.submit(await world.sign(await freezeProposal(world.vault, world.module), rogue));
    const at = await world.now();
    const [until, status] = await Promise.all([world.vault.frozenUntil(), world.module.guardianStatus()]);
    await world.record(
      "gina, gus",
      action,
      failure
        ? `refused: ${failure}`
        : `withdrawals frozen for ${formatSpan(until - (await world.now()))} (maxFreeze), until ${day(until)}; next freeze not before ${day(status.nextFreezeAt)}`,
    );
    return { failure, at, until, nextFreezeAt: status.nextFreezeAt };
  };
  const freeze1 = await freeze("freeze withdrawals");
  await world.advanceTo(w4.eta);
  const x4early = await executeRoutine(w4.p, w4.eta);
  const freezeAgain = await freeze("freeze again");
  await world.advanceTo(recoveryEta);
  const lateRecovery = await world.execute(recovery);
  await world.record(
    "relayer",
    "execute the rogue recovery at its eta",
    lateRecovery ? `refused: ${lateRecovery}` : "EXECUTED",
  );
  await world.advanceTo(freeze1.until);
  await world.record(
    "vault",
    "the freeze ends by itself",
    `after ${formatSpan(freeze1.until - freeze1.at)}; W4, ready meanwhile, is still in its window`,
  );
  const x4 = await executeRoutine(w4.p, w4.eta);
  await world.advanceTo(freeze1.nextFreezeAt);
  const freeze2 = await freeze("freeze again after the cooldown");
  await world.advance(HOUR);
  const unfreezeFailure = await world.submit(
    await world.sign(await unfreezeProposal(world.vault, world.module), quorum),
  );
  const nextFreezeAt = (await world.module.guardianStatus()).nextFreezeAt;
  await world.record(
    "alice, bob",
    "lift the freeze (unfreeze)",
    unfreezeFailure
      ? `refused: ${unfreezeFailure}`
      : `withdrawals open again after ${formatSpan((await world.now()) - freeze2.at)}; next freeze not before ${day(nextFreezeAt)}`,
  );

  // 4. The council (3 signers + gwen = 4 = C) replaces the rogue guardians; nobody can stop it (§6.4).
  const [newGuardian1, newGuardian2] = world.spares as [Key, Key];
  const council = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [],
      threshold: 0n,
      guardians: [gwen.address, newGuardian1.address, newGuardian2.address],
      guardianThreshold: 2n,
      councilThreshold: 4n,
    }),
    [alice, bob, carol, gwen],
  );
  const councilFailure = await world.submit(council);
  const { councilEta } = await world.module.pending();
  await world.record(
    "honest council",
    "guardians → gwen, new key 1, new key 2",
    councilFailure
      ? `refused: ${councilFailure}`
      : `signed by alice, bob, carol, gwen (4 = C); queued, executable in ${formatSpan(councilEta - (await world.now()))}`,
  );
  const vetoCouncil = await world.submit(
    await world.sign(await vetoProposal(world.vault, world.module, proposalDigest(council), 0n), rogue),
  );
  await world.record("gina, gus", "veto the council change", vetoCouncil ? `refused: ${vetoCouncil}` : "VETOED");
  const theirs = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [],
      threshold: 0n,
      guardians: [gina.address, gus.address, accomplice.address],
      guardianThreshold: 2n,
      councilThreshold: 4n,
    }),
    rogue,
  );
  const theirsFailure = await world.submit(theirs);
  await world.record(
    "gina, gus",
    "supersede it with their own council change",
    theirsFailure ? `refused: ${theirsFailure}` : "QUEUED",
  );
  await world.advanceTo(councilEta);
  const applyFailure = await world.execute(council);
  const guardians = await world.module.guardians();
  await world.record(
    "relayer",
    "execute the council change",
    applyFailure ? `refused: ${applyFailure}` : `guardians: ${[...guardians].map((g) => world.name(g)).join(", ")}`,
  );

  // 5. The old keys count for nothing: their veto (on a file of their own making) is refused.
  const w5 = await queueRoutine("100", "queue 100 ETH → hot wallet (W5)");
  const forged = await vetoProposal(world.vault, world.module, proposalDigest(w5.p), w5.p.slot!);
  const oldKeysVeto = await world.submit(
    await world.sign(
      { ...forged, quorum: { ...forged.quorum, keys: [...forged.quorum.keys, gina.address, gus.address] } },
      rogue,
    ),
  );
  await world.record("gina, gus", "veto W5 with their old keys", oldKeysVeto ? `refused: ${oldKeysVeto}` : "VETOED");
  await world.advanceTo(w5.eta);
  const x5 = await executeRoutine(w5.p, w5.eta);

  const [vaultAfter, hotAfter] = [await world.balance(vaultAddress), await world.balance(hot)];
  const stolen = vaultBefore - vaultAfter - (hotAfter - hotBefore);
  const asExpected =
    [
      w1.failure,
      w2.failure,
      w3.failure,
      w4.failure,
      w5.failure,
      x3.failure,
      x4.failure,
      x5.failure,
      cancelFailure,
      unfreezeFailure,
      councilFailure,
      applyFailure,
    ].every((f) => f === undefined) &&
    [veto1, veto2, freeze1.failure, freeze2.failure, recoveryFailure].every((f) => f === undefined);
  const abuseBounded =
    veto3 !== undefined &&
    freezeAgain.failure !== undefined &&
    x4early.failure !== undefined &&
    lateRecovery !== undefined;
  const rogueGone = vetoCouncil !== undefined && theirsFailure !== undefined && oldKeysVeto !== undefined;
  const worstLate = [x3.late, x4.late].reduce((a, b) => (a > b ? a : b));
  const observed =
    stolen > 0n
      ? "at-risk"
      : asExpected && abuseBounded && rogueGone
        ? worstLate > 0n
          ? "delayed"
          : "unaffected"
        : "frozen";
  const bound = assess(world.membership, world.config, loss).bound ?? 0n;
  return world.finish({
    loss,
    observed,
    stolen,
    resumedAfter: x3.at - lostAt,
    summary:
      `funds safe: ${stolen === 0n ? "yes" : "NO"} (${ethers.formatEther(stolen)} ETH stolen); routine withdrawals late by at most ${formatSpan(worstLate)} ` +
      `(the analysis bounds it by ${formatSpan(bound)} plus reaction time): 2 vetoes then refused, the recovery cancelled, ` +
      `one freeze of ${formatSpan(T.maxFreeze)} and one lifted after 1 h; the council replaced gina and gus after ${formatSpan(T.councilDelay)}`,
  });
};
