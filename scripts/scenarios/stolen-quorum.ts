/**
 * Scenario 4 — stolen quorum (Bybit 2025, WazirX 2024): an attacker holds two of the three signer
 * keys, a signer quorum. It queues a drain to its own address; off the allowlist and over the
 * outflow limit, the drain waits the long delay, and one guardian vetoes it. It tries again; the
 * veto requirement has risen, two guardians veto. Meanwhile the honest keys (carol and the three
 * guardians: C = 4) queue a council change replacing alice and bob, which nobody can cancel; when it
 * executes, the stolen keys sign for nobody. Nothing leaves the vault.
 */
import type { NetworkConnection } from "hardhat/types/network";

import {
  cancellationProposal,
  compareAddresses,
  councilProposal,
  ETH,
  formatSpan,
  proposalDigest,
  readDelay,
  vetoProposal,
  type Proposal,
} from "../lib/index.js";
import { DEMO_VAULT, type Scenario, World } from "./world.js";

/** The guardians notice the drain and veto it this long after it was queued. */
export const GUARDIAN_REACTION = 60n * 60n;
/** The honest keys queue the council change this long after the theft. */
export const COUNCIL_REACTION = 3n * 60n * 60n;
/** The new signer set queues its first withdrawal this long after the council change executed. */
export const SIGNER_REACTION = 10n * 60n;
/** The reaction time T_r this scenario models: council queued within 3 h, first withdrawal 10 min after it, blocks' seconds. */
export const STOLEN_QUORUM_REACTION = 4n * 60n * 60n;

export const stolenQuorum: Scenario = async (connection: NetworkConnection, print?: (line: string) => void) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 4 — Stolen quorum (Bybit, WazirX): an attacker holds 2 of 3 signer keys",
    DEMO_VAULT,
    print,
  );
  const [alice, bob, carol] = world.signers as [typeof world.relayer, typeof world.relayer, typeof world.relayer];
  const [gina, gus, gwen] = world.guardians as [typeof world.relayer, typeof world.relayer, typeof world.relayer];
  const [newKey1, newKey2] = world.spares as [typeof world.relayer, typeof world.relayer];
  const { attacker, hotWallet } = world;
  const vaultAddress = await world.vault.getAddress();
  const vaultBefore = await world.balance(vaultAddress);
  const hotBefore = await world.balance(hotWallet.address);
  /** A step that should fail: its revert in words, or `unexpected`. */
  const refused = (failure: string | undefined, unexpected: string) =>
    failure === undefined ? unexpected : `refused: ${world.named(failure)}`;
  /** A step that should succeed: its revert in words if it did not. */
  const failed = (failure: string | undefined) =>
    failure === undefined ? undefined : `FAILED: ${world.named(failure)}`;

  const stolenAt = await world.now();
  await world.record(
    "attacker",
    "STEALS alice's and bob's keys",
    `holds 2 of 3 signer keys: a quorum (M = ${world.config.threshold})`,
  );

  /** The attacker's drain: 900 ETH to its own address, signed with the stolen keys, queued by itself. */
  const drain = async (): Promise<{ p: Proposal; failure?: string }> => {
    const p = await world.sign(await world.withdrawal(attacker.address, "900"), [alice, bob]);
    const failure = await world.submit(p, attacker);
    return failure === undefined ? { p } : { p, failure };
  };
  /** A veto of `p` signed by `guardians`, submitted by the relayer; then the drain's state and the next requirement. */
  const veto = async (p: Proposal, guardians: (typeof world.relayer)[]) => {
    const v = await world.sign(
      await vetoProposal(world.vault, world.module, proposalDigest(p), p.slot ?? 0n),
      guardians,
    );
    const failure = await world.submit(v);
    const { required } = await world.module.vetoRequirement();
    return { failure, state: (await world.state(p)).state, required };
  };

  // 1. The drain: the vault quotes the long delay before anyone signs (delayFor, the proposal's notes.delay).
  const amount = ethers.parseEther("900");
  const toAttacker = await readDelay(world.vault, { asset: ETH, to: attacker.address, amount });
  const toHotWallet = await readDelay(world.vault, { asset: ETH, to: hotWallet.address, amount });
  await world.record(
    "attacker",
    "delayFor(900 ETH → attacker)",
    `${formatSpan(toAttacker.delay)}: ${toAttacker.explanation}; even to the hot wallet ${formatSpan(toHotWallet.delay)}: ${toHotWallet.explanation}`,
  );
  const first = await drain();
  const firstQueued = await world.state(first.p);
  await world.record(
    "attacker",
    "queue 900 ETH → attacker (alice + bob sign)",
    failed(first.failure) ??
      `${firstQueued.state}, executable in ${formatSpan(firstQueued.eta - (await world.now()))} (quoted: ${first.p.notes.delay?.reason ?? "?"})`,
  );

  // 2. One guardian is enough for the first veto.
  await world.advance(GUARDIAN_REACTION);
  const requiredFirst = (await world.module.vetoRequirement()).required;
  const veto1 = await veto(first.p, [gina]);
  await world.record(
    "gina",
    `veto the drain (requirement: ${requiredFirst} guardian)`,
    failed(veto1.failure) ?? `drain ${veto1.state}; next veto needs ${veto1.required} guardians`,
  );

  // 3. The attacker tries again; one guardian no longer suffices, two do.
  await world.advance(GUARDIAN_REACTION);
  const second = await drain();
  const secondQueued = await world.state(second.p);
  await world.record(
    "attacker",
    "queue 900 ETH → attacker again",
    failed(second.failure) ??
      `${secondQueued.state}, executable in ${formatSpan(secondQueued.eta - (await world.now()))}`,
  );
  await world.advance(15n * 60n);
  const lone = await veto(second.p, [gina]);
  await world.record("gina", "veto it alone", refused(lone.failure, "vetoed (unexpected)"));
  const veto2 = await veto(second.p, [gina, gus]);
  await world.record(
    "gina, gus",
    "veto it together",
    failed(veto2.failure) ?? `drain ${veto2.state}; next veto needs ${veto2.required} guardians`,
  );

  // 4. The honest keys — carol and the three guardians, C of them — replace alice and bob.
  await world.advanceTo(stolenAt + COUNCIL_REACTION);
  let council = await councilProposal(world.vault, world.module, {
    signers: [carol.address, newKey1.address, newKey2.address],
    threshold: 2n,
    guardians: [],
    guardianThreshold: 0n,
    councilThreshold: BigInt(world.config.councilThreshold),
  });
  council = await world.sign(council, [carol, gina, gus, gwen]);
  const councilFailure = await world.submit(council);
  const { councilEta } = await world.module.pending();
  await world.record(
    "honest keys",
    "council: replace alice, bob by new keys 1, 2",
    failed(councilFailure) ??
      `${council.signatures.length} of C = ${world.config.councilThreshold} signed (carol, gina, gus, gwen); ` +
        `queued, executable in ${formatSpan(councilEta - (await world.now()))} (council delay)`,
  );

  // 5. The attacker's quorum cancels vault operations, but the council change is not one.
  await world.advance(30n * 60n);
  const councilId = proposalDigest(council);
  const cancel = await world.sign(await cancellationProposal(world.vault, councilId, 0n), [alice, bob]);
  const cancelFailure = await world.submit(cancel, attacker);
  await world.record(
    "attacker",
    "cancel the council change (alice + bob sign)",
    refused(cancelFailure, "cancelled (the council failed!)"),
  );
  const stillQueued = (await world.module.pending()).councilQueued;

  // 6. After the council delay anyone executes it.
  await world.advanceTo(councilEta);
  const applyFailure = councilFailure ?? (await world.execute(council));
  const signers = [...(await world.vault.signers())];
  await world.record(
    "relayer",
    "execute the council change",
    failed(applyFailure) ??
      `signers: ${signers
        .map((s) => world.name(s))
        .sort()
        .join(", ")} (epoch ${(await world.vault.configuration()).epoch})`,
  );

  // 7. The stolen keys are useless: the attacker's own file still lists them as the quorum.
  const oldQuorum = { keys: [alice.address, bob.address].sort(compareAddresses), threshold: 2 };
  const third = await world.withdrawal(attacker.address, "900");
  const thirdSigned = await world.sign({ ...third, quorum: oldQuorum }, [alice, bob]);
  const thirdFailure = await world.submit(thirdSigned, attacker);
  await world.record(
    "attacker",
    "queue 900 ETH → attacker with the old keys",
    refused(thirdFailure, "queued (the stolen keys still work!)"),
  );
  const vaultAfterAttack = await world.balance(vaultAddress);
  await world.record(
    "vault",
    "balance",
    `${ethers.formatEther(vaultAfterAttack)} ETH (before the theft: ${ethers.formatEther(vaultBefore)} ETH)`,
  );

  // 8. Control restored: the new signer set withdraws at the ordinary delay (a council change starts no cool-off).
  await world.advance(SIGNER_REACTION);
  const honest = await world.sign(await world.withdrawal(hotWallet.address, "100"), [carol, newKey1]);
  const honestFailure = await world.submit(honest);
  const honestQueued = await world.state(honest);
  await world.record(
    "carol, new key 1",
    "sign 100 ETH → hot wallet, queue",
    failed(honestFailure) ??
      `${honestQueued.state}, executable in ${formatSpan(honestQueued.eta - (await world.now()))}: ${honest.notes.delay?.reason ?? "?"}`,
  );
  await world.advanceTo(honestQueued.eta);
  const honestExecuteFailure = honestFailure ?? (await world.execute(honest));
  const resumedAt = await world.now();
  const received = (await world.balance(hotWallet.address)) - hotBefore;
  await world.record(
    "relayer",
    "execute it",
    failed(honestExecuteFailure) ?? `hot wallet received ${ethers.formatEther(received)} ETH`,
  );

  const stolen = vaultBefore - (await world.balance(vaultAddress)) - received;
  const restored = applyFailure === undefined && thirdFailure !== undefined && honestExecuteFailure === undefined;
  const resumedAfter = restored ? resumedAt - stolenAt : undefined;
  const bound = world.config.councilDelay + world.config.withdrawalDelay;
  return world.finish({
    loss: { lostSigners: 0, compromisedSigners: 2, lostGuardians: 0, compromisedGuardians: 0 },
    observed: stolen === 0n && restored && stillQueued ? "delayed" : "at-risk",
    stolen,
    ...(resumedAfter === undefined ? {} : { resumedAfter }),
    summary:
      `funds safe: ${stolen === 0n ? "yes" : `NO, ${ethers.formatEther(stolen)} ETH stolen`} (vault ${ethers.formatEther(vaultBefore)} ETH before the theft, ` +
      `${ethers.formatEther(vaultAfterAttack)} ETH after the attack); ` +
      (resumedAfter === undefined
        ? "control NOT restored"
        : `control restored by the council; honest withdrawals again ${formatSpan(resumedAfter)} after the theft ` +
          `(bound council ${formatSpan(world.config.councilDelay)} + withdrawal ${formatSpan(world.config.withdrawalDelay)} + T_r ${formatSpan(STOLEN_QUORUM_REACTION)}: ` +
          `${resumedAfter <= bound + STOLEN_QUORUM_REACTION ? "within" : "EXCEEDED"})`),
  });
};
