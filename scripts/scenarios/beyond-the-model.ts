/**
 * Scenario 7 — beyond the model: what a 2-of-3 signer / 2-of-3 guardian vault (council C = 4)
 * cannot survive, played out so nobody has to take the analysis' word for it.
 *
 *   (a) Two signers and two guardians lost: two keys remain, no quorum of any kind — frozen for good.
 *   (b) An attacker holds C = 4 keys (two signers, two guardians): its council change cannot be
 *       cancelled or vetoed; after the council delay it owns the vault and drains it.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import {
  cancellationProposal,
  ConfigAction,
  configChangeProposal,
  councilProposal,
  formatSpan,
  freezeProposal,
  proposalDigest,
  recoveryProposal,
  vetoProposal,
  DAY,
} from "../lib/index.js";
import { DEMO_VAULT, type Scenario, World } from "./world.js";

type Key = HardhatEthersSigner;

/** (a) Two signers and two guardians lost: carol and gwen are all that is left, and 2 < M, K, C. */
export const beyondFrozen: Scenario = async (connection, print) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 7a — Beyond the model: 2 signers and 2 guardians lost",
    DEMO_VAULT,
    print,
  );
  const [alice, , carol] = world.signers as [Key, Key, Key];
  const [, , gwen] = world.guardians as [Key, Key, Key];
  const [new1, new2, new3, new4] = world.spares as [Key, Key, Key, Key];
  const vaultAddress = await world.vault.getAddress();
  const vaultBefore = await world.balance(vaultAddress);
  const loss = { lostSigners: 2, compromisedSigners: 0, lostGuardians: 2, compromisedGuardians: 0 };

  await world.record("4 of 6 keys", "LOST: alice, bob, gina, gus", "2 keys left (carol, gwen): M = 2, K = 2, C = 4");
  const attempts: (string | undefined)[] = [];
  const attempt = async (actor: string, action: string, failure: string | undefined) => {
    attempts.push(failure);
    await world.record(actor, action, failure ? `refused: ${failure}` : "ACCEPTED");
  };

  const w = await world.sign(await world.withdrawal(world.hotWallet.address, "100"), [carol]);
  await attempt("carol", "queue 100 ETH → hot wallet, alone", await world.submit(w));
  const replace = await world.sign(
    await configChangeProposal(world.vault, {
      action: ConfigAction.ReplaceSigner,
      account: alice.address,
      replacement: new1.address,
    }),
    [carol],
  );
  await attempt("carol", "replaceSigner(alice → new key 1), alone", await world.submit(replace));
  const recovery = await world.sign(
    await recoveryProposal(world.vault, world.module, [carol.address, new1.address, new2.address], 2n),
    [gwen],
  );
  await attempt("gwen", "recovery: signers → carol, new key 1, 2", await world.submit(recovery));
  const council = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [carol.address, new1.address, new2.address],
      threshold: 2n,
      guardians: [gwen.address, new3.address, new4.address],
      guardianThreshold: 2n,
      councilThreshold: 4n,
    }),
    [carol, gwen],
  );
  await attempt("carol, gwen", "council: replace every lost key", await world.submit(council));

  await world.advance(90n * DAY);
  const left = await world.balance(vaultAddress);
  await world.record(
    "vault",
    "three months later",
    `${ethers.formatEther(left)} ETH still in the vault; no quorum of any kind can ever form`,
  );
  // Nothing decays into a quorum: the same council change, months on, is refused just the same.
  await attempt("carol, gwen", "the council change again", await world.submit(council));

  const stolen = vaultBefore - left;
  const allRefused = attempts.every((f) => f !== undefined);
  return world.finish({
    loss,
    observed: stolen > 0n ? "at-risk" : allRefused ? "frozen" : "delayed",
    stolen,
    summary: `funds safe from theft but out of reach: ${ethers.formatEther(left)} ETH frozen for good — every quorum (signers 2, guardians 2, council 4) needs more than the 2 keys left`,
  });
};

/** (b) An attacker holds alice, bob, gina and gus: 4 = C keys. Its council change is final. */
export const beyondCouncilTheft: Scenario = async (connection, print) => {
  const { ethers } = connection;
  const world = await World.create(
    connection,
    "Scenario 7b — Beyond the model: an attacker holds C = 4 keys",
    DEMO_VAULT,
    print,
  );
  const [alice, bob, carol] = world.signers as [Key, Key, Key];
  const [gina, gus, gwen] = world.guardians as [Key, Key, Key];
  const attacker = world.attacker;
  const stolenKeys = [alice, bob, gina, gus];
  const vaultAddress = await world.vault.getAddress();
  const [vaultBefore, hotBefore] = [await world.balance(vaultAddress), await world.balance(world.hotWallet.address)];
  const loss = { lostSigners: 0, compromisedSigners: 2, lostGuardians: 0, compromisedGuardians: 2 };

  await world.record("attacker", "STEALS alice, bob, gina, gus (4 = C)", "only carol and gwen honest");

  // The attacker makes itself the only signer (M = 1) and keeps its two guardian keys (K = 1, C = 2).
  const takeover = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [attacker.address],
      threshold: 1n,
      guardians: [gina.address, gus.address],
      guardianThreshold: 1n,
      councilThreshold: 2n,
    }),
    stolenKeys,
  );
  const takeoverFailure = await world.submit(takeover, attacker);
  const { councilEta } = await world.module.pending();
  await world.record(
    "attacker",
    "council: signers → attacker; drop gwen",
    takeoverFailure
      ? `refused: ${takeoverFailure}`
      : `signed by its 4 keys; queued, executable in ${formatSpan(councilEta - (await world.now()))} (M 1; guardians gina, gus, K 1; C 2)`,
  );

  // The honest keys try everything they have.
  const takeoverId = proposalDigest(takeover);
  const defences: (string | undefined)[] = [];
  const defend = async (actor: string, action: string, failure: string | undefined) => {
    defences.push(failure);
    await world.record(actor, action, failure ? `refused: ${failure}` : "ACCEPTED");
  };
  await defend(
    "carol",
    "cancel it (vault cancellation)",
    await world.submit(await world.sign(await cancellationProposal(world.vault, takeoverId, 0n), [carol])),
  );
  await defend("carol", "cancel it as a recovery (module)", await world.cancelRecovery(takeoverId, [carol]));
  await defend(
    "gwen",
    "veto it",
    await world.submit(await world.sign(await vetoProposal(world.vault, world.module, takeoverId, 0n), [gwen])),
  );
  await defend(
    "gwen",
    "freeze withdrawals",
    await world.submit(await world.sign(await freezeProposal(world.vault, world.module), [gwen])),
  );
  const counter = await world.sign(
    await councilProposal(world.vault, world.module, {
      signers: [carol.address, ...world.spares.slice(0, 2).map((k) => k.address)],
      threshold: 2n,
      guardians: [gwen.address, ...world.spares.slice(2, 4).map((k) => k.address)],
      guardianThreshold: 2n,
      councilThreshold: 4n,
    }),
    [carol, gwen],
  );
  await defend("carol, gwen", "supersede it with their own council change", await world.submit(counter));

  await world.advanceTo(councilEta);
  const applyFailure = await world.execute(takeover, attacker);
  const [signers, guardians] = [await world.vault.signers(), await world.module.guardians()];
  await world.record(
    "attacker",
    "execute the council change",
    applyFailure
      ? `refused: ${applyFailure}`
      : `signers: ${[...signers].map((s) => world.name(s)).join(", ")}; guardians: ${[...guardians].map((g) => world.name(g)).join(", ")}`,
  );

  // The drain: everything, to the attacker, at the long delay; gwen is no guardian any more.
  const drain = await world.sign(
    await world.withdrawal(attacker.address, ethers.formatEther(await world.balance(vaultAddress))),
    [attacker],
  );
  const drainFailure = await world.submit(drain, attacker);
  const { eta } = await world.state(drain);
  await world.record(
    "attacker",
    "queue everything → attacker",
    drainFailure ? `refused: ${drainFailure}` : `queued, executable in ${formatSpan(eta - (await world.now()))}`,
  );
  // gwen's own file (the tool would refuse her: she is no guardian now) lists her key; the chain checks.
  const gwenVeto = await vetoProposal(world.vault, world.module, proposalDigest(drain), drain.slot!);
  const vetoFailure = await world.submit(
    await world.sign({ ...gwenVeto, quorum: { ...gwenVeto.quorum, keys: [...gwenVeto.quorum.keys, gwen.address] } }, [
      gwen,
    ]),
  );
  await defend("gwen", "veto the drain", vetoFailure);
  await world.advanceTo(eta);
  const [vaultBeforeDrain, attackerBeforeDrain] = [
    await world.balance(vaultAddress),
    await world.balance(attacker.address),
  ];
  const executeFailure = await world.execute(drain);
  const [vaultAfter, attackerAfter, hotAfter] = [
    await world.balance(vaultAddress),
    await world.balance(attacker.address),
    await world.balance(world.hotWallet.address),
  ];
  const stolen = vaultBefore - vaultAfter - (hotAfter - hotBefore);
  await world.record(
    "attacker",
    "execute the drain",
    executeFailure
      ? `refused: ${executeFailure}`
      : `${ethers.formatEther(vaultBeforeDrain - vaultAfter)} ETH left the vault (balance now ${ethers.formatEther(vaultAfter)}); the attacker received ${ethers.formatEther(attackerAfter - attackerBeforeDrain)} ETH`,
  );

  const defeated = defences.every((f) => f !== undefined);
  return world.finish({
    loss,
    observed: stolen > 0n ? "at-risk" : defeated ? "frozen" : "delayed",
    stolen,
    summary: `funds LOST: ${ethers.formatEther(stolen)} ETH drained ${formatSpan((await world.now()) - world.timeline.start)} after the theft (council ${formatSpan(world.config.councilDelay)} + long delay ${formatSpan(world.config.longDelay)}); with C = 4 keys the attacker is the council, and nothing the 2 honest keys hold can stop it`,
  });
};

/** Scenario 7, both parts. */
export const beyondTheModel: Scenario[] = [beyondFrozen, beyondCouncilTheft];
