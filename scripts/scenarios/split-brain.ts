/**
 * Scenario 6 — split brain: an attacker holds a signer quorum (alice and bob) while carol and all
 * three guardians are honest. The two sides cancel each other — the attacker's withdrawals are
 * vetoed, the guardians' recovery is cancelled by the attacker's quorum — until the council
 * (carol + the three guardians = 4 = C) replaces the signers, which nobody can cancel (SPEC §6.4).
 * Withdrawals resume with the new signers.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import {
  cancellationProposal,
  councilProposal,
  formatSpan,
  proposalDigest,
  recoveryProposal,
  vetoProposal,
  type Proposal,
  HOUR,
} from "../lib/index.js";
import { DEMO_VAULT, type Scenario, World } from "./world.js";

type Key = HardhatEthersSigner;

export const splitBrain: Scenario = async (connection, print) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 6 — Split brain: a stolen signer quorum against honest guardians",
    DEMO_VAULT,
    print,
  );
  const [alice, bob, carol] = world.signers as [Key, Key, Key];
  const [gina, gus, gwen] = world.guardians as [Key, Key, Key];
  const thieves = [alice, bob];
  const attacker = world.attacker;
  const hot = world.hotWallet.address;
  const vaultAddress = await world.vault.getAddress();
  const [vaultBefore, hotBefore] = [await world.balance(vaultAddress), await world.balance(hot)];
  const loss = { lostSigners: 0, compromisedSigners: 2, lostGuardians: 0, compromisedGuardians: 0 };

  const lostAt = await world.now();
  await world.record("alice, bob", "KEYS STOLEN (a signer quorum, 2 of 3)", "carol, gina, gus and gwen honest");

  /** The attacker queues `eth` ETH to itself with alice's and bob's keys. */
  const drain = async (eth: string, action: string) => {
    const p = await world.sign(await world.withdrawal(attacker.address, eth), thieves);
    const failure = await world.submit(p, attacker);
    const { eta } = await world.state(p);
    await world.record(
      "attacker",
      action,
      failure ? `refused: ${failure}` : `queued, executable in ${formatSpan(eta - (await world.now()))} (long delay)`,
    );
    return { p, eta, failure };
  };
  const veto = async (p: Proposal, keys: Key[], actor: string, action: string) => {
    const failure = await world.submit(
      await world.sign(await vetoProposal(world.vault, world.module, proposalDigest(p), p.slot!), keys),
    );
    const { required } = await world.module.vetoRequirement();
    await world.record(
      actor,
      action,
      failure
        ? `refused: ${failure}`
        : `vetoed (${(await world.state(p)).state}); the next veto needs ${required} guardian(s)`,
    );
    return failure;
  };

  // 1. The attacker's withdrawals wait the long delay; the guardians veto each (§6.1: the requirement climbs to G = 3).
  const d1 = await drain("1000", "queue 1000 ETH → attacker");
  await world.advance(HOUR);
  const veto1 = await veto(d1.p, [gina], "gina", "veto the drain");
  const d2 = await drain("500", "queue 500 ETH → attacker");
  await world.advance(HOUR);
  const veto2 = await veto(d2.p, [gina, gus], "gina, gus", "veto it");

  // 2. The guardians queue a recovery to honest signers; the attacker's quorum cancels it (§6.3).
  const [new1, new2] = world.spares as [Key, Key];
  const newSigners = [carol.address, new1.address, new2.address];
  const recovery = await world.sign(await recoveryProposal(world.vault, world.module, newSigners, 2n), [gina, gus]);
  const recoveryFailure = await world.submit(recovery);
  const { recoveryEta } = await world.module.pending();
  await world.record(
    "gina, gus",
    "recovery: signers → carol, new key 1, 2",
    recoveryFailure
      ? `refused: ${recoveryFailure}`
      : `queued, executable in ${formatSpan(recoveryEta - (await world.now()))}`,
  );
  await world.advance(HOUR);
  const thiefCancel = await world.cancelRecovery(proposalDigest(recovery), thieves, attacker);
  await world.record(
    "attacker",
    "cancel the recovery with alice, bob",
    thiefCancel ? `refused: ${thiefCancel}` : "recovery cancelled: any signer quorum may",
  );

  // 3. The council: carol and the three guardians (4 = C) replace the signers.
  const council = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: newSigners,
      threshold: 2n,
      guardians: [],
      guardianThreshold: 0n,
      councilThreshold: 4n,
    }),
    [carol, gina, gus, gwen],
  );
  const councilFailure = await world.submit(council);
  const councilQueuedAt = await world.now();
  const { councilEta } = await world.module.pending();
  await world.record(
    "honest council",
    "signers → carol, new key 1, new key 2",
    councilFailure
      ? `refused: ${councilFailure}`
      : `signed by carol, gina, gus, gwen (4 = C); queued, executable in ${formatSpan(councilEta - councilQueuedAt)}`,
  );
  const councilId = proposalDigest(council);
  const cancelInVault = await world.submit(
    await world.sign(await cancellationProposal(world.vault, councilId, 0n), thieves),
    attacker,
  );
  await world.record(
    "attacker",
    "cancel the council change (vault)",
    cancelInVault ? `refused: ${cancelInVault}` : "CANCELLED",
  );
  const cancelAsRecovery = await world.cancelRecovery(councilId, thieves, attacker);
  await world.record(
    "attacker",
    "cancel it as a recovery (module)",
    cancelAsRecovery ? `refused: ${cancelAsRecovery}` : "CANCELLED",
  );
  const theirs = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [alice.address, bob.address, attacker.address],
      threshold: 2n,
      guardians: [],
      guardianThreshold: 0n,
      councilThreshold: 4n,
    }),
    thieves,
  );
  const theirsFailure = await world.submit(theirs, attacker);
  await world.record(
    "attacker",
    "supersede it with its own council change",
    theirsFailure ? `refused: ${theirsFailure}` : "QUEUED",
  );

  // 4. Meanwhile: one more drain, vetoed by all three; a last one left alone dies with the old epoch.
  const d3 = await drain("300", "queue 300 ETH → attacker");
  await world.advance(HOUR);
  const veto3 = await veto(d3.p, [gina, gus, gwen], "3 guardians", "veto it");
  await world.advanceTo(councilEta - HOUR);
  const late = await drain("1000", "queue 1000 ETH → attacker, 1 h before");
  await world.advanceTo(councilEta);
  const applyFailure = await world.execute(council);
  const signers = await world.vault.signers();
  const { epoch } = await world.vault.configuration();
  await world.record(
    "relayer",
    "execute the council change",
    applyFailure
      ? `refused: ${applyFailure}`
      : `signers: ${[...signers].map((s) => world.name(s)).join(", ")} (epoch ${epoch})`,
  );

  // 5. Withdrawals resume with the new signers, at the normal delay (a council change starts no cool-off).
  const w = await world.sign(await world.withdrawal(hot, "100"), [carol, new1]);
  const wFailure = await world.submit(w);
  const wEta = (await world.state(w)).eta;
  await world.record(
    "new signers",
    "queue 100 ETH → hot wallet",
    wFailure
      ? `refused: ${wFailure}`
      : `signed by carol, new key 1; queued, executable in ${formatSpan(wEta - (await world.now()))}`,
  );
  await world.advanceTo(wEta);
  const hotMid = await world.balance(hot);
  const xFailure = await world.execute(w);
  const resumedAt = await world.now();
  const received = (await world.balance(hot)) - hotMid;
  await world.record(
    "relayer",
    "execute",
    xFailure ? `refused: ${xFailure}` : `hot wallet received ${ethers.formatEther(received)} ETH`,
  );
  await world.advanceTo(late.eta);
  const lateFailure = await world.execute(late.p, attacker);
  await world.record("attacker", "execute the last drain", lateFailure ? `refused: ${lateFailure}` : "EXECUTED");

  const [vaultAfter, hotAfter] = [await world.balance(vaultAddress), await world.balance(hot)];
  const stolen = vaultBefore - vaultAfter - (hotAfter - hotBefore);
  const resumed =
    [councilFailure, applyFailure, wFailure, xFailure].every((f) => f === undefined) &&
    received === ethers.parseEther("100");
  const stalemateShown =
    [d1.failure, d2.failure, d3.failure, late.failure, veto1, veto2, veto3, recoveryFailure, thiefCancel].every(
      (f) => f === undefined,
    ) && [cancelInVault, cancelAsRecovery, theirsFailure, lateFailure].every((f) => f !== undefined);
  const observed = stolen > 0n ? "at-risk" : resumed && stalemateShown ? "delayed" : "frozen";
  const resumedAfter = resumedAt - lostAt;
  return world.finish({
    loss,
    observed,
    stolen,
    resumedAfter,
    summary:
      `funds safe: ${stolen === 0n ? "yes" : "NO"} (${ethers.formatEther(stolen)} ETH stolen); 4 drains vetoed or voided, the guardians' recovery cancelled by the thieves; ` +
      `the council replaced the signers and withdrawals resumed ${formatSpan(resumedAfter)} after the theft ` +
      `(council ${formatSpan(world.config.councilDelay)} + withdrawal ${formatSpan(world.config.withdrawalDelay)} + ${formatSpan(councilQueuedAt - lostAt)} to react)`,
  });
};
