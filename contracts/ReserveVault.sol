// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";

import {
    ConfigAction,
    ConfigChange,
    IReserveVaultErrors,
    IReserveVaultEvents,
    OperationState,
    Withdrawal
} from "./interfaces/IReserveVault.sol";
import {MemberSet} from "./libraries/MemberSet.sol";
import {OperationHashing} from "./libraries/OperationHashing.sol";
import {QueueRecord, QueueRecordLib} from "./libraries/QueueRecord.sol";

/// @title ReserveVault
/// @notice Holds ETH and ERC-20 reserves behind an M-of-N signer quorum and a timelock. Every
///         withdrawal and every configuration change is a typed intent that the quorum approves
///         (on-chain, by EIP-712 signatures, or both), that waits out a delay, and that anyone may
///         then execute within an execution window. See docs/SPEC.md for the state machine.
/// @dev Immutable: no proxy, no delegatecall, no arbitrary calls. The only external calls are the
///      ETH/ERC-20 transfer of an executed withdrawal, made after all state changes and under a
///      reentrancy guard.
contract ReserveVault is IReserveVaultErrors, IReserveVaultEvents, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Largest signer set (the approvals bitmap is 32 bits wide).
    uint256 public constant MAX_SIGNERS = 32;
    /// @notice Bounds of the withdrawal and configuration delays.
    uint256 public constant MIN_DELAY = 1 hours;
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice Bounds of the execution window that follows an operation's eta.
    uint256 public constant MIN_EXECUTION_WINDOW = 1 hours;
    uint256 public constant MAX_EXECUTION_WINDOW = 30 days;

    uint256 private constant SIGNATURE_LENGTH = 65;

    /// @notice Constructor arguments.
    struct InitialConfig {
        address[] signers;
        uint256 threshold;
        uint256 withdrawalDelay;
        uint256 configDelay;
        uint256 executionWindow;
    }

    /// @dev What the queue and execute paths read, in one slot (22 of 32 bytes).
    struct Core {
        uint32 epoch; //            bumped by every change of the signer set or threshold
        uint8 threshold; //         M
        uint8 signerCount; //       N
        uint32 withdrawalDelay; //  seconds
        uint32 configDelay; //      seconds, >= withdrawalDelay
        uint32 executionWindow; //  seconds after eta during which anyone may execute
        uint32 configNonce; //      next configuration-change nonce
    }

    enum ProposalStatus {
        None,
        Pending,
        Queued,
        Cancelled,
        Revoked
    }

    enum ProposalKind {
        Withdrawal,
        ConfigChange,
        Cancellation
    }

    /// @dev On-chain approvals of one operation id (a withdrawal, config change or cancellation),
    ///      in one slot (31 bytes). The nonce lets a quorum's cancellation tell a proposal that can
    ///      still be queued from one whose nonce another operation (or itself, by signatures) used.
    struct Proposal {
        uint32 approvals; //    bit i = signer i (of the id's epoch, sorted ascending) approved
        uint8 proposer; //      index + 1 of the proposing signer in the id's epoch
        ProposalStatus status;
        ProposalKind kind;
        uint32 nonce; //        the operation's nonce (withdrawals: of `asset`)
        address asset; //       withdrawals: the asset whose nonce it uses
    }

    Core private _core;
    /// @dev Next withdrawal nonce per asset: withdrawals of one asset are queued in nonce order.
    mapping(address asset => uint32 nonce) private _withdrawalNonces;
    /// @dev Queue slots (see QueueRecord). Slots are reused once their operation is final or
    ///      expired, so queueing costs no fresh storage.
    mapping(uint256 slot => QueueRecord record) private _queue;
    mapping(bytes32 id => Proposal) private _proposals;

    /// @param config Initial signers (any order, no duplicates), threshold and delays.
    constructor(InitialConfig memory config) EIP712("ReserveVault", "1") {
        uint256 n = config.signers.length;
        if (n == 0 || n > MAX_SIGNERS) revert SignerCountOutOfRange(n, MAX_SIGNERS);
        _checkThreshold(config.threshold, n);
        address[] memory sorted = Arrays.sort(config.signers);
        for (uint256 i = 0; i < n; ++i) {
            if (sorted[i] == address(0)) revert SignerIsZeroAddress();
            if (i > 0 && sorted[i] == sorted[i - 1]) revert SignerAlreadyMember(sorted[i]);
            emit SignerAdded(sorted[i]);
        }
        _checkDelay(ConfigAction.SetWithdrawalDelay, config.withdrawalDelay, MIN_DELAY, config.configDelay);
        _checkDelay(ConfigAction.SetConfigDelay, config.configDelay, config.withdrawalDelay, MAX_DELAY);
        _checkDelay(
            ConfigAction.SetExecutionWindow, config.executionWindow, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW
        );
        MemberSet.write(_signerSalt(1), sorted);
        // Casts are safe: every value was range-checked above.
        _core = Core({
            epoch: 1,
            threshold: uint8(config.threshold),
            signerCount: uint8(n),
            withdrawalDelay: uint32(config.withdrawalDelay),
            configDelay: uint32(config.configDelay),
            executionWindow: uint32(config.executionWindow),
            configNonce: 0
        });
        emit ThresholdChanged(0, config.threshold);
        emit EpochAdvanced(0, 1);
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
    /// @return queued Whether this approval queued the withdrawal.
    function approveWithdrawal(Withdrawal calldata w, uint256 slot) external returns (bool queued) {
        Core memory core = _core;
        _checkWithdrawal(w, core.epoch, false);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(w));
        if (_approve(id, core) >= core.threshold) {
            _proposals[id].status = ProposalStatus.Queued;
            _queueWithdrawal(id, w, slot, core);
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
    /// @return id The withdrawal's id.
    function queueWithdrawal(Withdrawal calldata w, uint256 slot, bytes calldata signatures)
        external
        returns (bytes32 id)
    {
        Core memory core = _core;
        _checkWithdrawal(w, core.epoch, true);
        id = _hashTypedDataV4(OperationHashing.hash(w));
        if (_requireQuorum(id, signatures, core)) _proposals[id].status = ProposalStatus.Queued;
        _queueWithdrawal(id, w, slot, core);
    }

    /// @notice Executes a queued withdrawal: anyone may call it in [eta, eta + executionWindow].
    /// @dev Marks the operation executed before transferring. A failing transfer reverts the whole
    ///      call, so the withdrawal stays queued. Fee-on-transfer tokens deliver less than `amount`.
    ///      Requirements: `w.epoch` is current; `w` is queued in `slot`; eta reached; window open.
    /// Emits a {WithdrawalExecuted} event.
    function executeWithdrawal(Withdrawal calldata w, uint256 slot) external nonReentrant {
        Core memory core = _core;
        _checkEpoch(w.epoch, core.epoch);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(w));
        _markExecuted(id, slot);
        emit WithdrawalExecuted(id, w.asset, w.to, w.amount);
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
    /// @return id The change's id (its EIP-712 digest).
    function proposeConfigChange(ConfigChange calldata c) external returns (bytes32 id) {
        Core memory core = _core;
        _checkConfigChange(c, core, false);
        id = _hashTypedDataV4(OperationHashing.hash(c));
        emit ConfigChangeProposed(id, msg.sender, c);
        _propose(id, ProposalKind.ConfigChange, address(0), c.nonce, core);
    }

    /// @notice Approves a proposed configuration change; the approval reaching the threshold queues it.
    /// @dev Same rules as {approveWithdrawal}.
    /// Emits {OperationApproved}, and {ConfigChangeQueued} when the threshold is reached.
    /// @return queued Whether this approval queued the change.
    function approveConfigChange(ConfigChange calldata c, uint256 slot) external returns (bool queued) {
        Core memory core = _core;
        _checkConfigChange(c, core, false);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(c));
        if (_approve(id, core) >= core.threshold) {
            _proposals[id].status = ProposalStatus.Queued;
            _queueConfigChange(id, c, slot, core);
            queued = true;
        }
    }

    /// @notice Queues a configuration change approved by signatures (mixable with on-chain approvals).
    /// @dev Same rules as {queueWithdrawal}; the eta is now + configDelay.
    /// Emits a {ConfigChangeQueued} event.
    /// @return id The change's id.
    function queueConfigChange(ConfigChange calldata c, uint256 slot, bytes calldata signatures)
        external
        returns (bytes32 id)
    {
        Core memory core = _core;
        _checkConfigChange(c, core, true);
        id = _hashTypedDataV4(OperationHashing.hash(c));
        if (_requireQuorum(id, signatures, core)) _proposals[id].status = ProposalStatus.Queued;
        _queueConfigChange(id, c, slot, core);
    }

    /// @notice Executes a queued configuration change in [eta, eta + executionWindow].
    /// @dev The change is re-validated against the configuration at execution time; an invalid
    ///      change reverts and stays queued. Signer or threshold changes advance the epoch, which
    ///      invalidates every operation approved under the old one.
    /// Emits {ConfigChangeExecuted} and the events of the change itself.
    function executeConfigChange(ConfigChange calldata c, uint256 slot) external nonReentrant {
        Core memory core = _core;
        _checkEpoch(c.epoch, core.epoch);
        bytes32 id = _hashTypedDataV4(OperationHashing.hash(c));
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
        return _signers(_core.epoch);
    }

    /// @notice Whether `account` is a current signer.
    function isSigner(address account) external view returns (bool found) {
        (, found) = MemberSet.indexOf(MemberSet.load(_signerSalt(_core.epoch)), account, 0);
    }

    /// @notice The configuration the queue and execute paths use.
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
            core.configNonce
        );
    }

    /// @notice The next withdrawal nonce of `asset` (address(0) = ETH).
    function withdrawalNonce(address asset) external view returns (uint32) {
        return _withdrawalNonces[asset];
    }

    /// @notice The id of a withdrawal: its EIP-712 digest, the value its signers sign.
    function withdrawalId(Withdrawal calldata w) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(w));
    }

    /// @notice The id of a configuration change: its EIP-712 digest.
    function configChangeId(ConfigChange calldata c) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hash(c));
    }

    /// @notice The id (EIP-712 digest) of the cancellation of `operation` in the current epoch.
    function cancellationId(bytes32 operation) external view returns (bytes32) {
        return _hashTypedDataV4(OperationHashing.hashCancellation(operation, _core.epoch));
    }

    /// @notice The state of operation `id` as seen through queue slot `slot`.
    /// @dev A slot remembers only its latest operation: once reused, older ids read as Unknown
    ///      (their events remain). Operations of an older epoch can never execute.
    function operationState(bytes32 id, uint256 slot) public view returns (OperationState) {
        QueueRecord record = _queue[slot];
        if (record.holds(id)) {
            uint256 tag = record.tag();
            if (tag == QueueRecordLib.EXECUTED) return OperationState.Executed;
            if (tag == QueueRecordLib.CANCELLED) return OperationState.Cancelled;
            if (block.timestamp < tag) return OperationState.Queued;
            if (block.timestamp <= record.deadline()) return OperationState.Ready;
            return OperationState.Expired;
        }
        Proposal memory p = _proposals[id];
        if (p.status == ProposalStatus.Pending && _canStillQueue(p)) return OperationState.Pending;
        if (p.status == ProposalStatus.Cancelled) return OperationState.Cancelled;
        if (p.status == ProposalStatus.Revoked) return OperationState.Revoked;
        return OperationState.Unknown;
    }

    /// @notice What queue slot `slot` holds: the top 192 bits of the id of its latest operation,
    ///         that operation's eta and execution deadline (0 unless it is queued), and whether a new
    ///         operation may take the slot.
    function queueSlot(uint256 slot)
        external
        view
        returns (bytes32 idPrefix, uint256 eta, uint256 deadline, bool free)
    {
        QueueRecord record = _queue[slot];
        bool queued = record.isQueued();
        return (
            record.idPrefix(),
            queued ? record.tag() : 0,
            queued ? record.deadline() : 0,
            record.isFree(block.timestamp)
        );
    }

    /// @notice On-chain approvals of `id`: bitmap over the sorted signer set, count, and proposer.
    function approvals(bytes32 id) external view returns (uint256 bitmap, uint256 count, address proposer) {
        Proposal memory p = _proposals[id];
        return (p.approvals, _popcount(p.approvals), _proposerOf(p.proposer));
    }

    // =========================================================================================
    // Internal: approvals
    // =========================================================================================

    /// @dev Counts `signatures` over `id` (strictly ascending signers of the current epoch) and,
    ///      only if they fall short, adds the on-chain approvals of a pending proposal. Returns
    ///      whether it used that proposal (the caller then closes it); a pure-signature quorum
    ///      never reads proposal storage.
    function _requireQuorum(bytes32 id, bytes calldata signatures, Core memory core)
        private
        view
        returns (bool usedProposal)
    {
        (uint256 bitmap, uint256 valid) = _verifySignatures(id, signatures, core.epoch);
        if (valid < core.threshold) {
            Proposal memory p = _proposals[id];
            if (p.status == ProposalStatus.Pending) {
                valid = _popcount(bitmap | p.approvals);
                usedProposal = true;
            }
            if (valid < core.threshold) revert ThresholdNotMet(core.threshold, valid);
        }
    }

    /// @dev Returns the bitmap of signer indices whose signatures are valid, and their count (every
    ///      signature counts once or the call reverts). Reverts on any bad signature: malformed or
    ///      high-s, from a non-signer, a duplicate, or signers out of order.
    function _verifySignatures(bytes32 id, bytes calldata signatures, uint32 epoch)
        private
        view
        returns (uint256 bitmap, uint256 count)
    {
        if (signatures.length % SIGNATURE_LENGTH != 0) revert SignaturesLengthInvalid(signatures.length);
        count = signatures.length / SIGNATURE_LENGTH;
        if (count == 0) return (0, 0);
        bytes memory members = MemberSet.load(_signerSalt(epoch));
        uint256 memberCount = MemberSet.length(members);
        address previous;
        uint256 cursor; // signers ascend, so each one is searched for after the previous one's position
        for (uint256 i = 0; i < count; ++i) {
            uint256 offset = i * SIGNATURE_LENGTH;
            (address signer, ECDSA.RecoverError err,) =
                ECDSA.tryRecoverCalldata(id, signatures[offset:offset + SIGNATURE_LENGTH]);
            if (err != ECDSA.RecoverError.NoError) revert SignatureInvalid(i);
            address member;
            while (cursor < memberCount) {
                member = MemberSet.at(members, cursor);
                if (member >= signer) break;
                ++cursor;
            }
            if (member != signer) _revertUncounted(i, signer, previous);
            bitmap |= 1 << cursor;
            ++cursor;
            previous = signer;
        }
    }

    /// @dev Explains why signature `i` (from `signer`) matched no signer after `previous`.
    function _revertUncounted(uint256 i, address signer, address previous) private pure {
        if (signer == previous) revert SignatureDuplicated(i, signer);
        if (signer < previous) revert SignaturesNotAscending(i, signer, previous);
        revert SignatureNotFromSigner(i, signer);
    }

    /// @dev Opens a proposal for `id` by the calling signer, with its approval; returns 1.
    function _propose(bytes32 id, ProposalKind kind, address asset, uint32 nonce, Core memory core)
        private
        returns (uint256 count)
    {
        Proposal storage p = _proposals[id];
        if (p.status != ProposalStatus.None) revert ProposalAlreadyExists(id);
        uint256 index = _signerIndex(msg.sender, core.epoch);
        // Cast is safe: index < MAX_SIGNERS.
        _proposals[id] = Proposal({
            approvals: uint32(1 << index),
            proposer: uint8(index + 1),
            status: ProposalStatus.Pending,
            kind: kind,
            nonce: nonce,
            asset: asset
        });
        count = 1;
        emit OperationApproved(id, msg.sender, count);
    }

    /// @dev Records the caller's approval of pending `id`; returns the approval count.
    function _approve(bytes32 id, Core memory core) private returns (uint256 count) {
        uint256 index = _signerIndex(msg.sender, core.epoch);
        Proposal storage p = _proposals[id];
        if (p.status != ProposalStatus.Pending) revert ProposalNotPending(id);
        uint32 bit = uint32(1 << index);
        if (p.approvals & bit != 0) revert AlreadyApproved(id, msg.sender);
        p.approvals |= bit;
        count = _popcount(p.approvals);
        emit OperationApproved(id, msg.sender, count);
    }

    /// @dev The address of a proposal's proposer (index + 1 into the current signer set); zero if
    ///      none or if the set has changed so that the index is out of range.
    function _proposerOf(uint8 proposerPlusOne) private view returns (address) {
        if (proposerPlusOne == 0) return address(0);
        address[] memory members = _signers(_core.epoch);
        return proposerPlusOne <= members.length ? members[proposerPlusOne - 1] : address(0);
    }

    /// @dev Whether pending proposal `p` can still be queued: its nonce is unused. A cancellation
    ///      proposal is never itself cancellable.
    function _canStillQueue(Proposal memory p) private view returns (bool) {
        if (p.kind == ProposalKind.Withdrawal) return p.nonce >= _withdrawalNonces[p.asset];
        if (p.kind == ProposalKind.ConfigChange) return p.nonce >= _core.configNonce;
        return false;
    }

    // =========================================================================================
    // Internal: lifecycle
    // =========================================================================================

    function _queueWithdrawal(bytes32 id, Withdrawal calldata w, uint256 slot, Core memory core) private {
        uint32 expected = _withdrawalNonces[w.asset];
        if (w.nonce != expected) revert NonceMismatch(w.nonce, expected);
        _withdrawalNonces[w.asset] = expected + 1;
        uint256 eta = _enqueue(id, slot, core.withdrawalDelay, core.executionWindow);
        emit WithdrawalQueued(id, w.asset, w.to, w.amount, w.nonce, slot, eta);
    }

    function _queueConfigChange(bytes32 id, ConfigChange calldata c, uint256 slot, Core memory core) private {
        if (c.nonce != core.configNonce) revert NonceMismatch(c.nonce, core.configNonce);
        _core.configNonce = core.configNonce + 1;
        uint256 eta = _enqueue(id, slot, core.configDelay, core.executionWindow);
        emit ConfigChangeQueued(id, c, slot, eta);
    }

    /// @dev Writes `id` into free `slot` with eta = now + delay and deadline = eta + window, both
    ///      fixed from now on.
    function _enqueue(bytes32 id, uint256 slot, uint32 delay, uint32 window) private returns (uint256 eta) {
        if (!_queue[slot].isFree(block.timestamp)) revert QueueSlotOccupied(slot);
        eta = block.timestamp + delay;
        // Casts are safe: eta < 2^48 for millions of years; window <= MAX_EXECUTION_WINDOW < 2^24.
        _queue[slot] = QueueRecordLib.queued(id, uint48(eta), uint24(window));
    }

    function _markExecuted(bytes32 id, uint256 slot) private {
        QueueRecord record = _queue[slot];
        if (!record.holds(id) || !record.isQueued()) revert OperationNotQueued(id, slot);
        uint256 eta = record.tag();
        if (block.timestamp < eta) revert OperationNotReady(id, eta, block.timestamp);
        uint256 deadline = record.deadline();
        if (block.timestamp > deadline) revert OperationExpired(id, deadline, block.timestamp);
        _queue[slot] = QueueRecordLib.closed(id, QueueRecordLib.EXECUTED);
    }

    /// @dev Cancels `id` queued in `slot`, or its pending proposal. Cancelling a pending proposal
    ///      consumes its nonce, so that no signatures collected off-chain can queue it afterwards:
    ///      cancelled is final. Its nonce must therefore be the next one of its lane.
    function _cancel(bytes32 id, uint256 slot) private {
        QueueRecord record = _queue[slot];
        if (record.holds(id) && record.isQueued()) {
            _queue[slot] = QueueRecordLib.closed(id, QueueRecordLib.CANCELLED);
        } else {
            Proposal storage p = _proposals[id];
            if (p.status != ProposalStatus.Pending || !_canStillQueue(p)) revert NothingToCancel(id, slot);
            p.status = ProposalStatus.Cancelled;
            if (p.kind == ProposalKind.Withdrawal) {
                uint32 next = _withdrawalNonces[p.asset];
                if (p.nonce != next) revert NonceNotNext(p.nonce, next);
                _withdrawalNonces[p.asset] = next + 1;
            } else {
                uint32 next = _core.configNonce;
                if (p.nonce != next) revert NonceNotNext(p.nonce, next);
                _core.configNonce = next + 1;
            }
        }
        emit OperationCancelled(id, slot);
    }

    // =========================================================================================
    // Internal: configuration
    // =========================================================================================

    /// @dev Applies a validated change. Signer and threshold changes write a new signer set and
    ///      advance the epoch; the invariant 1 <= threshold <= signerCount <= MAX_SIGNERS is checked
    ///      on the resulting configuration.
    function _applyConfigChange(ConfigChange calldata c, Core memory core) private {
        _validateConfigChange(c, core);
        ConfigAction action = c.action;
        if (action == ConfigAction.SetWithdrawalDelay) {
            emit DelayChanged(action, core.withdrawalDelay, c.value);
            _core.withdrawalDelay = uint32(c.value);
            return;
        }
        if (action == ConfigAction.SetConfigDelay) {
            emit DelayChanged(action, core.configDelay, c.value);
            _core.configDelay = uint32(c.value);
            return;
        }
        if (action == ConfigAction.SetExecutionWindow) {
            emit DelayChanged(action, core.executionWindow, c.value);
            _core.executionWindow = uint32(c.value);
            return;
        }
        address[] memory members = _signers(core.epoch);
        uint256 newThreshold = c.value;
        if (action == ConfigAction.AddSigner) {
            members = _insert(members, c.account);
            emit SignerAdded(c.account);
        } else if (action == ConfigAction.RemoveSigner) {
            members = _remove(members, c.account);
            emit SignerRemoved(c.account);
        } else if (action == ConfigAction.ReplaceSigner) {
            members = _insert(_remove(members, c.account), c.replacement);
            emit SignerRemoved(c.account);
            emit SignerAdded(c.replacement);
            newThreshold = core.threshold;
        }
        // Checked again on the result: the invariant holds after every change.
        _checkThreshold(newThreshold, members.length);
        uint32 newEpoch = core.epoch + 1;
        MemberSet.write(_signerSalt(newEpoch), members);
        if (newThreshold != core.threshold) emit ThresholdChanged(core.threshold, newThreshold);
        emit EpochAdvanced(core.epoch, newEpoch);
        _core.epoch = newEpoch;
        _core.threshold = uint8(newThreshold);
        _core.signerCount = uint8(members.length);
    }

    /// @dev Checks `c` against the current configuration: field use, membership, bounds.
    function _validateConfigChange(ConfigChange calldata c, Core memory core) private view {
        ConfigAction action = c.action;
        bool usesAccount = action <= ConfigAction.ReplaceSigner;
        bool usesReplacement = action == ConfigAction.ReplaceSigner;
        bool usesValue = action != ConfigAction.ReplaceSigner;
        if (
            (!usesAccount && c.account != address(0)) || (!usesReplacement && c.replacement != address(0))
                || (!usesValue && c.value != 0)
        ) revert UnusedFieldNotZero(action);

        if (action == ConfigAction.SetWithdrawalDelay) {
            _checkDelay(action, c.value, MIN_DELAY, core.configDelay);
        } else if (action == ConfigAction.SetConfigDelay) {
            _checkDelay(action, c.value, core.withdrawalDelay, MAX_DELAY);
        } else if (action == ConfigAction.SetExecutionWindow) {
            _checkDelay(action, c.value, MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW);
        } else if (action == ConfigAction.SetThreshold) {
            _checkThreshold(c.value, core.signerCount);
        } else {
            bytes memory members = MemberSet.load(_signerSalt(core.epoch));
            if (action == ConfigAction.AddSigner) {
                _checkNewSigner(members, c.account);
                if (core.signerCount + 1 > MAX_SIGNERS) revert SignerCountOutOfRange(core.signerCount + 1, MAX_SIGNERS);
                _checkThreshold(c.value, core.signerCount + 1);
            } else {
                (, bool found) = MemberSet.indexOf(members, c.account, 0);
                if (!found) revert SignerNotMember(c.account);
                if (action == ConfigAction.RemoveSigner) {
                    if (core.signerCount == 1) revert SignerCountOutOfRange(0, MAX_SIGNERS);
                    _checkThreshold(c.value, core.signerCount - 1);
                } else {
                    _checkNewSigner(members, c.replacement);
                }
            }
        }
    }

    function _checkNewSigner(bytes memory members, address account) private pure {
        if (account == address(0)) revert SignerIsZeroAddress();
        (, bool found) = MemberSet.indexOf(members, account, 0);
        if (found) revert SignerAlreadyMember(account);
    }

    function _checkThreshold(uint256 threshold, uint256 signerCount) private pure {
        if (threshold == 0 || threshold > signerCount) revert ThresholdOutOfRange(threshold, signerCount);
    }

    function _checkDelay(ConfigAction action, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert DelayOutOfRange(action, value, min, max);
    }

    function _checkWithdrawal(Withdrawal calldata w, uint32 epoch, bool exactNonce) private view {
        _checkEpoch(w.epoch, epoch);
        if (w.to == address(0)) revert WithdrawalToZeroAddress();
        if (w.amount == 0) revert WithdrawalAmountZero();
        if (!exactNonce) {
            uint32 next = _withdrawalNonces[w.asset];
            if (w.nonce < next) revert NonceMismatch(w.nonce, next);
        }
    }

    function _checkConfigChange(ConfigChange calldata c, Core memory core, bool exactNonce) private view {
        _checkEpoch(c.epoch, core.epoch);
        if (!exactNonce && c.nonce < core.configNonce) revert NonceMismatch(c.nonce, core.configNonce);
        _validateConfigChange(c, core);
    }

    function _checkEpoch(uint32 given, uint32 current) private pure {
        if (given != current) revert EpochMismatch(given, current);
    }

    // =========================================================================================
    // Internal: helpers
    // =========================================================================================

    function _signers(uint32 epoch) private view returns (address[] memory) {
        return MemberSet.read(_signerSalt(epoch));
    }

    function _signerIndex(address account, uint32 epoch) private view returns (uint256 index) {
        bool found;
        (index, found) = MemberSet.indexOf(MemberSet.load(_signerSalt(epoch)), account, 0);
        if (!found) revert CallerNotSigner(account);
    }

    /// @dev Salt of the signer set of `epoch`; other sets (guardians) use other high bits.
    function _signerSalt(uint32 epoch) private pure returns (bytes32) {
        return bytes32(uint256(epoch));
    }

    function _insert(address[] memory members, address account) private pure returns (address[] memory out) {
        out = new address[](members.length + 1);
        uint256 j = 0;
        for (uint256 i = 0; i < out.length; ++i) {
            out[i] = (j < members.length && (members[j] < account || i > j)) ? members[j++] : account;
        }
    }

    function _remove(address[] memory members, address account) private pure returns (address[] memory out) {
        out = new address[](members.length - 1);
        uint256 j = 0;
        for (uint256 i = 0; i < members.length; ++i) {
            if (members[i] != account) out[j++] = members[i];
        }
    }

    function _popcount(uint256 x) private pure returns (uint256 n) {
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }
}
