// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

// block.timestamp is the timelock's clock here (etas, execution windows, freezes, outflow
// periods), compared against delays of at least a minute and never used as randomness; the few
// seconds a block producer can shift it cannot matter at that scale (docs/AUDIT.md, Lint).
// solhint-disable not-rely-on-time

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";

import {ChangeEffect, ConfigChange, DelayReason, OutflowLimit, Timings, Withdrawal} from "./interfaces/IReserveVault.sol";
import {ConfigRules} from "./rules/ConfigRules.sol";
import {guardianSalt} from "./base/VaultState.sol";
import {AssetState} from "./libraries/AssetState.sol";
import {MemberSet} from "./libraries/MemberSet.sol";
import {OperationHashing} from "./libraries/OperationHashing.sol";
import {Configuration} from "./base/Configuration.sol";
import {OperationQueue} from "./base/OperationQueue.sol";
import {GuardianModule} from "./guardians/GuardianModule.sol";
import {IVaultHooks} from "./interfaces/IGuardianModule.sol";
import {MembershipRules} from "./libraries/MembershipRules.sol";
import {QueueRecord, QueueRecordLib} from "./libraries/QueueRecord.sol";

/// @title ReserveVault
/// @notice Holds ETH and ERC-20 reserves behind an M-of-N signer quorum and a timelock. Every
///         withdrawal and every configuration change is a typed intent that the quorum approves
///         (on-chain, by EIP-712 signatures, or both), that waits out a delay, and that anyone may
///         then execute within an execution window. See docs/SPEC.md for the state machine.
/// @dev Immutable: no proxy, no delegatecall, no arbitrary calls. The only external calls are the
///      ETH/ERC-20 transfer of an executed withdrawal, made after all state changes and under a
///      reentrancy guard.
///      Split by concern: VaultState (storage, bounds), SignerApprovals (signatures, proposals),
///      OperationQueue (timelock, queue slots, state), Configuration (validating and applying
///      changes); this contract holds the signers' entry points. The guardians live in
///      GuardianModule, which this constructor binds and which alone may call the hooks below.
contract ReserveVault is IVaultHooks, OperationQueue, Configuration, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The guardian module bound to this vault, the only caller of its guardian hooks.
    GuardianModule public immutable GUARDIANS;
    /// @dev The stateless contract holding every configuration rule, consulted by static call, and
    ///      the length of an outflow period in seconds (both in {withdrawalPolicy}).
    ConfigRules private immutable RULES;
    uint256 private immutable OUTFLOW_PERIOD;

    /// @notice Constructor arguments: the signers, their threshold, and every delay.
    struct InitialConfig {
        address[] signers;
        uint256 threshold;
        uint256 withdrawalDelay;
        uint256 configDelay;
        uint256 executionWindow;
        uint256 longDelay;
        uint256 coolOff;
        uint256 recoveryDelay;
        uint256 councilDelay;
        uint256 maxFreeze;
        uint256 freezeCooldown;
        uint256 vetoQuietPeriod;
    }

    /// @notice Constructor arguments: the withdrawal policy (docs/SPEC.md §4.1).
    struct InitialPolicy {
        uint256 outflowPeriod; //       seconds, fixed for the vault's life
        OutflowLimit[] outflowLimits; // assets not listed start with limit 0 (always the long delay)
        address[] allowlist; //         any order, distinct, non-zero
        bool allowlistEnabled;
    }

    /// @notice Deploys the vault with its signers, delays and withdrawal policy, and binds its
    ///         guardian module.
    /// @param config Signers (any order, distinct, non-zero), threshold and delays.
    /// @param policy Outflow period and limits, destination allowlist and whether it is on.
    /// @param guardianModule A GuardianModule deployed for this vault and not yet bound; this
    ///        constructor binds it and checks the guardians against the signers (disjoint sets,
    ///        council threshold), and every rule of docs/SPEC.md §5.
    /// @param rules The ConfigRules contract (stateless; one deployment serves any number of vaults).
    constructor(
        InitialConfig memory config,
        InitialPolicy memory policy,
        GuardianModule guardianModule,
        ConfigRules rules
    ) EIP712("ReserveVault", "1") {
        GUARDIANS = guardianModule;
        RULES = rules;
        // Reverts unless this vault is the first to bind the module.
        guardianModule.bindVault();
        address[] memory signerSet = Arrays.sort(config.signers);
        (uint32 guardianEpoch, uint256 g, uint256 k, uint256 council) = guardianModule.guardianCounts();
        bytes memory guardianSet = MemberSet.load(guardianSalt(guardianEpoch), address(guardianModule));
        for (uint256 i = 0; i < signerSet.length; ++i) {
            if (signerSet[i] == address(0)) revert SignerIsZeroAddress();
            if (i > 0 && signerSet[i] == signerSet[i - 1]) revert SignerAlreadyMember(signerSet[i]);
            (, bool overlap) = MemberSet.indexOf(guardianSet, signerSet[i], 0);
            if (overlap) revert GuardianIsSigner(signerSet[i]);
        }
        MembershipRules.checkCounts(signerSet.length, config.threshold, g, k, council);
        Timings memory t = Timings({
            withdrawalDelay: config.withdrawalDelay,
            configDelay: config.configDelay,
            executionWindow: config.executionWindow,
            longDelay: config.longDelay,
            coolOff: config.coolOff,
            recoveryDelay: config.recoveryDelay,
            councilDelay: config.councilDelay,
            maxFreeze: config.maxFreeze,
            freezeCooldown: config.freezeCooldown,
            vetoQuietPeriod: config.vetoQuietPeriod
        });
        rules.checkTimings(t);
        _storeTimings(t);
        OUTFLOW_PERIOD = policy.outflowPeriod;
        address[] memory allowlist = _initPolicy(policy);
        _writeSigners(signerSet, config.threshold, allowlist);
    }

    /// @dev Checks and stores the initial withdrawal policy; returns the sorted allowlist.
    function _initPolicy(InitialPolicy memory config) private returns (address[] memory allowlist) {
        uint256 period = config.outflowPeriod;
        if (period < MIN_OUTFLOW_PERIOD || period > MAX_OUTFLOW_PERIOD) {
            revert OutflowPeriodOutOfRange(period, MIN_OUTFLOW_PERIOD, MAX_OUTFLOW_PERIOD);
        }
        for (uint256 i = 0; i < config.outflowLimits.length; ++i) {
            OutflowLimit memory entry = config.outflowLimits[i];
            if (entry.limit > UNLIMITED) revert OutflowLimitTooLarge(entry.limit, UNLIMITED);
            emit OutflowLimitChanged(entry.asset, _assets[entry.asset].limit(), entry.limit);
            _assets[entry.asset] = _assets[entry.asset].withLimit(entry.limit);
        }
        allowlist = Arrays.sort(config.allowlist);
        if (allowlist.length > MAX_ALLOWLIST) revert AllowlistFull(MAX_ALLOWLIST);
        for (uint256 i = 0; i < allowlist.length; ++i) {
            if (allowlist[i] == address(0)) revert DestinationIsZeroAddress();
            if (i > 0 && allowlist[i] == allowlist[i - 1]) revert DestinationAlreadyAllowed(allowlist[i]);
            emit AllowlistEntryChanged(allowlist[i], false, true);
        }
        if (config.allowlistEnabled) {
            _core.allowlistEnabled = true;
            emit AllowlistEnabledChanged(false, true);
        }
    }

    /// @notice Accepts ETH deposits.
    /// Emits a {Deposited} event.
    receive() external payable {
        emit Deposited(msg.sender, msg.value);
    }

    // =========================================================================================
    // Withdrawals
    // =========================================================================================

    /// @notice Proposes a withdrawal on-chain; the proposal counts as the caller's approval.
    /// @dev Requirements: caller is a signer; `w` is for the current epoch, a non-zero recipient
    ///      and amount, and a nonce not yet used for its asset.
    /// Emits {WithdrawalProposed} and {OperationApproved}.
    /// @param w The withdrawal (its asset, recipient, amount, nonce and epoch).
    /// @return id The withdrawal's id (its EIP-712 digest).
    function proposeWithdrawal(Withdrawal calldata w) external returns (bytes32 id) {
        Core memory core = _core;
        _checkWithdrawal(w, core.epoch, false);
        id = _hashTypedDataV4(OperationHashing.hash(w));
        emit WithdrawalProposed(id, msg.sender, w.asset, w.to, w.amount, w.nonce);
        _propose(id, ProposalKind.Withdrawal, w.asset, w.nonce, core);
    }

    /// @notice Approves a proposed withdrawal on-chain; the approval that reaches the threshold
    ///         queues it in `slot`.
    /// @dev Requirements: caller is a signer who has not approved `w`; `w` is pending. When the
    ///      threshold is reached, the requirements of {queueWithdrawal} apply.
    /// Emits {OperationApproved}, and {WithdrawalQueued} when the threshold is reached.
    /// @param w The withdrawal (its asset, recipient, amount, nonce and epoch).
    /// @param slot The queue slot to queue it in (free: empty, final, or holding an expired operation). Used only when this approval reaches the threshold.
    /// @return queued Whether this approval queued the withdrawal.
    function approveWithdrawal(Withdrawal calldata w, uint256 slot) external returns (bool queued) {
        Core memory core = _core;
        _checkWithdrawal(w, core.epoch, false);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(w));
        if (_approve(id, core) >= core.threshold) {
            _proposals[id].status = ProposalStatus.Queued;
            _queueWithdrawal(id, w, slot, core, "");
            queued = true;
        }
    }

    /// @notice Queues a withdrawal approved by EIP-712 signatures (mixable with on-chain approvals).
    /// @dev Anyone may submit. `signatures` is the concatenation of 65-byte (r, s, v) signatures
    ///      over the withdrawal's digest, signers strictly ascending. On-chain approvals of a pending
    ///      proposal are added only when the signatures alone fall short of the threshold.
    ///      Requirements: `w.epoch` is current; `w.nonce` is its asset's next nonce; recipient and
    ///      amount non-zero; every signature valid and from a distinct signer; approvals >= threshold;
    ///      `slot` free (empty, final, or holding an expired operation).
    /// Emits a {WithdrawalQueued} event.
    /// @param w The withdrawal (its asset, recipient, amount, nonce and epoch).
    /// @param slot The queue slot to queue it in (free: empty, final, or holding an expired operation).
    /// @param signatures Concatenated 65-byte (r, s, v) EIP-712 signatures, signers strictly ascending (may be empty).
    /// @return id The withdrawal's id.
    function queueWithdrawal(Withdrawal calldata w, uint256 slot, bytes calldata signatures)
        external
        returns (bytes32 id)
    {
        Core memory core = _core;
        _checkWithdrawal(w, core.epoch, true);
        id = _hashTypedDataV4(OperationHashing.hash(w));
        // One read of the member lists serves the signature check (cut to the signers), then the
        // destination check (whole again).
        bytes memory lists = _memberLists(core);
        uint256 listsLength = lists.length;
        if (_requireQuorum(id, signatures, core, MemberSet.truncate(lists, core.signerCount))) {
            _proposals[id].status = ProposalStatus.Queued;
        }
        MemberSet.setLength(lists, listsLength);
        _queueWithdrawal(id, w, slot, core, lists);
    }

    /// @notice Gives back the outflow share of a counted withdrawal that can no longer execute
    ///         (cancelled, vetoed, expired, or approved under an old epoch); anyone may call it.
    /// @dev The share returns to the asset's period only while the withdrawal's period (of its eta)
    ///      is the asset's current one; the record stops being counted either way.
    ///      Requirements: `w` is in `slot`, counted, and can no longer execute.
    /// Emits an {OutflowReleased} event (amount 0 if its period has passed).
    /// @param w The counted withdrawal.
    /// @param slot The queue slot that holds it.
    function reclaimOutflow(Withdrawal calldata w, uint256 slot) external {
        Core memory core = _core;
        _release(_hashTypedDataV4(OperationHashing.hash(w)), slot, w.asset, w.amount, w.epoch != core.epoch, core);
    }

    /// @notice Executes a queued withdrawal: anyone may call it in [eta, eta + executionWindow].
    /// @dev Marks the operation executed before transferring. A failing transfer reverts the whole
    ///      call, so the withdrawal stays queued. Fee-on-transfer tokens deliver less than `amount`.
    ///      Requirements: `w.epoch` is current; `w` is queued in `slot`; eta reached; window open.
    /// Emits a {WithdrawalExecuted} event.
    /// @param w The queued withdrawal.
    /// @param slot The queue slot that holds it.
    function executeWithdrawal(Withdrawal calldata w, uint256 slot) external nonReentrant {
        // Two fields of the core slot (read once), not the whole struct.
        (uint256 frozen, uint32 epoch) = (_core.frozenUntil, _core.epoch);
        if (block.timestamp < frozen) revert WithdrawalsFrozen(frozen);
        _checkEpoch(w.epoch, epoch);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(w));
        _markExecuted(id, slot);
        emit WithdrawalExecuted(id);
        if (w.asset == address(0)) {
            (bool ok,) = w.to.call{value: w.amount}("");
            if (!ok) revert EthTransferFailed(w.to, w.amount);
        } else {
            IERC20(w.asset).safeTransfer(w.to, w.amount);
        }
    }

    // =========================================================================================
    // Configuration changes (signers, threshold, delays): the same lifecycle, the config delay
    // =========================================================================================

    /// @notice Proposes a configuration change on-chain; counts as the caller's approval.
    /// @dev Requirements: caller is a signer; `c` is for the current epoch, uses only the fields its
    ///      action needs, is valid against the current configuration, and its nonce is not used.
    /// Emits {ConfigChangeProposed} and {OperationApproved}.
    /// @param c The configuration change.
    /// @return id The change's id (its EIP-712 digest).
    function proposeConfigChange(ConfigChange calldata c) external returns (bytes32 id) {
        Core memory core = _core;
        _checkConfigChange(c, core, false);
        id = _configChangeId(c);
        emit ConfigChangeProposed(id, msg.sender, c);
        _propose(id, ProposalKind.ConfigChange, address(0), c.nonce, core);
    }

    /// @notice Approves a proposed configuration change; the approval reaching the threshold queues it.
    /// @dev Same rules as {approveWithdrawal}.
    /// Emits {OperationApproved}, and {ConfigChangeQueued} when the threshold is reached.
    /// @param c The configuration change.
    /// @param slot The queue slot to queue it in (free: empty, final, or holding an expired operation). Used only when this approval reaches the threshold.
    /// @return queued Whether this approval queued the change.
    function approveConfigChange(ConfigChange calldata c, uint256 slot) external returns (bool queued) {
        Core memory core = _core;
        ChangeEffect effect = _checkConfigChange(c, core, false);
        bytes32 id = _configChangeId(c);
        if (_approve(id, core) >= core.threshold) {
            _proposals[id].status = ProposalStatus.Queued;
            _queueConfigChange(id, c, slot, core, effect);
            queued = true;
        }
    }

    /// @notice Queues a configuration change approved by signatures (mixable with on-chain approvals).
    /// @dev Same rules as {queueWithdrawal}; the eta is now + configDelay.
    /// Emits a {ConfigChangeQueued} event.
    /// @param c The configuration change.
    /// @param slot The queue slot to queue it in (free: empty, final, or holding an expired operation).
    /// @param signatures Concatenated 65-byte (r, s, v) EIP-712 signatures, signers strictly ascending (may be empty).
    /// @return id The change's id.
    function queueConfigChange(ConfigChange calldata c, uint256 slot, bytes calldata signatures)
        external
        returns (bytes32 id)
    {
        Core memory core = _core;
        ChangeEffect effect = _checkConfigChange(c, core, true);
        id = _configChangeId(c);
        if (_requireQuorum(id, signatures, core)) _proposals[id].status = ProposalStatus.Queued;
        _queueConfigChange(id, c, slot, core, effect);
    }

    /// @notice Executes a queued configuration change in [eta, eta + executionWindow].
    /// @dev The change is re-validated against the configuration at execution time; an invalid
    ///      change reverts and stays queued. Signer or threshold changes advance the epoch, which
    ///      invalidates every operation approved under the old one.
    /// Emits {ConfigChangeExecuted} and the events of the change itself.
    /// @param c The queued configuration change.
    /// @param slot The queue slot that holds it.
    function executeConfigChange(ConfigChange calldata c, uint256 slot) external nonReentrant {
        Core memory core = _core;
        _checkEpoch(c.epoch, core.epoch);
        bytes32 id = _configChangeId(c);
        _markExecuted(id, slot);
        emit ConfigChangeExecuted(id, c.action);
        _applyConfigChange(c, core);
    }

    // =========================================================================================
    // Cancellation
    // =========================================================================================

    /// @notice Withdraws the caller's own pending proposal. No signer can withdraw another's.
    /// @dev Requirements: `id` is pending and the caller proposed it.
    /// Emits a {ProposalRevoked} event.
    /// @param id The pending proposal's id.
    function revokeProposal(bytes32 id) external {
        Proposal storage p = _proposals[id];
        if (p.status != ProposalStatus.Pending || !_canStillQueue(p)) revert ProposalNotPending(id);
        address proposer = _proposerOf(p.proposer);
        if (msg.sender != proposer) revert CallerNotProposer(msg.sender, proposer);
        p.status = ProposalStatus.Revoked;
        emit ProposalRevoked(id, msg.sender);
    }

    /// @notice Cancels a pending or queued operation with the signer quorum's signatures over
    ///         `Cancellation(operation, epoch)`, mixable with on-chain approvals; takes effect at once.
    /// @dev Requirements: approvals >= threshold; `id` is queued (or expired) in `slot`, or pending.
    /// Emits an {OperationCancelled} event.
    /// @param id The id of the operation to cancel.
    /// @param slot The queue slot that holds it (any slot for a pending proposal).
    /// @param signatures Concatenated 65-byte (r, s, v) EIP-712 signatures, signers strictly ascending (may be empty). Over the cancellation's id.
    function cancel(bytes32 id, uint256 slot, bytes calldata signatures) external {
        Core memory core = _core;
        bytes32 cancellation = _hashTypedDataV4(OperationHashing.hashCancellation(id, core.epoch));
        if (_requireQuorum(cancellation, signatures, core)) _proposals[cancellation].status = ProposalStatus.Queued;
        _cancel(id, slot);
    }

    /// @notice Approves the cancellation of `id` on-chain; the approval reaching the threshold cancels it.
    /// @dev The first approval proposes the cancellation. Requirements: caller is a signer who has
    ///      not approved this cancellation; when the threshold is reached, as for {cancel}.
    /// Emits {CancellationProposed} (first approval), {OperationApproved}, and {OperationCancelled}.
    /// @param id The id of the operation to cancel.
    /// @param slot The queue slot that holds it (any slot for a pending proposal).
    /// @return cancelled Whether this approval cancelled the operation.
    function approveCancellation(bytes32 id, uint256 slot) external returns (bool cancelled) {
        Core memory core = _core;
        bytes32 cancellation = _hashTypedDataV4(OperationHashing.hashCancellation(id, core.epoch));
        uint256 count;
        if (_proposals[cancellation].status == ProposalStatus.None) {
            emit CancellationProposed(cancellation, msg.sender, id);
            count = _propose(cancellation, ProposalKind.Cancellation, address(0), 0, core);
        } else {
            count = _approve(cancellation, core);
        }
        if (count >= core.threshold) {
            _proposals[cancellation].status = ProposalStatus.Queued;
            _cancel(id, slot);
            cancelled = true;
        }
    }

    // =========================================================================================
    // Views
    // =========================================================================================

    /// @notice The current signers, sorted ascending (their approval-bitmap order).
    function signers() external view returns (address[] memory) {
        return _signers(_core);
    }

    /// @notice Whether `account` is a current signer.
    /// @param account The address to look up.
    /// @return found Whether it is a signer.
    function isSigner(address account) external view returns (bool found) {
        (, found) = MemberSet.indexOf(_signerSet(_core), account, 0);
    }

    /// @notice The delay a withdrawal of `amount` of `asset` to `to` would get if queued now, and
    ///         why (docs/SPEC.md §4.1): what a signer should see before signing.
    /// @param asset The asset (address(0) = ETH).
    /// @param to The recipient.
    /// @param amount The amount.
    /// @return delay The delay, in seconds.
    /// @return reason Which rule gave it.
    function delayFor(address asset, address to, uint256 amount)
        external
        view
        returns (uint256 delay, DelayReason reason)
    {
        (delay, reason,,) = _assess(_core, _assets[asset], to, amount, "");
    }

    /// @notice `asset`'s outflow limit per period, the amount counted in the period a withdrawal
    ///         queued now falls in, and when that period ends for withdrawals queued from now on
    ///         (its end minus the withdrawal delay).
    /// @param asset The asset (address(0) = ETH).
    /// @return limit The outflow limit per period.
    /// @return used The amount counted in the period of a withdrawal queued now.
    /// @return resetsAt From when a queued withdrawal falls in the next period.
    function outflow(address asset) external view returns (uint256 limit, uint256 used, uint256 resetsAt) {
        AssetState a = _assets[asset];
        uint256 period = (block.timestamp + _core.withdrawalDelay) / OUTFLOW_PERIOD;
        return (a.limit(), a.period() == period ? a.used() : 0, (period + 1) * OUTFLOW_PERIOD - _core.withdrawalDelay);
    }

    /// @notice The withdrawal policy's fixed parts and allowlist: the ConfigRules contract this vault
    ///         consults, the outflow period (seconds), whether the allowlist is on, and its entries
    ///         (sorted). Per-asset limits: {outflow}.
    /// @return rules The ConfigRules contract.
    /// @return outflowPeriod The outflow period, in seconds.
    /// @return allowlistEnabled Whether the allowlist is on.
    /// @return allowlist The allowed destinations, sorted.
    function withdrawalPolicy()
        external
        view
        returns (address rules, uint256 outflowPeriod, bool allowlistEnabled, address[] memory allowlist)
    {
        Core memory core = _core;
        return (address(RULES), OUTFLOW_PERIOD, core.allowlistEnabled, _allowlist(_memberLists(core), core.signerCount));
    }

    /// @notice The configuration the queue and execute paths use.
    /// @return epoch The signer epoch.
    /// @return threshold M, the signer approvals an operation needs.
    /// @return signerCount N, the number of signers.
    /// @return withdrawalDelay The normal withdrawal delay, in seconds.
    /// @return configDelay The configuration delay, in seconds.
    /// @return executionWindow How long after its eta an operation may execute, in seconds.
    /// @return configNonce The nonce the next configuration change must carry.
    function configuration()
        external
        view
        returns (
            uint32 epoch,
            uint256 threshold,
            uint256 signerCount,
            uint256 withdrawalDelay,
            uint256 configDelay,
            uint256 executionWindow,
            uint32 configNonce
        )
    {
        Core memory core = _core;
        return (
            core.epoch,
            core.threshold,
            core.signerCount,
            core.withdrawalDelay,
            core.configDelay,
            core.executionWindow,
            _timing.configNonce
        );
    }

    /// @notice The next withdrawal nonce of `asset` (address(0) = ETH).
    /// @param asset The asset (address(0) = ETH).
    /// @return The nonce.
    function withdrawalNonce(address asset) external view returns (uint32) {
        return _assets[asset].nonce();
    }

    /// @notice The id of a withdrawal: its EIP-712 digest, the value its signers sign.
    /// @param w The withdrawal (its asset, recipient, amount, nonce and epoch).
    /// @return The id.
    function withdrawalId(Withdrawal calldata w) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(w));
    }

    /// @notice The id of a configuration change: its EIP-712 digest.
    /// @param c The configuration change.
    /// @return The id.
    function configChangeId(ConfigChange calldata c) external view returns (bytes32) {
        return _configChangeId(c);
    }

    /// @notice The id (EIP-712 digest) of the cancellation of `operation` in the current epoch.
    /// @param operation The id of the operation to cancel.
    /// @return The cancellation's id.
    function cancellationId(bytes32 operation) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hashCancellation(operation, _core.epoch));
    }

    /// @notice On-chain approvals of `id`: bitmap over the sorted signer set, count, and proposer.
    /// @param id The operation's id.
    /// @return bitmap Bit i set: signer i (sorted ascending) approved.
    /// @return count The number of on-chain approvals.
    /// @return proposer The proposer, by its index in the current signer set (zero if none or out of range).
    function approvals(bytes32 id) external view returns (uint256 bitmap, uint256 count, address proposer) {
        Proposal memory p = _proposals[id];
        return (p.approvals, _popcount(p.approvals), _proposerOf(p.proposer));
    }

    // =========================================================================================
    // Hooks for the guardian module (it alone may call them)
    // =========================================================================================

    /// @inheritdoc IVaultHooks
    function guardianVeto(bytes32 id, uint256 slot) external {
        _checkGuardianModule();
        QueueRecord record = _queue[slot];
        if (!record.holds(id) || !record.isQueued() || block.timestamp > record.deadline()) {
            revert NotVetoable(id, slot);
        }
        _queue[slot] = record.closed(QueueRecordLib.CANCELLED);
        emit OperationCancelled(id, slot);
    }

    /// @inheritdoc IVaultHooks
    function guardianTighten(ConfigChange calldata c, bytes32 id) external {
        _checkGuardianModule();
        Core memory core = _core;
        _checkEpoch(c.epoch, core.epoch);
        // The module checked and used the guardians' own nonce (c.nonce): no configuration nonce.
        if (_validateConfigChange(c, core) != ChangeEffect.Tightening) revert NotATightening(c.action);
        emit Tightened(id, c.action, true);
        _applyPolicyChange(c, core);
    }

    /// @inheritdoc IVaultHooks
    function guardianSetFrozenUntil(uint256 until) external {
        _checkGuardianModule();
        emit FrozenUntilChanged(_core.frozenUntil, until);
        // Cast is safe: the module passes now + at most 30 days.
        _core.frozenUntil = uint40(until);
    }

    /// @inheritdoc IVaultHooks
    function guardianReplaceSigners(address[] calldata sortedSigners, uint256 threshold, uint256 coolOffUntil)
        external
    {
        _checkGuardianModule();
        _writeSigners(sortedSigners, threshold, new address[](0));
        if (coolOffUntil > _core.coolOffUntil) {
            _core.coolOffUntil = uint40(coolOffUntil);
            emit CoolOffStarted(coolOffUntil);
        }
    }

    /// @inheritdoc IVaultHooks
    function guardianTimings()
        external
        view
        returns (
            uint256 coolOff,
            uint256 recoveryDelay,
            uint256 councilDelay,
            uint256 maxFreeze,
            uint256 freezeCooldown,
            uint256 vetoQuietPeriod
        )
    {
        Timing memory t = _timing;
        return (t.coolOff, t.recoveryDelay, t.councilDelay, t.maxFreeze, t.freezeCooldown, t.vetoQuietPeriod);
    }

    /// @inheritdoc IVaultHooks
    function frozenUntil() external view returns (uint256) {
        return _core.frozenUntil;
    }

    /// @notice Every delay, in seconds (docs/SPEC.md §5), and until when a recovery cool-off lasts.
    /// @return delays Every delay, in seconds.
    /// @return coolOffUntil The end of the current or last recovery cool-off (0 if none).
    function timings() external view returns (Timings memory delays, uint256 coolOffUntil) {
        return (_timings(_core), _core.coolOffUntil);
    }

    // =========================================================================================
    // Internal
    // =========================================================================================

    /// @dev Uses the asset's nonce, applies the delay rule (WithdrawalPolicy), counts the amount if
    ///      it got the normal delay (one read and one write of the asset's slot), and queues it.
    ///      `lists`: the member lists if the caller loaded them, else empty. Each field of `w` is
    ///      read from calldata once (every calldata read is decoded and validated again).
    function _queueWithdrawal(bytes32 id, Withdrawal calldata w, uint256 slot, Core memory core, bytes memory lists)
        private
    {
        (address asset, uint32 nonce, uint256 amount, address to) = (w.asset, w.nonce, w.amount, w.to);
        AssetState a = _assets[asset];
        if (nonce != a.nonce()) revert NonceMismatch(nonce, a.nonce());
        uint256 eta;
        {
            (uint256 delay,, bool counted, uint256 period) = _assess(core, a, to, amount, lists);
            a = a.nextNonce();
            if (counted) a = _count(a, period, amount);
            _assets[asset] = a;
            eta = _enqueue(id, slot, delay, core.executionWindow, counted);
        }
        emit WithdrawalQueued(id, asset, to, amount, nonce, slot, eta);
    }

    /// @dev Queues a validated change with the configuration delay, or max(configuration delay,
    ///      long delay) if it lets funds out faster; a tightening of the withdrawal policy is
    ///      applied at once instead (loosening is slow, tightening fast).
    function _queueConfigChange(bytes32 id, ConfigChange calldata c, uint256 slot, Core memory core, ChangeEffect effect)
        private
    {
        _useConfigNonce(c.nonce);
        if (effect == ChangeEffect.Tightening) {
            emit Tightened(id, c.action, false);
            _applyPolicyChange(c, core);
            return;
        }
        uint256 delay = core.configDelay;
        if (effect == ChangeEffect.Loosening) {
            uint256 longDelay = _timing.longDelay;
            if (longDelay > delay) delay = longDelay;
        }
        uint256 eta = _enqueue(id, slot, delay, core.executionWindow, false);
        emit ConfigChangeQueued(id, c, slot, eta);
    }

    function _useConfigNonce(uint32 nonce) private {
        uint32 expected = _timing.configNonce;
        if (nonce != expected) revert NonceMismatch(nonce, expected);
        _timing.configNonce = expected + 1;
    }

    function _checkWithdrawal(Withdrawal calldata w, uint32 epoch, bool exactNonce) private view {
        _checkEpoch(w.epoch, epoch);
        if (w.to == address(0)) revert WithdrawalToZeroAddress();
        if (w.amount == 0) revert WithdrawalAmountZero();
        if (!exactNonce) {
            uint32 next = _assets[w.asset].nonce();
            if (w.nonce < next) revert NonceMismatch(w.nonce, next);
        }
    }

    function _checkConfigChange(ConfigChange calldata c, Core memory core, bool exactNonce)
        private
        view
        returns (ChangeEffect)
    {
        _checkEpoch(c.epoch, core.epoch);
        uint32 next = _timing.configNonce;
        if (!exactNonce && c.nonce < next) revert NonceMismatch(c.nonce, next);
        return _validateConfigChange(c, core);
    }

    function _checkGuardianModule() private view {
        if (msg.sender != address(GUARDIANS)) revert CallerNotGuardianModule(msg.sender);
    }

    /// @dev The guardian module bound to this vault.
    function _guardianModule() internal view override returns (address) {
        return address(GUARDIANS);
    }

    /// @dev The id of a configuration change (its EIP-712 digest); ConfigRules names the action.
    function _configChangeId(ConfigChange calldata c) private view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(c, RULES.actionNameHash(c.action)));
    }

    function _rules() internal view override returns (ConfigRules) {
        return RULES;
    }

    function _outflowPeriod() internal view override returns (uint256) {
        return OUTFLOW_PERIOD;
    }
}
