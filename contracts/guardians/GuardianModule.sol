// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

// block.timestamp is the timelock's clock here (etas, execution windows, freezes, outflow
// periods), compared against delays of at least a minute and never used as randomness; the few
// seconds a block producer can shift it cannot matter at that scale (docs/AUDIT.md, Lint).
// solhint-disable not-rely-on-time

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IGuardianModule, IVaultHooks} from "../interfaces/IGuardianModule.sol";
import {
    ConfigAction,
    ConfigChange,
    CouncilChange,
    Heartbeat,
    IReserveVaultErrors,
    IReserveVaultEvents,
    Recovery
} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {OperationHashing} from "../libraries/OperationHashing.sol";
import {QueueRecord, QueueRecordLib} from "../libraries/QueueRecord.sol";
import {SignatureSet} from "../libraries/SignatureSet.sol";
import {guardianSalt} from "../base/VaultState.sol";

/// @title GuardianModule — the vault's second group of keys.
/// @notice Guardians (G keys, threshold K) veto queued operations at a rate-limited pace, freeze
///         withdrawals for a bounded time, and recover the vault when signer keys are lost; the
///         council (signers and guardians together, threshold C) replaces either group and ends a
///         stalemate; every key can prove it is alive. See docs/SPEC.md §6.
/// @dev Deployed first, then bound to its ReserveVault by the vault's constructor ({bindVault}):
///      the vault accepts hooks (veto, freeze, signer replacement) only from this module, and this
///      module accepts guardian configuration changes only from the vault, which validated and
///      timelocked them. A separate contract because vault and guardians together exceed the
///      24 KB code limit (and the 48 KB initcode limit if one deployed the other). It
///      holds no funds and makes no call other than the vault's hooks and views. Approvals are
///      EIP-712 signatures (domain "ReserveVaultGuardians") that anyone submits; a member who
///      submits counts as one approval.
contract GuardianModule is IGuardianModule, IReserveVaultErrors, IReserveVaultEvents, EIP712 {
    /// @dev Guardians, council, veto rate limit, freeze and recovery bookkeeping (one slot).
    struct GuardianState {
        uint32 guardianEpoch; //    bumped by every change of the guardian set or its threshold
        uint8 guardianThreshold; // K
        uint8 guardianCount; //     G
        uint8 councilThreshold; //  C
        uint8 vetoLevel; //         vetoes in the current streak, decaying (see vetoRequirement)
        uint40 lastVetoAt;
        uint40 nextFreezeAt; //     a new freeze cannot start before this (cooldown)
        uint32 freezeCount; //      freezes started so far: the next freeze's nonce
        uint32 recoveryNonce; //    next recovery nonce
        uint32 councilNonce; //     next council-change nonce
    }

    /// @notice The vault this module guards (set once, by the vault's constructor).
    /// @dev Write-once but not immutable (the module is deployed before its vault), hence named like
    ///      the vault's immutable GUARDIANS(); the getter VAULT() is part of the module's ABI (tests,
    ///      docs/SPEC.md §8, docs/THREAT_MODEL.md), so var-name-mixedcase is disabled for it.
    IVaultHooks public VAULT; // solhint-disable-line var-name-mixedcase

    GuardianState private _state;
    /// @dev The pending (or last) recovery and council change, at most one of each: the record
    ///      (prefix, eta, window) and the full id, for events and views.
    QueueRecord private _recovery;
    QueueRecord private _councilChange;
    bytes32 private _recoveryId;
    bytes32 private _councilChangeId;
    /// @dev When each signer or guardian last proved it holds its key.
    mapping(address key => uint40 at) private _lastSeen;
    /// @dev Next nonce of a guardian tightening: the guardians' own lane, so that their tightenings
    ///      never consume (and so never void) the signers' configuration nonces.
    uint32 private _tighteningNonce;

    modifier onlyVault() {
        if (msg.sender != address(VAULT)) revert CallerNotVault(msg.sender);
        _;
    }

    /// @notice Deploys the module with its guardians; the vault's constructor binds it afterwards.
    /// @param sortedGuardians Guardians, strictly ascending, non-zero.
    /// @param guardianThreshold K, 1 <= K <= G.
    /// @param councilThreshold C; the vault's constructor checks it against its signers.
    constructor(address[] memory sortedGuardians, uint256 guardianThreshold, uint256 councilThreshold)
        EIP712("ReserveVaultGuardians", "1")
    {
        MembershipRules.checkNewSet(sortedGuardians, "", false);
        uint256 g = sortedGuardians.length;
        if (g == 0 || g > MembershipRules.MAX_GUARDIANS) revert GuardianCountOutOfRange(g, MembershipRules.MAX_GUARDIANS);
        if (guardianThreshold == 0 || guardianThreshold > g) revert GuardianThresholdOutOfRange(guardianThreshold, g);
        if (councilThreshold > type(uint8).max) revert CouncilThresholdOutOfRange(councilThreshold, 0, type(uint8).max);
        _writeGuardians(sortedGuardians, guardianThreshold);
        _state.councilThreshold = uint8(councilThreshold);
        emit CouncilThresholdChanged(0, councilThreshold);
    }

    /// @inheritdoc IGuardianModule
    function bindVault() external {
        if (address(VAULT) != address(0)) revert CallerNotVault(msg.sender);
        VAULT = IVaultHooks(msg.sender);
        emit VaultBound(msg.sender);
    }

    /// @inheritdoc IGuardianModule
    function setCouncilThreshold(uint256 councilThreshold) external onlyVault {
        emit CouncilThresholdChanged(_state.councilThreshold, councilThreshold);
        // Cast is safe: the vault checked C <= N + G <= 64.
        _state.councilThreshold = uint8(councilThreshold);
    }

    // =========================================================================================
    // Veto
    // =========================================================================================

    /// @notice Guardians cancel an operation queued in the vault before it executes.
    /// @dev A veto needs `min(G, 1 + level)` guardian approvals, where `level` rises by one with
    ///      each veto and falls by one per `vetoQuietPeriod` without one ({vetoRequirement}): a
    ///      single guardian can veto one operation, then must wait. Works during a freeze; cannot
    ///      touch a recovery or a council change. Requirements: `id` queued in the vault's `slot`,
    ///      deadline not passed; approvals over `Veto(operation, guardianEpoch)` >= required.
    /// Emits {OperationVetoed} and {VetoLevelChanged} (the vault emits {OperationCancelled}).
    /// @param id The id of the operation to veto.
    /// @param slot The vault's queue slot that holds it.
    /// @param signatures Guardian signatures over `Veto(operation, guardianEpoch)`, strictly ascending (the caller, if a guardian, counts without one).
    function veto(bytes32 id, uint256 slot, bytes calldata signatures) external {
        GuardianState memory g = _state;
        bytes32 digest = _hashTypedDataV4(OperationHashing.hashVeto(id, g.guardianEpoch));
        uint256 approvals = SignatureSet.countWithCaller(digest, signatures, _guardians(g), msg.sender);
        (uint256 level, uint256 required) = _vetoRequirement(g);
        if (approvals < required) revert VetoThresholdNotMet(required, approvals);
        // The level saturates at G: beyond it the requirement no longer changes.
        uint256 newLevel = level < g.guardianCount ? level + 1 : level;
        _state.vetoLevel = uint8(newLevel);
        _state.lastVetoAt = uint40(block.timestamp);
        emit VetoLevelChanged(level, newLevel);
        emit OperationVetoed(id, slot, approvals, required);
        VAULT.guardianVeto(id, slot);
    }

    /// @notice The veto level after decay, and the guardian approvals the next veto needs.
    /// @return level The veto level after decay.
    /// @return required The guardian approvals the next veto needs.
    function vetoRequirement() external view returns (uint256 level, uint256 required) {
        return _vetoRequirement(_state);
    }

    function _vetoRequirement(GuardianState memory g) private view returns (uint256 level, uint256 required) {
        (,,,,, uint256 quietPeriod) = VAULT.guardianTimings();
        uint256 decayed = (block.timestamp - g.lastVetoAt) / quietPeriod;
        level = g.vetoLevel > decayed ? g.vetoLevel - decayed : 0;
        required = 1 + level < g.guardianCount ? 1 + level : g.guardianCount;
    }

    // =========================================================================================
    // Freeze
    // =========================================================================================

    /// @notice The guardian quorum stops every withdrawal execution for `maxFreeze`.
    /// @dev The freeze ends by itself; the next cannot start before `freezeCooldown` after it ends.
    ///      It never blocks queueing, cancellation, veto, recovery or the council. Requirements:
    ///      cooldown over; K approvals over `Freeze(nonce, guardianEpoch)`, nonce = freezes so far.
    /// Emits a {Frozen} event.
    /// @param signatures Guardian signatures over `Freeze(nonce, guardianEpoch)`, strictly ascending (the caller, if a guardian, counts without one).
    function freeze(bytes calldata signatures) external {
        GuardianState memory g = _state;
        if (block.timestamp < g.nextFreezeAt) revert FreezeCoolingDown(g.nextFreezeAt);
        bytes32 digest = _hashTypedDataV4(OperationHashing.hashFreeze(g.freezeCount, g.guardianEpoch));
        uint256 approvals = SignatureSet.countWithCaller(digest, signatures, _guardians(g), msg.sender);
        if (approvals < g.guardianThreshold) revert ThresholdNotMet(g.guardianThreshold, approvals);
        (,,, uint256 maxFreeze, uint256 cooldown,) = VAULT.guardianTimings();
        uint256 until = block.timestamp + maxFreeze;
        uint256 next = until + cooldown;
        // Casts are safe: timestamps plus delays of at most 30 days stay far below 2^40.
        _state.nextFreezeAt = uint40(next);
        _state.freezeCount = g.freezeCount + 1;
        emit Frozen(until, next, approvals);
        VAULT.guardianSetFrozenUntil(until);
    }

    /// @notice The signer quorum lifts the current freeze early; the cooldown restarts now.
    /// @dev Requirements: withdrawals frozen; M signer approvals over `Unfreeze(nonce, epoch)`,
    ///      nonce = the current freeze's (freezes so far - 1).
    /// Emits an {Unfrozen} event.
    /// @param signatures Signer signatures over `Unfreeze(nonce, epoch)`, strictly ascending (the caller, if a signer, counts without one).
    function unfreeze(bytes calldata signatures) external {
        if (block.timestamp >= VAULT.frozenUntil()) revert NotFrozen();
        GuardianState memory g = _state;
        (uint32 epoch, uint256 threshold) = _signerQuorum();
        bytes32 digest = _hashTypedDataV4(OperationHashing.hashUnfreeze(g.freezeCount - 1, epoch));
        uint256 approvals = SignatureSet.countWithCaller(digest, signatures, _signerMembers(), msg.sender);
        if (approvals < threshold) revert ThresholdNotMet(threshold, approvals);
        (,,,, uint256 cooldown,) = VAULT.guardianTimings();
        _state.nextFreezeAt = uint40(block.timestamp + cooldown);
        emit Unfrozen(block.timestamp);
        VAULT.guardianSetFrozenUntil(block.timestamp);
    }

    // =========================================================================================
    // Recovery
    // =========================================================================================

    /// @notice The guardian quorum proposes a new signer set and threshold (the OKEx case); anyone
    ///         executes it after `recoveryDelay`; the signer quorum can cancel it before.
    /// @dev Requirements: `r.guardianEpoch` current, `r.nonce` the next recovery nonce, no other
    ///      recovery pending, the resulting configuration valid, K approvals over the Recovery.
    /// Emits a {RecoveryQueued} event.
    /// @param r The recovery: new signers (strictly ascending), threshold, nonce and guardian epoch.
    /// @param signatures Guardian signatures over the recovery, strictly ascending (the caller, if a guardian, counts without one).
    /// @return id The recovery's id (its EIP-712 digest in this module's domain).
    function queueRecovery(Recovery calldata r, bytes calldata signatures) external returns (bytes32 id) {
        GuardianState memory g = _state;
        if (r.guardianEpoch != g.guardianEpoch) revert GuardianEpochMismatch(r.guardianEpoch, g.guardianEpoch);
        if (r.nonce != g.recoveryNonce) revert NonceMismatch(r.nonce, g.recoveryNonce);
        QueueRecord previous = _recovery;
        if (previous.isQueued() && block.timestamp <= previous.deadline()) {
            revert RecoveryAlreadyPending(_recoveryId);
        }
        _checkRecovery(r, g);
        id = _hashTypedDataV4(OperationHashing.hash(r));
        uint256 approvals = SignatureSet.countWithCaller(id, signatures, _guardians(g), msg.sender);
        if (approvals < g.guardianThreshold) revert ThresholdNotMet(g.guardianThreshold, approvals);
        _state.recoveryNonce = g.recoveryNonce + 1;
        (, uint256 recoveryDelay,,,,) = VAULT.guardianTimings();
        uint256 eta = block.timestamp + recoveryDelay;
        _recovery = QueueRecordLib.queued(id, SafeCast.toUint40(eta), uint24(_executionWindow()), false);
        _recoveryId = id;
        emit RecoveryQueued(id, r.signers, r.threshold, eta);
    }

    /// @notice Executes the queued recovery: the vault's signers are replaced, its epoch advances
    ///         (every pending operation dies), and a cool-off starts during which new withdrawals
    ///         wait the long delay.
    /// @dev Requirements: `r` is the pending recovery; eta reached; window open; still valid.
    /// Emits {RecoveryExecuted} (and the vault its membership events).
    /// @param r The pending recovery.
    function executeRecovery(Recovery calldata r) external {
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(r));
        QueueRecord record = _recovery;
        if (!record.holds(id) || !record.isQueued()) revert RecoveryNotQueued(id);
        _checkWindow(id, record);
        GuardianState memory g = _state;
        if (r.guardianEpoch != g.guardianEpoch) revert GuardianEpochMismatch(r.guardianEpoch, g.guardianEpoch);
        uint256 council = _checkRecovery(r, g);
        _recovery = record.closed(QueueRecordLib.EXECUTED);
        if (council != g.councilThreshold) {
            emit CouncilThresholdChanged(g.councilThreshold, council);
            _state.councilThreshold = uint8(council);
        }
        (uint256 coolOff,,,,,) = VAULT.guardianTimings();
        uint256 coolOffUntil = block.timestamp + coolOff;
        emit RecoveryExecuted(id, coolOffUntil);
        VAULT.guardianReplaceSigners(r.signers, r.threshold, coolOffUntil);
    }

    /// @notice The signer quorum cancels the pending recovery `id`, with M signatures over
    ///         `Cancellation(operation, epoch)` in this module's domain (plus the caller if a signer).
    /// @dev Requirements: `id` is the pending recovery (queued, not executed); M approvals.
    /// Emits a {RecoveryCancelled} event.
    /// @param id The pending recovery's id.
    /// @param signatures Signer signatures over `Cancellation(id, epoch)` in this module's domain, strictly ascending (the caller, if a signer, counts without one).
    function cancelRecovery(bytes32 id, bytes calldata signatures) external {
        QueueRecord record = _recovery;
        if (!record.holds(id) || !record.isQueued()) revert RecoveryNotQueued(id);
        (uint32 epoch, uint256 threshold) = _signerQuorum();
        bytes32 digest = _hashTypedDataV4(OperationHashing.hashCancellation(id, epoch));
        uint256 approvals = SignatureSet.countWithCaller(digest, signatures, _signerMembers(), msg.sender);
        if (approvals < threshold) revert ThresholdNotMet(threshold, approvals);
        _recovery = record.closed(QueueRecordLib.CANCELLED);
        emit RecoveryCancelled(id);
    }

    /// @notice The id (EIP-712 digest, this module's domain) of the signers' cancellation of `operation`.
    /// @param operation The id of the recovery to cancel.
    /// @return The cancellation's id.
    function cancellationId(bytes32 operation) external view returns (bytes32) {
        (uint32 epoch,) = _signerQuorum();
        return _hashTypedDataV4(OperationHashing.hashCancellation(operation, epoch));
    }

    /// @dev The new signers must be valid with the current guardians; the council threshold is
    ///      adjusted to the new total as for any membership change. Returns the adjusted threshold.
    function _checkRecovery(Recovery calldata r, GuardianState memory g) private view returns (uint256 council) {
        MembershipRules.checkNewSet(r.signers, _guardians(g), true);
        council = MembershipRules.adjustCouncil(
            r.signers.length, r.threshold, g.guardianCount, g.guardianThreshold, g.councilThreshold
        );
        MembershipRules.checkCounts(r.signers.length, r.threshold, g.guardianCount, g.guardianThreshold, council);
    }

    // =========================================================================================
    // Council
    // =========================================================================================

    /// @notice A supermajority of all keys replaces signers and/or guardians after `councilDelay`.
    /// @dev Neither group alone can cancel or veto it; a later council change (next nonce)
    ///      supersedes a pending one. Requirements: `c.nonce` next; at least one group replaced;
    ///      the result valid; C approvals over the CouncilChange from the union of current signers
    ///      and guardians (signatures ascending across the union, plus the caller if a member).
    /// Emits {CouncilChangeQueued}, and {CouncilChangeSuperseded} if one was pending.
    /// @param c The council change: new signers and/or guardians, their thresholds, the council threshold and the nonce.
    /// @param signatures Signatures of signers and guardians over the change, strictly ascending across their union (the caller, if a member, counts without one).
    /// @return id The council change's id (its EIP-712 digest in this module's domain).
    function queueCouncilChange(CouncilChange calldata c, bytes calldata signatures) external returns (bytes32 id) {
        GuardianState memory g = _state;
        if (c.nonce != g.councilNonce) revert NonceMismatch(c.nonce, g.councilNonce);
        _checkCouncilChange(c, g);
        id = _hashTypedDataV4(OperationHashing.hash(c));
        bytes memory council = MembershipRules.union(_signerMembers(), _guardians(g));
        uint256 approvals = SignatureSet.countWithCaller(id, signatures, council, msg.sender);
        if (approvals < g.councilThreshold) revert ThresholdNotMet(g.councilThreshold, approvals);
        QueueRecord previous = _councilChange;
        if (previous.isQueued() && block.timestamp <= previous.deadline()) {
            emit CouncilChangeSuperseded(_councilChangeId);
        }
        _state.councilNonce = g.councilNonce + 1;
        (,, uint256 councilDelay,,,) = VAULT.guardianTimings();
        uint256 eta = block.timestamp + councilDelay;
        _councilChange = QueueRecordLib.queued(id, SafeCast.toUint40(eta), uint24(_executionWindow()), false);
        _councilChangeId = id;
        emit CouncilChangeQueued(id, c, approvals, eta);
    }

    /// @notice Executes the queued council change: replaces the groups it names, sets the council
    ///         threshold, lifts any freeze and cancels any pending recovery.
    /// @dev Requirements: `c` is the pending council change; eta reached; window open; still valid.
    /// Emits {CouncilChangeExecuted} and the membership events.
    /// @param c The pending council change.
    function executeCouncilChange(CouncilChange calldata c) external {
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(c));
        QueueRecord record = _councilChange;
        if (!record.holds(id) || !record.isQueued()) revert CouncilChangeNotQueued(id);
        _checkWindow(id, record);
        GuardianState memory g = _state;
        _checkCouncilChange(c, g);
        _councilChange = record.closed(QueueRecordLib.EXECUTED);
        if (c.guardians.length > 0) _writeGuardians(c.guardians, c.guardianThreshold);
        if (c.councilThreshold != g.councilThreshold) emit CouncilThresholdChanged(g.councilThreshold, c.councilThreshold);
        // Cast is safe: checked against N + G <= 64.
        _state.councilThreshold = uint8(c.councilThreshold);
        if (_recovery.isQueued()) {
            bytes32 recoveryOperation = _recoveryId;
            _recovery = _recovery.closed(QueueRecordLib.CANCELLED);
            emit RecoveryCancelled(recoveryOperation);
        }
        emit CouncilChangeExecuted(id);
        if (c.signers.length > 0) VAULT.guardianReplaceSigners(c.signers, c.threshold, 0);
        if (block.timestamp < VAULT.frozenUntil()) {
            emit Unfrozen(block.timestamp);
            VAULT.guardianSetFrozenUntil(block.timestamp);
        }
    }

    /// @dev The groups a council change names must be valid together with the ones it keeps.
    function _checkCouncilChange(CouncilChange calldata c, GuardianState memory g) private view {
        if (c.signers.length == 0 && c.guardians.length == 0) revert CouncilChangeEmpty();
        if ((c.signers.length == 0 && c.threshold != 0) || (c.guardians.length == 0 && c.guardianThreshold != 0)) {
            revert UnusedCouncilField();
        }
        bytes memory signersAfter = c.signers.length > 0 ? MemberSet.pack(c.signers) : _signerMembers();
        bytes memory guardiansAfter = c.guardians.length > 0 ? MemberSet.pack(c.guardians) : _guardians(g);
        if (c.signers.length > 0) MembershipRules.checkNewSet(c.signers, guardiansAfter, true);
        if (c.guardians.length > 0) MembershipRules.checkNewSet(c.guardians, signersAfter, false);
        (, uint256 threshold) = _signerQuorum();
        MembershipRules.checkCounts(
            MemberSet.length(signersAfter),
            c.signers.length > 0 ? c.threshold : threshold,
            MemberSet.length(guardiansAfter),
            c.guardians.length > 0 ? c.guardianThreshold : g.guardianThreshold,
            c.councilThreshold
        );
    }

    // =========================================================================================
    // Liveness
    // =========================================================================================

    /// @notice A signer or guardian proves, on-chain, that it still holds its key.
    /// Emits a {KeySeen} event.
    function heartbeat() external {
        if (!_isKeyHolder(msg.sender)) revert CallerNotKeyHolder(msg.sender);
        _see(msg.sender, block.timestamp);
    }

    /// @notice Records signed heartbeats of several keys in one transaction (anyone submits).
    /// @dev Each is an EIP-712 signature by `key` over `Heartbeat(key, at)`, `at` <= now. An older
    ///      heartbeat than the recorded one changes nothing, so replaying one is harmless.
    /// Emits a {KeySeen} event per newer heartbeat.
    /// @param beats The signed heartbeats: key, time (<= now) and signature.
    function recordHeartbeats(Heartbeat[] calldata beats) external {
        for (uint256 i = 0; i < beats.length; ++i) {
            Heartbeat calldata beat = beats[i];
            if (beat.at > block.timestamp) revert HeartbeatInFuture(beat.key, beat.at);
            bytes32 digest = _hashTypedDataV4(OperationHashing.hashHeartbeat(beat.key, beat.at));
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, beat.signature);
            if (err != ECDSA.RecoverError.NoError || signer != beat.key) revert HeartbeatSignatureInvalid(i);
            if (!_isKeyHolder(beat.key)) revert CallerNotKeyHolder(beat.key);
            if (beat.at > _lastSeen[beat.key]) _see(beat.key, beat.at);
        }
    }

    // =========================================================================================
    // Tightening the withdrawal policy at once
    // =========================================================================================

    /// @notice The guardian quorum tightens the vault's withdrawal policy with no delay: removes an
    ///         allowlist entry, lowers an asset's outflow limit, or turns the allowlist on.
    /// @dev `c` is a vault ConfigChange for the vault's current epoch carrying this module's next
    ///      tightening nonce ({tighteningNonce}; not the vault's configuration nonce, which stays
    ///      the signers'), approved by K guardians over its EIP-712 hash in this module's domain (a
    ///      signer's signature for the vault can never count here). The vault checks that it
    ///      tightens and applies it; loosening changes only go through the vault's timelock.
    /// Emits the vault's {Tightened} event and the event of the change itself.
    /// @param c The tightening: a vault ConfigChange for the vault's current epoch carrying this module's next tightening nonce.
    /// @param signatures Guardian signatures over `c` in this module's domain, strictly ascending (the caller, if a guardian, counts without one).
    function tighten(ConfigChange calldata c, bytes calldata signatures) external {
        uint32 nonce = _tighteningNonce;
        if (c.nonce != nonce) revert NonceMismatch(c.nonce, nonce);
        GuardianState memory g = _state;
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(c));
        uint256 approvals = SignatureSet.countWithCaller(id, signatures, _guardians(g), msg.sender);
        if (approvals < g.guardianThreshold) revert ThresholdNotMet(g.guardianThreshold, approvals);
        _tighteningNonce = nonce + 1;
        VAULT.guardianTighten(c, id);
    }

    /// @notice The nonce the next guardian tightening must carry.
    /// @return The nonce.
    function tighteningNonce() external view returns (uint32) {
        return _tighteningNonce;
    }

    /// @notice The id (EIP-712 digest, this module's domain) guardians sign to tighten with `c`.
    /// @param c The tightening change.
    /// @return The id.
    function tighteningId(ConfigChange calldata c) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(c));
    }

    // =========================================================================================
    // Guardian configuration (from the vault's timelocked, vetoable configuration changes)
    // =========================================================================================

    /// @inheritdoc IGuardianModule
    function applyGuardianChange(ConfigChange calldata c) external onlyVault {
        GuardianState memory g = _state;
        ConfigAction action = c.action;
        if (action == ConfigAction.SetCouncilThreshold) {
            emit CouncilThresholdChanged(g.councilThreshold, c.value);
            _state.councilThreshold = uint8(c.value);
            return;
        }
        address[] memory members = MemberSet.unpack(_guardians(g));
        uint256 threshold = c.value;
        if (action == ConfigAction.AddGuardian) {
            members = MembershipRules.insert(members, c.account);
        } else if (action == ConfigAction.RemoveGuardian) {
            members = MembershipRules.remove(members, c.account);
        } else if (action == ConfigAction.ReplaceGuardian) {
            members = MembershipRules.insert(MembershipRules.remove(members, c.account), c.replacement);
            threshold = g.guardianThreshold;
        }
        _writeGuardians(members, threshold);
        (uint256 signerThreshold, uint256 signerCount) = _signerCounts();
        uint256 council =
            MembershipRules.adjustCouncil(signerCount, signerThreshold, members.length, threshold, g.councilThreshold);
        if (council != g.councilThreshold) {
            emit CouncilThresholdChanged(g.councilThreshold, council);
            _state.councilThreshold = uint8(council);
        }
    }

    // =========================================================================================
    // Views
    // =========================================================================================

    /// @inheritdoc IGuardianModule
    function guardianCounts()
        external
        view
        returns (uint32 guardianEpoch, uint256 guardianCount, uint256 guardianThreshold, uint256 councilThreshold)
    {
        GuardianState memory g = _state;
        return (g.guardianEpoch, g.guardianCount, g.guardianThreshold, g.councilThreshold);
    }

    /// @notice The current guardians, sorted ascending.
    /// @return The guardians.
    function guardians() external view returns (address[] memory) {
        return MemberSet.unpack(_guardians(_state));
    }

    /// @notice Veto, freeze and nonce bookkeeping.
    /// @return vetoLevel Vetoes in the current streak (before decay).
    /// @return lastVetoAt Time of the last veto.
    /// @return nextFreezeAt The earliest time of the next freeze.
    /// @return freezeCount Freezes started so far (the next freeze's nonce).
    /// @return recoveryNonce The next recovery nonce.
    /// @return councilNonce The next council-change nonce.
    function guardianStatus()
        external
        view
        returns (
            uint256 vetoLevel,
            uint256 lastVetoAt,
            uint256 nextFreezeAt,
            uint32 freezeCount,
            uint32 recoveryNonce,
            uint32 councilNonce
        )
    {
        GuardianState memory g = _state;
        return (g.vetoLevel, g.lastVetoAt, g.nextFreezeAt, g.freezeCount, g.recoveryNonce, g.councilNonce);
    }

    /// @notice The pending (or last) recovery and council change: id, eta, deadline, and whether it
    ///         is still queued (not executed or cancelled; an expired one stays queued).
    /// @return recovery The recovery's id.
    /// @return recoveryEta Its eta (0 unless queued).
    /// @return recoveryDeadline Its execution deadline (0 unless queued).
    /// @return recoveryQueued Whether it is still queued.
    /// @return councilChange The council change's id.
    /// @return councilEta Its eta (0 unless queued).
    /// @return councilDeadline Its execution deadline (0 unless queued).
    /// @return councilQueued Whether it is still queued.
    function pending()
        external
        view
        returns (
            bytes32 recovery,
            uint256 recoveryEta,
            uint256 recoveryDeadline,
            bool recoveryQueued,
            bytes32 councilChange,
            uint256 councilEta,
            uint256 councilDeadline,
            bool councilQueued
        )
    {
        QueueRecord r = _recovery;
        QueueRecord c = _councilChange;
        return (
            _recoveryId,
            r.isQueued() ? r.tag() : 0,
            r.deadline(),
            r.isQueued(),
            _councilChangeId,
            c.isQueued() ? c.tag() : 0,
            c.deadline(),
            c.isQueued()
        );
    }

    /// @notice When `key` last proved it holds its key (0 if never).
    /// @param key The signer or guardian.
    /// @return The time.
    function lastSeen(address key) external view returns (uint256) {
        return _lastSeen[key];
    }

    /// @notice The id (EIP-712 digest) of a recovery.
    /// @param r The recovery.
    /// @return The id.
    function recoveryId(Recovery calldata r) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(r));
    }

    /// @notice The id (EIP-712 digest) of a council change.
    /// @param c The council change.
    /// @return The id.
    function councilChangeId(CouncilChange calldata c) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(c));
    }

    // =========================================================================================
    // Internal
    // =========================================================================================

    function _writeGuardians(address[] memory sorted, uint256 threshold) private {
        GuardianState memory g = _state;
        address[] memory old = g.guardianEpoch == 0 ? new address[](0) : MemberSet.unpack(_guardians(g));
        uint256 i = 0;
        uint256 j = 0;
        while (i < old.length || j < sorted.length) {
            // The post-increments below are merge-walk steps whose old value is the index read
            // (gas-increment-by-one does not apply).
            if (j == sorted.length || (i < old.length && old[i] < sorted[j])) {
                // solhint-disable-next-line gas-increment-by-one
                emit GuardianRemoved(old[i++]);
            } else if (i == old.length || sorted[j] < old[i]) {
                // solhint-disable-next-line gas-increment-by-one
                emit GuardianAdded(sorted[j++]);
            } else {
                ++i;
                ++j;
            }
        }
        uint32 newEpoch = g.guardianEpoch + 1;
        MemberSet.write(guardianSalt(newEpoch), sorted);
        if (threshold != g.guardianThreshold) emit GuardianThresholdChanged(g.guardianThreshold, threshold);
        emit GuardianEpochAdvanced(g.guardianEpoch, newEpoch);
        _state.guardianEpoch = newEpoch;
        // Casts are safe: counts and thresholds were checked against MAX_GUARDIANS.
        _state.guardianThreshold = uint8(threshold);
        _state.guardianCount = uint8(sorted.length);
    }

    function _guardians(GuardianState memory g) private view returns (bytes memory) {
        return MemberSet.load(guardianSalt(g.guardianEpoch));
    }

    /// @dev The vault's current signer set, packed.
    function _signerMembers() private view returns (bytes memory) {
        return MemberSet.pack(VAULT.signers());
    }

    function _signerQuorum() private view returns (uint32 epoch, uint256 threshold) {
        (epoch, threshold,,,,,) = VAULT.configuration();
    }

    function _signerCounts() private view returns (uint256 threshold, uint256 signerCount) {
        (, threshold, signerCount,,,,) = VAULT.configuration();
    }

    function _executionWindow() private view returns (uint256 window) {
        (,,,,, window,) = VAULT.configuration();
    }

    function _checkWindow(bytes32 id, QueueRecord record) private view {
        uint256 eta = record.tag();
        if (block.timestamp < eta) revert OperationNotReady(id, eta, block.timestamp);
        if (block.timestamp > record.deadline()) revert OperationExpired(id, record.deadline(), block.timestamp);
    }

    function _see(address key, uint256 at) private {
        // Cast is safe: at <= block.timestamp < 2^40.
        _lastSeen[key] = uint40(at);
        emit KeySeen(key, at);
    }

    function _isKeyHolder(address account) private view returns (bool) {
        (, bool isSigner) = MemberSet.indexOf(_signerMembers(), account, 0);
        if (isSigner) return true;
        (, bool isGuardian) = MemberSet.indexOf(_guardians(_state), account, 0);
        return isGuardian;
    }
}
