/**
 * Scenario 3 — below threshold: a 2-of-3 vault loses two signer keys at once, so no signer quorum
 * exists any more. The one remaining signer cannot withdraw alone; two of the three guardians
 * recover the vault to a new signer set (the remaining signer and two new keys), which waits the
 * recovery delay; the first withdrawal afterwards waits the long delay (the cool-off) and executes.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { formatSpan, recoveryProposal } from "../lib/index.js";
import { DEMO_VAULT, type Scenario, World } from "./world.js";

/** The guardians notice the loss and queue the recovery this long after it. */
export const GUARDIAN_REACTION = 50n * 60n;
/** The new signers queue their first withdrawal this long after the recovery executed. */
export const SIGNER_REACTION = 5n * 60n;
/**
 * The reaction time T_r this scenario models: the honest keys' own delays (guardians and new
 * signers, 55 min) plus the seconds the blocks take, within one hour.
 */
export const BELOW_THRESHOLD_REACTION = 60n * 60n;

export const belowThreshold: Scenario = async (connection: NetworkConnection, print?: (line: string) => void) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 3 — Below threshold: two of three signers lost, the guardians recover",
    DEMO_VAULT,
    print,
  );
  const [, , carol] = world.signers as [typeof world.relayer, typeof world.relayer, typeof world.relayer];
  const [gina, gus] = world.guardians as [typeof world.relayer, typeof world.relayer];
  const [newKey1, newKey2] = world.spares as [typeof world.relayer, typeof world.relayer];
  const hot = world.hotWallet.address;
  const vaultAddress = await world.vault.getAddress();
  const vaultBefore = await world.balance(vaultAddress);
  /** A step that should fail: its revert in words, or `unexpected`. */
  const refused = (failure: string | undefined, unexpected: string) =>
    failure === undefined ? unexpected : `refused: ${world.named(failure)}`;
  /** A step that should succeed: its revert in words if it did not. */
  const failed = (failure: string | undefined) =>
    failure === undefined ? undefined : `FAILED: ${world.named(failure)}`;

  const lostAt = await world.now();
  await world.record(
    "alice, bob",
    "LOST: both keys destroyed in one incident",
    "1 signer left (carol); threshold 2: no quorum",
  );

  // carol alone: the proposal is fine, one signature is not a quorum.
  let stuck = await world.withdrawal(hot, "100");
  stuck = await world.sign(stuck, [carol]);
  const stuckFailure = await world.submit(stuck);
  await world.record("carol", "sign 100 ETH → hot wallet alone, queue", refused(stuckFailure, "queued (unexpected)"));

  // The guardians notice and queue a recovery to carol and two new keys, 2-of-3.
  await world.advanceTo(lostAt + GUARDIAN_REACTION);
  let recovery = await recoveryProposal(
    world.vault,
    world.module,
    [carol.address, newKey1.address, newKey2.address],
    2n,
  );
  recovery = await world.sign(recovery, [gina, gus]);
  const recoveryFailure = await world.submit(recovery);
  const { recoveryEta } = await world.module.pending();
  await world.record(
    "gina, gus",
    "recover to carol, new key 1, new key 2",
    failed(recoveryFailure) ??
      `threshold 2; queued, executable in ${formatSpan(recoveryEta - (await world.now()))} (recovery delay)`,
  );

  await world.advanceTo(recoveryEta - 3_600n);
  const earlyFailure = await world.execute(recovery);
  await world.record("relayer", "execute the recovery 1 h early", refused(earlyFailure, "executed (unexpected)"));

  await world.advanceTo(recoveryEta);
  const executeFailure = await world.execute(recovery);
  const signers = await world.vault.signers();
  const [, coolOffUntil] = await world.vault.timings();
  await world.record(
    "relayer",
    "execute the recovery (anyone may)",
    failed(executeFailure) ??
      `signers: ${[...signers]
        .map((s) => world.name(s))
        .sort()
        .join(", ")}, epoch ${(await world.vault.configuration()).epoch}; ` +
        `cool-off for ${formatSpan(coolOffUntil - (await world.now()))}`,
  );

  // The first withdrawal of the new signer set: queued during the cool-off, it waits the long delay.
  await world.advance(SIGNER_REACTION);
  let first = await world.withdrawal(hot, "100");
  const quoted = first.notes.delay;
  first = await world.sign(first, [carol, newKey1]);
  const firstFailure = await world.submit(first);
  const firstQueued = await world.state(first);
  await world.record(
    "carol, new key 1",
    "sign 100 ETH → hot wallet, queue",
    failed(firstFailure) ??
      `${firstQueued.state}, executable in ${formatSpan(firstQueued.eta - (await world.now()))}: ${quoted?.reason ?? "?"}`,
  );
  await world.advanceTo(firstQueued.eta);
  const before = await world.balance(hot);
  const firstExecuteFailure = firstFailure ?? (await world.execute(first));
  const received = (await world.balance(hot)) - before;
  const resumedAt = await world.now();
  await world.record(
    "relayer",
    "execute the first withdrawal",
    failed(firstExecuteFailure) ?? `hot wallet received ${ethers.formatEther(received)} ETH`,
  );

  const resumed =
    recoveryFailure === undefined && executeFailure === undefined && firstExecuteFailure === undefined && received > 0n;
  const outflow = vaultBefore - (await world.balance(vaultAddress));
  const stolen = outflow - received;
  const resumedAfter = resumed ? resumedAt - lostAt : undefined;
  const bound = world.config.recoveryDelay + world.config.longDelay;
  return world.finish({
    loss: { lostSigners: 2, compromisedSigners: 0, lostGuardians: 0, compromisedGuardians: 0 },
    observed: resumed ? "delayed" : "frozen",
    stolen,
    ...(resumedAfter === undefined ? {} : { resumedAfter }),
    summary: resumed
      ? `funds safe: ${stolen === 0n ? "yes" : "NO"}; withdrawals possible again ${formatSpan(resumedAfter!)} after the loss ` +
        `(recovery ${formatSpan(world.config.recoveryDelay)} + cool-off long delay ${formatSpan(world.config.longDelay)} + reaction; ` +
        `bound ${formatSpan(bound)} + T_r ${formatSpan(BELOW_THRESHOLD_REACTION)}: ${resumedAfter! <= bound + BELOW_THRESHOLD_REACTION ? "within" : "EXCEEDED"})`
      : `withdrawals did not resume: ${world.named(recoveryFailure ?? executeFailure ?? firstExecuteFailure ?? "nothing received")}`,
  });
};
