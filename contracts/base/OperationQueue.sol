// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

// block.timestamp is the timelock's clock here (etas, execution windows, freezes, outflow
// periods), compared against delays of at least a minute and never used as randomness; the few
// seconds a block producer can shift it cannot matter at that scale (docs/AUDIT.md, Lint).
// solhint-disable not-rely-on-time

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {OperationState} from "../interfaces/IReserveVault.sol";
import {AssetState} from "../libraries/AssetState.sol";
import {QueueRecord, QueueRecordLib} from "../libraries/QueueRecord.sol";
import {SignerApprovals} from "./SignerApprovals.sol";

/// @title The timelock: queue slots, etas, execution windows, cancellation, and the one view that
///        derives an operation's state.
/// @notice An approved operation waits its delay, then anyone may execute it until its deadline
///         (eta + execution window); the signer quorum or a guardian veto can cancel it before.
abstract contract OperationQueue is SignerApprovals {
    /// @notice The state of operation `id` as seen through queue slot `slot`.
    /// @dev A slot remembers only its latest operation: once reused, older ids read as Unknown
    ///      (their events remain). Operations of an older epoch can never execute.
    /// @param id The operation's id.
    /// @param slot The queue slot to look in.
    /// @return The state.
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
        // A revoked proposal queued by M signatures keeps its Revoked record: once its nonce is used
        // (queued, then executed or cancelled and its slot reused) it reads Unknown, like a pending one.
        if (p.status == ProposalStatus.Revoked && _canStillQueue(p)) return OperationState.Revoked;
        return OperationState.Unknown;
    }

    /// @notice What queue slot `slot` holds: the top 184 bits of the id of its latest operation,
    ///         that operation's eta and execution deadline (0 unless it is queued), and whether a new
    ///         operation may take the slot.
    /// @param slot The queue slot.
    /// @return idPrefix The top 184 bits of its latest operation's id (low 72 bits zero).
    /// @return eta That operation's eta (0 unless queued).
    /// @return deadline Its execution deadline (0 unless queued).
    /// @return free Whether a new operation may take the slot.
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

    /// @dev Writes `id` into free `slot` with eta = now + delay and deadline = eta + window, both
    ///      fixed from now on; `counted` marks a withdrawal counted against its outflow limit.
    function _enqueue(bytes32 id, uint256 slot, uint256 delay, uint256 window, bool counted)
        internal
        returns (uint256 eta)
    {
        if (!_queue[slot].isFree(block.timestamp)) revert QueueSlotOccupied(slot);
        eta = block.timestamp + delay;
        // eta fits 40 bits until the year 36,812 (checked); window <= MAX_EXECUTION_WINDOW < 2^24.
        _queue[slot] = QueueRecordLib.queued(id, SafeCast.toUint40(eta), uint24(window), counted);
    }

    function _markExecuted(bytes32 id, uint256 slot) internal {
        QueueRecord record = _queue[slot];
        (bool queued, uint256 eta, uint256 deadline) = record.queuedTimes(id);
        if (!queued) revert OperationNotQueued(id, slot);
        if (block.timestamp < eta) revert OperationNotReady(id, eta, block.timestamp);
        if (block.timestamp > deadline) revert OperationExpired(id, deadline, block.timestamp);
        _queue[slot] = record.closed(QueueRecordLib.EXECUTED);
    }

    /// @dev Cancels `id` queued in `slot`, or its pending proposal.
    ///      Cancelling a pending proposal consumes its nonce, so that no signatures collected
    ///      off-chain can queue it afterwards: cancelled is final. Its nonce must therefore be the
    ///      next one of its lane.
    function _cancel(bytes32 id, uint256 slot) internal {
        QueueRecord record = _queue[slot];
        if (record.holds(id) && record.isQueued()) {
            _queue[slot] = record.closed(QueueRecordLib.CANCELLED);
        } else {
            Proposal storage p = _proposals[id];
            if (p.status != ProposalStatus.Pending || !_canStillQueue(p)) revert NothingToCancel(id, slot);
            p.status = ProposalStatus.Cancelled;
            if (p.kind == ProposalKind.Withdrawal) {
                AssetState a = _assets[p.asset];
                if (p.nonce != a.nonce()) revert NonceNotNext(p.nonce, a.nonce());
                _assets[p.asset] = a.nextNonce();
            } else {
                uint32 next = _timing.configNonce;
                if (p.nonce != next) revert NonceNotNext(p.nonce, next);
                _timing.configNonce = next + 1;
            }
        }
        emit OperationCancelled(id, slot);
    }
}
