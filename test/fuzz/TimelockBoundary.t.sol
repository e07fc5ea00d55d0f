// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {IReserveVaultErrors, OperationState, Withdrawal} from "../../contracts/interfaces/IReserveVault.sol";
import {VaultFuzzBase} from "./VaultFuzzBase.sol";

/// @title Fuzzed timelock boundaries of ReserveVault withdrawals.
/// @notice Each run deploys a 2-of-3 vault with fuzzed delays (withdrawalDelay and configDelay in
///         [MIN_DELAY, MAX_DELAY] with configDelay >= withdrawalDelay, executionWindow in
///         [MIN_EXECUTION_WINDOW, MAX_EXECUTION_WINDOW]), queues an ETH withdrawal at a fuzzed time
///         in a fuzzed slot, and checks:
///         - the recorded eta is the queue time plus withdrawalDelay;
///         - executeWithdrawal at t succeeds iff eta <= t <= eta + window; before it reverts
///           OperationNotReady(id, eta, t), after it OperationExpired(id, eta + window, t) — at a
///           fuzzed t and, every run, at eta - 1, eta, eta + window and eta + window + 1;
///         - a queue slot is free iff it is empty or its operation is executed, cancelled or
///           expired, and a new withdrawal can be queued in it exactly then.
contract TimelockBoundaryFuzzTest is VaultFuzzBase {
    uint256 private constant SIGNER_COUNT = 3;
    uint256 private constant THRESHOLD = 2;
    uint256 private constant SIGNER_SEED = uint256(keccak256("TimelockBoundary.signers"));
    address private constant RECIPIENT = address(uint160(uint256(keccak256("TimelockBoundary.recipient"))));
    uint256 private constant VAULT_FUNDS = 100 ether;
    uint256 private constant AMOUNT = 1 ether;

    /// @dev Latest fuzzed queue time: far past 2**32 (February 2106), the regression bound of an
    ///      earlier 32-bit eta field, and as late as a 40-bit eta (year 36,812) allows with the
    ///      longest delay and window (a later eta reverts rather than wraps).
    uint256 private constant LATEST_QUEUE_TIME = type(uint40).max - MAX_DELAY - MAX_EXECUTION_WINDOW;

    /// @dev What happens to the first operation before its slot is inspected.
    enum Fate {
        LeftQueued,
        Executed,
        Cancelled
    }

    struct Queued {
        ReserveVault vault;
        Signer[] signers;
        Delays delays;
        Withdrawal w;
        bytes32 id;
        uint256 slot;
        uint256 queuedAt;
        uint256 eta;
    }

    // -------------------------------------------------------------------------------------
    // Properties
    // -------------------------------------------------------------------------------------

    function testFuzz_ExecutesOnlyInsideItsWindow(
        uint256 withdrawalDelayRaw,
        uint256 configDelayRaw,
        uint256 windowRaw,
        uint256 queuedAtRaw,
        uint256 slot,
        uint256 tRaw
    ) external {
        Queued memory q = _deployAndQueue(withdrawalDelayRaw, configDelayRaw, windowRaw, queuedAtRaw, slot);
        uint256 deadline = q.eta + q.delays.window;

        _checkExecutionAt(q, q.eta - 1);
        _checkExecutionAt(q, q.eta);
        _checkExecutionAt(q, deadline);
        _checkExecutionAt(q, deadline + 1);
        // Anywhere from the queue time to one window past the deadline.
        _checkExecutionAt(q, _bound(tRaw, q.queuedAt, deadline + q.delays.window));
    }

    function testFuzz_SlotIsFreeIffItsOperationIsFinalOrExpired(
        uint256 withdrawalDelayRaw,
        uint256 configDelayRaw,
        uint256 windowRaw,
        uint256 queuedAtRaw,
        uint256 slot,
        uint256 fateRaw,
        uint256 fateTimeRaw,
        uint256 tRaw
    ) external {
        Queued memory q = _deployAndQueue(withdrawalDelayRaw, configDelayRaw, windowRaw, queuedAtRaw, slot);
        uint256 deadline = q.eta + q.delays.window;
        _assertSlot(q, Fate.LeftQueued, q.queuedAt);

        Fate fate = Fate(fateRaw % 3);
        uint256 fateTime = q.queuedAt;
        if (fate == Fate.Executed) {
            fateTime = _bound(fateTimeRaw, q.eta, deadline);
            vm.warp(fateTime);
            q.vault.executeWithdrawal(q.w, q.slot);
        } else if (fate == Fate.Cancelled) {
            // A queued operation can be cancelled until, and also after, it expires.
            fateTime = _bound(fateTimeRaw, q.queuedAt, deadline + q.delays.window);
            vm.warp(fateTime);
            bytes32 cancellation = q.vault.cancellationId(q.id);
            q.vault.cancel(q.id, q.slot, _quorumSignatures(q.signers, cancellation));
        }

        // The slot at the deadline, just after it, and at a fuzzed time (never before the fate).
        if (fateTime <= deadline) _assertSlot(q, fate, deadline);
        if (fateTime <= deadline + 1) _assertSlot(q, fate, deadline + 1);
        _assertSlot(q, fate, _bound(tRaw, fateTime, deadline + q.delays.window));
    }

    // -------------------------------------------------------------------------------------
    // Checks
    // -------------------------------------------------------------------------------------

    /// @dev At time `t` (in a snapshot, undone afterwards), executeWithdrawal succeeds iff
    ///      eta <= t <= eta + window, and otherwise reverts with the error for its side.
    function _checkExecutionAt(Queued memory q, uint256 t) private {
        uint256 snapshot = vm.snapshotState();
        vm.warp(t);
        uint256 deadline = q.eta + q.delays.window;
        OperationState state = q.vault.operationState(q.id, q.slot);
        if (t < q.eta) {
            _assertEq(uint256(state), uint256(OperationState.Queued), "state before eta");
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, q.id, q.eta, t));
            q.vault.executeWithdrawal(q.w, q.slot);
        } else if (t > deadline) {
            _assertEq(uint256(state), uint256(OperationState.Expired), "state after the window");
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, q.id, deadline, t));
            q.vault.executeWithdrawal(q.w, q.slot);
        } else {
            _assertEq(uint256(state), uint256(OperationState.Ready), "state inside the window");
            uint256 vaultBefore = address(q.vault).balance;
            uint256 recipientBefore = RECIPIENT.balance;
            q.vault.executeWithdrawal(q.w, q.slot);
            _assertEq(address(q.vault).balance, vaultBefore - AMOUNT, "vault balance after execution");
            _assertEq(RECIPIENT.balance, recipientBefore + AMOUNT, "recipient balance after execution");
            _assertEq(
                uint256(q.vault.operationState(q.id, q.slot)), uint256(OperationState.Executed), "state after execution"
            );
            // Executed is final: a second execution finds nothing queued.
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, q.id, q.slot));
            q.vault.executeWithdrawal(q.w, q.slot);
        }
        vm.revertToState(snapshot);
    }

    /// @dev At time `t` (in a snapshot): the slot is free iff the first operation is executed,
    ///      cancelled or expired; `free` agrees with `operationState`; and queueing the next
    ///      withdrawal there succeeds exactly when the slot is free (and then replaces the old one).
    function _assertSlot(Queued memory q, Fate fate, uint256 t) private {
        uint256 snapshot = vm.snapshotState();
        vm.warp(t);
        bool expired = t > q.eta + q.delays.window;
        bool expectedFree = fate != Fate.LeftQueued || expired;
        _assertSlotView(q, fate, expectedFree);
        _assertSlotReuse(q, t, expectedFree);
        vm.revertToState(snapshot);
    }

    /// @dev `queueSlot` and `operationState` of the first operation's slot agree with its fate.
    function _assertSlotView(Queued memory q, Fate fate, bool expectedFree) private view {
        (bytes32 prefix, uint256 eta, uint256 deadline, bool free) = q.vault.queueSlot(q.slot);
        _assertTrue(free == expectedFree, "slot is free iff its operation is executed, cancelled or expired");
        _assertEq(prefix, q.id & ~bytes32(uint256(type(uint72).max)), "slot holds the operation's id prefix");
        _assertEq(eta, fate == Fate.LeftQueued ? q.eta : 0, "slot eta");
        _assertEq(deadline, fate == Fate.LeftQueued ? q.eta + q.delays.window : 0, "slot deadline");
        OperationState state = q.vault.operationState(q.id, q.slot);
        bool finalOrExpired = state == OperationState.Executed || state == OperationState.Cancelled
            || state == OperationState.Expired;
        _assertTrue(free == finalOrExpired, "free agrees with operationState");
    }

    /// @dev Queueing the next withdrawal in the slot at time `t` succeeds exactly when it is free
    ///      (and then replaces the old operation).
    function _assertSlotReuse(Queued memory q, uint256 t, bool expectedFree) private {
        Withdrawal memory next =
            Withdrawal({asset: address(0), to: RECIPIENT, amount: AMOUNT, nonce: 1, epoch: FIRST_EPOCH});
        bytes32 nextId = q.vault.withdrawalId(next);
        bytes memory signatures = _quorumSignatures(q.signers, nextId);
        if (expectedFree) {
            q.vault.queueWithdrawal(next, q.slot, signatures);
            (, uint256 nextEta,,) = q.vault.queueSlot(q.slot);
            _assertEq(nextEta, t + q.delays.withdrawal, "eta of the withdrawal queued in the freed slot");
            // The slot now belongs to `next`: the old operation can no longer execute from it.
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, q.id, q.slot));
            q.vault.executeWithdrawal(q.w, q.slot);
        } else {
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.QueueSlotOccupied.selector, q.slot));
            q.vault.queueWithdrawal(next, q.slot, signatures);
        }
    }

    // -------------------------------------------------------------------------------------
    // Setup
    // -------------------------------------------------------------------------------------

    /// @dev A funded vault with fuzzed delays, and a 1 ETH withdrawal queued in `slot` at a fuzzed
    ///      time; checks that the slot was empty and free before, and the eta recorded after.
    function _deployAndQueue(
        uint256 withdrawalDelayRaw,
        uint256 configDelayRaw,
        uint256 windowRaw,
        uint256 queuedAtRaw,
        uint256 slot
    ) private returns (Queued memory q) {
        q.delays = _boundDelays(withdrawalDelayRaw, configDelayRaw, windowRaw);
        q.signers = _makeSigners(SIGNER_SEED, SIGNER_COUNT);
        q.vault = _deployVault(q.signers, THRESHOLD, q.delays);
        vm.deal(address(q.vault), VAULT_FUNDS);
        (,,, uint256 withdrawalDelay, uint256 configDelay, uint256 window,) = q.vault.configuration();
        _assertEq(withdrawalDelay, q.delays.withdrawal, "withdrawalDelay");
        _assertEq(configDelay, q.delays.config, "configDelay");
        _assertEq(window, q.delays.window, "executionWindow");

        q.w = Withdrawal({asset: address(0), to: RECIPIENT, amount: AMOUNT, nonce: 0, epoch: FIRST_EPOCH});
        q.id = q.vault.withdrawalId(q.w);
        q.slot = slot;
        q.queuedAt = _bound(queuedAtRaw, 1, LATEST_QUEUE_TIME);
        vm.warp(q.queuedAt);
        (bytes32 emptyPrefix, uint256 emptyEta, uint256 emptyDeadline, bool emptyFree) = q.vault.queueSlot(q.slot);
        _assertTrue(emptyFree && emptyPrefix == 0 && emptyEta == 0 && emptyDeadline == 0, "an empty slot is free");
        bytes32 id = q.vault.queueWithdrawal(q.w, q.slot, _quorumSignatures(q.signers, q.id));
        _assertEq(id, q.id, "queued id");

        (, q.eta,,) = q.vault.queueSlot(q.slot);
        _assertEq(q.eta, q.queuedAt + q.delays.withdrawal, "eta = queue time + withdrawalDelay");
    }

    /// @dev Signatures of the first THRESHOLD signers (ascending) over `digest`.
    function _quorumSignatures(Signer[] memory signers, bytes32 digest) private pure returns (bytes memory) {
        Signer[] memory quorum = new Signer[](THRESHOLD);
        for (uint256 i = 0; i < THRESHOLD; ++i) {
            quorum[i] = signers[i];
        }
        return _join(_signEach(quorum, digest));
    }
}
