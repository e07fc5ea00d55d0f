// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ConfigAction, IReserveVaultErrors, Recovery, Withdrawal} from "../../contracts/interfaces/IReserveVault.sol";
import {GuardianTestBase} from "./GuardianTestBase.sol";

/// @title Unit tests of the guardian module's recovery: queueRecovery, executeRecovery, cancelRecovery.
/// @notice The guardian quorum proposes a new signer set (keys 6-9 of the pool), anyone executes it
///         in [eta, eta + executionWindow], and the signer quorum can cancel it before. Each revert
///         path is checked with its exact error and arguments, each effect through the views.
contract GuardianRecoveryTest is GuardianTestBase {
    // =====================================================================================
    // queueRecovery
    // =====================================================================================

    /// @notice K guardian signatures relayed by an outsider queue a recovery at now + recoveryDelay.
    function test_GuardianQuorumQueuesRecovery() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = module.recoveryId(r);
        bytes memory signatures = _sign(_keys(1, 3), id);
        uint256 eta = now_ + RECOVERY_DELAY;
        vm.expectEmit();
        emit RecoveryQueued(id, r.signers, 2, eta);
        vm.prank(OUTSIDER);
        bytes32 queued = module.queueRecovery(r, signatures);
        _assertEq(queued, id, "returned id");
        _assertPendingRecovery(id, eta, true);
        (,,,, uint32 recoveryNonce,) = module.guardianStatus();
        _assertEq(recoveryNonce, 1, "recovery nonce");
    }

    /// @notice A guardian submitting one other guardian's signature reaches K = 2.
    function test_GuardianSubmittingOtherSignatureQueuesRecovery() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = module.recoveryId(r);
        bytes memory signature = _sign(_keys(5), id);
        vm.prank(_key(1).account);
        module.queueRecovery(r, signature);
        _assertPendingRecovery(id, now_ + RECOVERY_DELAY, true);
    }

    /// @notice One guardian alone cannot queue a recovery.
    function test_RevertWhen_RecoveryBelowThreshold() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes memory signature = _sign(_keys(1), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.queueRecovery(r, signature);
    }

    /// @notice Signers' signatures are no guardian approvals for a recovery.
    function test_RevertWhen_SignersQueueRecovery() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes memory signatures = _sign(_keys(0, 2), module.recoveryId(r));
        address signer = _key(0).account;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 0, signer));
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery must be signed for the current guardian epoch.
    function test_RevertWhen_RecoveryForOtherGuardianEpoch() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        r.guardianEpoch = 2;
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianEpochMismatch.selector, 2, 1));
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery must carry the next recovery nonce.
    function test_RevertWhen_RecoveryNonceNotNext() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        r.nonce = 1;
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        module.queueRecovery(r, signatures);
    }

    /// @notice No second recovery while one is pending, up to the last second of its window.
    function test_RevertWhen_RecoveryAlreadyPending() external {
        bytes32 first = _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        (, uint256 deadline) = _recoveryTimes();
        Recovery memory second = _recovery(_keys(7, 8, 9), 2);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(second));
        _warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryAlreadyPending.selector, first));
        module.queueRecovery(second, signatures);
    }

    /// @notice Once the pending recovery expired, the guardians queue a new one (next nonce).
    function test_NewRecoveryOnceThePendingExpired() external {
        _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        (, uint256 deadline) = _recoveryTimes();
        Recovery memory second = _recovery(_keys(7, 8, 9), 2);
        _assertEq(second.nonce, 1, "next nonce");
        _warp(deadline + 1);
        bytes32 id = _queueRecovery(second);
        _assertPendingRecovery(id, now_ + RECOVERY_DELAY, true);
    }

    /// @notice A recovery cannot make a guardian a signer.
    function test_RevertWhen_RecoveryMakesGuardianSigner() external {
        Recovery memory r = _recovery(_keys(1, 6, 7), 2);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianAlreadyMember.selector, r.signers[0]));
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery's signers must be strictly ascending.
    function test_RevertWhen_RecoverySignersNotAscending() external {
        Recovery memory r = _recovery(_keys(6, 8, 7), 2);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.MembersNotAscending.selector, 2));
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery cannot install the zero address as a signer.
    function test_RevertWhen_RecoveryToZeroAddress() external {
        Recovery memory r = _recovery(_keys(6, 7), 2);
        r.signers[0] = address(0);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(IReserveVaultErrors.SignerIsZeroAddress.selector);
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery's threshold cannot exceed its signer count.
    function test_RevertWhen_RecoveryThresholdAboveSigners() external {
        Recovery memory r = _recovery(_keys(6, 7), 3);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 3, 2));
        module.queueRecovery(r, signatures);
    }

    /// @notice A recovery after which no valid council threshold exists is refused (1 signer, G = 3, K = 2).
    function test_RevertWhen_RecoveryLeavesNoValidCouncil() external {
        Recovery memory r = _recovery(_keys(6), 1);
        bytes memory signatures = _sign(_keys(1, 3), module.recoveryId(r));
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 2, 3, 2)
        );
        module.queueRecovery(r, signatures);
    }

    /// @notice A guardian cannot veto a pending recovery: it is in no vault queue slot.
    function test_RevertWhen_GuardianVetoesRecovery() external {
        bytes32 id = _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        vm.prank(_key(1).account);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, 0));
        module.veto(id, 0, "");
        _assertPendingRecovery(id, now_ + RECOVERY_DELAY, true);
    }

    // =====================================================================================
    // executeRecovery
    // =====================================================================================

    /// @notice Anyone executes a recovery at its eta: signers replaced, epoch advanced, cool-off started.
    function test_AnyoneExecutesRecoveryAtEta() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        vm.expectEmit();
        emit RecoveryExecuted(id, now_ + COOL_OFF);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vm.expectEmit();
        emit CoolOffStarted(now_ + COOL_OFF);
        vm.prank(OUTSIDER);
        module.executeRecovery(r);
        _assertSameSet(vault.signers(), r.signers, "signers");
        (uint32 epoch, uint256 threshold,,,,,) = vault.configuration();
        _assertEq(epoch, 2, "epoch");
        _assertEq(threshold, 2, "threshold");
        (, uint256 coolOffUntil) = vault.timings();
        _assertEq(coolOffUntil, now_ + COOL_OFF, "cool-off");
        _assertPendingRecovery(id, 0, false);
        (,,, uint256 council) = module.guardianCounts();
        _assertEq(council, COUNCIL, "C unchanged");
    }

    /// @notice A recovery to fewer signers lowers the council threshold to stay valid (N = 2: C = 3).
    function test_RecoveryToFewerSignersLowersCouncil() external {
        Recovery memory r = _recovery(_keys(6, 7), 2);
        _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        vm.expectEmit();
        emit CouncilThresholdChanged(COUNCIL, 3);
        module.executeRecovery(r);
        (,,, uint256 council) = module.guardianCounts();
        _assertEq(council, 3, "C");
        _assertSameSet(vault.signers(), r.signers, "signers");
    }

    /// @notice Nobody executes a recovery one second before its eta.
    function test_RevertWhen_RecoveryExecutedBeforeEta() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        (uint256 eta,) = _recoveryTimes();
        _warp(eta - 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, id, eta, eta - 1));
        module.executeRecovery(r);
    }

    /// @notice Anyone executes a recovery at the last second of its window.
    function test_RecoveryExecutesAtLastSecondOfWindow() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        (, uint256 deadline) = _recoveryTimes();
        _assertEq(deadline, now_ + RECOVERY_DELAY + EXECUTION_WINDOW, "deadline");
        _warp(deadline);
        vm.expectEmit();
        emit RecoveryExecuted(id, deadline + COOL_OFF);
        module.executeRecovery(r);
        _assertSameSet(vault.signers(), r.signers, "signers");
    }

    /// @notice Nobody executes a recovery one second after its window.
    function test_RevertWhen_RecoveryExecutedAfterWindow() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        (, uint256 deadline) = _recoveryTimes();
        _warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, id, deadline, deadline + 1)
        );
        module.executeRecovery(r);
    }

    /// @notice Nobody executes a recovery that was never queued.
    function test_RevertWhen_RecoveryNeverQueued() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = module.recoveryId(r);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, id));
        module.executeRecovery(r);
    }

    /// @notice Nobody executes another recovery than the pending one.
    function test_RevertWhen_OtherRecoveryExecuted() external {
        _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        Recovery memory other = _recovery(_keys(7, 8, 9), 2);
        other.nonce = 0;
        bytes32 otherId = module.recoveryId(other);
        _skip(RECOVERY_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, otherId));
        module.executeRecovery(other);
    }

    /// @notice Nobody executes a recovery twice.
    function test_RevertWhen_RecoveryExecutedTwice() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        module.executeRecovery(r);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, id));
        module.executeRecovery(r);
    }

    /// @notice A recovery dies when the guardian set changes before it executes (guardian epoch 1 -> 2).
    function test_RevertWhen_RecoveryExecutedAfterGuardianSetChanged() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        _queueRecovery(r);
        _executeConfig(_configChange(ConfigAction.SetGuardianThreshold, address(0), address(0), 1));
        _skip(RECOVERY_DELAY - CONFIG_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianEpochMismatch.selector, 1, 2));
        module.executeRecovery(r);
    }

    /// @notice A withdrawal queued before a recovery can never execute after it (the epoch advanced).
    function test_RevertWhen_WithdrawalQueuedBeforeRecoveryExecuted() external {
        (Withdrawal memory w,) = _queueWithdrawal(0, 1 ether);
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        module.executeRecovery(r);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 1, 2));
        vault.executeWithdrawal(w, 0);
    }

    /// @notice The recovered signers lift a freeze, signing Unfreeze for the new epoch.
    function test_RecoveredSignersLiftFreeze() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        module.executeRecovery(r);
        _freeze();
        bytes memory signatures = _sign(_keys(6, 8), _unfreezeDigest(0, 2));
        module.unfreeze(signatures);
        _assertEq(_frozenUntil(), now_, "unfrozen");
    }

    // =====================================================================================
    // cancelRecovery
    // =====================================================================================

    /// @notice M signer signatures over Cancellation(id, epoch) in the module's domain cancel the recovery.
    function test_SignerQuorumCancelsRecovery() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        bytes memory signatures = _sign(_keys(0, 4), module.cancellationId(id));
        vm.expectEmit();
        emit RecoveryCancelled(id);
        module.cancelRecovery(id, signatures);
        _assertPendingRecovery(id, 0, false);
        _skip(RECOVERY_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, id));
        module.executeRecovery(r);
    }

    /// @notice After a cancellation the guardians queue a new recovery with the next nonce.
    function test_NewRecoveryAfterCancellation() external {
        bytes32 first = _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        bytes memory signature = _sign(_keys(2), module.cancellationId(first));
        vm.prank(_key(0).account);
        module.cancelRecovery(first, signature);
        Recovery memory second = _recovery(_keys(6, 7, 8), 2);
        _assertEq(second.nonce, 1, "next nonce");
        bytes32 id = _queueRecovery(second);
        _assertPendingRecovery(id, now_ + RECOVERY_DELAY, true);
    }

    /// @notice One signer alone cannot cancel a recovery.
    function test_RevertWhen_CancelRecoveryBelowThreshold() external {
        bytes32 id = _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        bytes memory signature = _sign(_keys(2), module.cancellationId(id));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 2, 1));
        module.cancelRecovery(id, signature);
        _assertPendingRecovery(id, now_ + RECOVERY_DELAY, true);
    }

    /// @notice Guardians' signatures cannot cancel a recovery (only signers can).
    function test_RevertWhen_GuardiansCancelRecovery() external {
        bytes32 id = _queueRecovery(_recovery(_keys(6, 7, 8), 2));
        bytes memory signatures = _sign(_keys(3, 5), module.cancellationId(id));
        address guardian = _key(3).account;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 0, guardian));
        module.cancelRecovery(id, signatures);
    }

    /// @notice Nobody cancels a recovery that is not pending.
    function test_RevertWhen_CancelUnknownRecovery() external {
        bytes32 id = keccak256("no such recovery");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, id));
        module.cancelRecovery(id, "");
    }

    /// @notice Nobody cancels a recovery that already executed.
    function test_RevertWhen_CancelExecutedRecovery() external {
        Recovery memory r = _recovery(_keys(6, 7, 8), 2);
        bytes32 id = _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        module.executeRecovery(r);
        bytes memory signatures = _sign(_keys(6, 7), module.cancellationId(id));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.RecoveryNotQueued.selector, id));
        module.cancelRecovery(id, signatures);
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    function _recoveryTimes() private view returns (uint256 eta, uint256 deadline) {
        (, eta, deadline,) = _recoveryPending();
    }

    function _assertPendingRecovery(bytes32 id, uint256 eta, bool queued) private view {
        (bytes32 pendingId, uint256 pendingEta, uint256 deadline, bool isQueued) = _recoveryPending();
        _assertEq(pendingId, id, "pending recovery id");
        _assertEq(pendingEta, eta, "pending recovery eta");
        _assertEq(deadline, queued ? eta + EXECUTION_WINDOW : 0, "pending recovery deadline");
        _assertTrue(isQueued == queued, "pending recovery queued");
    }
}
