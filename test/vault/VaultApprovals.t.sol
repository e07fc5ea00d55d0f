// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ConfigAction, ConfigChange, IReserveVaultErrors, OperationState, Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {VaultUnitBase} from "./VaultUnitBase.sol";

/// @title Unit tests of ReserveVault approvals and cancellation: signature checks, revoking a
///        proposal, cancelling by signatures or on-chain approvals, and the proposal states.
/// @notice Each test starts from the 3-of-4 vault of VaultUnitBase at time START.
contract VaultApprovalsTest is VaultUnitBase {
    uint256 private constant SLOT = 3;

    function _propose(Withdrawal memory w, uint256 signer) private returns (bytes32 id) {
        vm.prank(_signer(signer));
        id = vault.proposeWithdrawal(w);
    }

    function _approveCancellation(bytes32 id, uint256 slot, uint256 signer) private returns (bool) {
        vm.prank(_signer(signer));
        return vault.approveCancellation(id, slot);
    }

    // -------------------------------------------------------------------------------------
    // Signatures
    // -------------------------------------------------------------------------------------

    /// Signatures are whole 65-byte blocks.
    function test_RevertWhen_SignaturesLengthInvalid() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes memory sigs = _quorumSigs(vault.withdrawalId(w));
        bytes memory cut = new bytes(sigs.length - 1);
        for (uint256 i = 0; i < cut.length; ++i) {
            cut[i] = sigs[i];
        }
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignaturesLengthInvalid.selector, 194));
        vault.queueWithdrawal(w, SLOT, cut);
    }

    /// A malformed signature (v = 0) is rejected by its index.
    function test_RevertWhen_SignatureInvalid() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes memory sigs = _quorumSigs(vault.withdrawalId(w));
        sigs[64 + 65] = 0x00; // v of the second signature
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureInvalid.selector, 1));
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// A signature of a non-signer is rejected with its recovered address.
    function test_RevertWhen_SignatureNotFromSigner() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        // The top guardian's address is compared against every signer: use it as an outsider key.
        bytes memory outsider = _join(_signEach(_subset(guardianList, 0x4), id));
        bytes memory sigs = bytes.concat(_sigs(id, 0x1), outsider);
        address recovered = _guardian(2);
        if (recovered < _signer(0)) {
            sigs = bytes.concat(outsider, _sigs(id, 0x1));
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 0, recovered));
        } else {
            vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureNotFromSigner.selector, 1, recovered));
        }
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// The same signer's signature twice is a duplicate.
    function test_RevertWhen_SignatureDuplicated() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        bytes memory sigs = bytes.concat(_sigs(id, 0x3), _sigs(id, 0x2));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignatureDuplicated.selector, 2, _signer(1)));
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// Signers must be strictly ascending.
    function test_RevertWhen_SignaturesNotAscending() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        bytes memory sigs = bytes.concat(_sigs(id, 0x4), _sigs(id, 0x1), _sigs(id, 0x2));
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.SignaturesNotAscending.selector, 1, _signer(0), _signer(2))
        );
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    // -------------------------------------------------------------------------------------
    // revokeProposal
    // -------------------------------------------------------------------------------------

    /// The proposer withdraws its pending proposal: Revoked, no longer approvable, but M signatures
    /// may still queue the withdrawal.
    function test_RevokeProposal() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = _propose(w, 2);
        vm.expectEmit();
        emit ProposalRevoked(id, _signer(2));
        vm.prank(_signer(2));
        vault.revokeProposal(id);
        _assertState(id, SLOT, OperationState.Revoked, "revoked");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(0));
        vault.approveWithdrawal(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(2));
        vault.revokeProposal(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalAlreadyExists.selector, id));
        vm.prank(_signer(1));
        vault.proposeWithdrawal(w);
        // Its own approval no longer counts: 2 signatures fall short.
        bytes memory two = _sigs(id, 0x3);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 2));
        vault.queueWithdrawal(w, SLOT, two);
        vault.queueWithdrawal(w, SLOT, _quorumSigs(id));
        _assertState(id, SLOT, OperationState.Queued, "queued by signatures");
    }

    /// A revoked proposal that M signatures queued is Unknown once its slot holds another operation,
    /// like every older id (SPEC §4), not Revoked again: its revocation record does not outlive its nonce.
    function test_RevokedThenQueuedReadsUnknownOnceItsSlotIsReused() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = _propose(w, 2);
        vm.prank(_signer(2));
        vault.revokeProposal(id);
        (, uint256 eta) = _queue(w, SLOT);
        _assertState(id, SLOT, OperationState.Queued, "queued by signatures");
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        _assertState(id, SLOT, OperationState.Executed, "executed");
        _queue(_eth(1 ether, 1), SLOT);
        _assertState(id, SLOT, OperationState.Unknown, "its slot reused: Unknown");
    }

    /// SPEC §4: a proposal record stores no epoch, so a proposal made before a membership change still
    /// reads Pending, but it can never be approved or queued: both revert EpochMismatch.
    function test_OldEpochProposalReadsPendingButCannotBeQueued() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = _propose(w, 2);
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        _queueChange(c, 1);
        vm.warp(START + CONFIG_DELAY);
        vault.executeConfigChange(c, 1);
        _assertState(id, SLOT, OperationState.Pending, "old-epoch proposal still reads Pending");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 1, 2));
        vm.prank(_signer(0));
        vault.approveWithdrawal(w, SLOT);
        bytes memory sigs = _quorumSigs(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 1, 2));
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// Only the proposer may revoke.
    function test_RevertWhen_RevokeByAnotherSigner() external {
        bytes32 id = _propose(_eth(1 ether, 0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.CallerNotProposer.selector, _signer(3), _signer(1))
        );
        vm.prank(_signer(3));
        vault.revokeProposal(id);
        _assertState(id, SLOT, OperationState.Pending, "still pending");
    }

    /// Nothing unknown can be revoked.
    function test_RevertWhen_RevokeUnknownProposal() external {
        bytes32 id = keccak256("nothing");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(0));
        vault.revokeProposal(id);
    }

    /// A proposal whose nonce another withdrawal used is stale: neither pending nor revocable.
    function test_RevertWhen_RevokeStaleProposal() external {
        bytes32 id = _propose(_eth(1 ether, 0), 0);
        _queue(_eth(2 ether, 0), 0);
        _assertState(id, SLOT, OperationState.Unknown, "stale");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(0));
        vault.revokeProposal(id);
    }

    /// A config-change proposal is stale once the configuration nonce passes it.
    function test_ConfigProposalStaleOnceNonceUsed() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeConfigChange(c);
        _assertState(id, SLOT, OperationState.Pending, "pending");
        _queueChange(_change(ConfigAction.SetWithdrawalDelay, address(0), 2 hours, 0), 0);
        _assertState(id, SLOT, OperationState.Unknown, "stale");
    }

    // -------------------------------------------------------------------------------------
    // cancel (signatures, mixable with on-chain approvals)
    // -------------------------------------------------------------------------------------

    /// M signatures over the cancellation cancel a queued withdrawal at once; its slot is free.
    function test_CancelQueuedWithdrawal() external {
        (bytes32 id, uint256 eta) = _queue(_eth(1 ether, 0), SLOT);
        bytes memory sigs = _quorumSigs(vault.cancellationId(id));
        vm.expectEmit();
        emit OperationCancelled(id, SLOT);
        vm.prank(OUTSIDER);
        vault.cancel(id, SLOT, sigs);
        _assertState(id, SLOT, OperationState.Cancelled, "cancelled");
        _assertSlot(SLOT, id, 0, 0, true);
        vm.warp(eta);
        _assertState(id, SLOT, OperationState.Cancelled, "cancelled is final");
        _assertEq(vault.withdrawalNonce(address(0)), 1, "nonce stays used");
    }

    /// An expired operation can still be cancelled.
    function test_CancelExpiredWithdrawal() external {
        (bytes32 id, uint256 eta) = _queue(_eth(1 ether, 0), SLOT);
        vm.warp(eta + WINDOW + 1);
        vault.cancel(id, SLOT, _quorumSigs(vault.cancellationId(id)));
        _assertState(id, SLOT, OperationState.Cancelled, "cancelled");
    }

    /// M - 1 signatures cannot cancel.
    function test_RevertWhen_CancelBelowThreshold() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        bytes memory sigs = _sigs(vault.cancellationId(id), 0x5);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 2));
        vault.cancel(id, SLOT, sigs);
        _assertState(id, SLOT, OperationState.Queued, "still queued");
    }

    /// Cancelling a pending withdrawal proposal consumes its nonce: signatures can no longer queue it.
    function test_CancelPendingWithdrawalProposal() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = _propose(w, 0);
        vault.cancel(id, 99, _quorumSigs(vault.cancellationId(id)));
        _assertState(id, 99, OperationState.Cancelled, "cancelled");
        _assertEq(vault.withdrawalNonce(address(0)), 1, "nonce consumed");
        bytes memory sigs = _quorumSigs(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// Cancelling a pending config-change proposal consumes the configuration nonce.
    function test_CancelPendingConfigProposal() external {
        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 0);
        vm.prank(_signer(1));
        bytes32 id = vault.proposeConfigChange(c);
        vault.cancel(id, 0, _quorumSigs(vault.cancellationId(id)));
        _assertState(id, 0, OperationState.Cancelled, "cancelled");
        (,,,,,, uint32 configNonce) = vault.configuration();
        _assertEq(configNonce, 1, "config nonce consumed");
    }

    /// Only the next nonce's proposal can be cancelled (cancelling consumes exactly that nonce).
    function test_RevertWhen_CancelProposalWithNonceAhead() external {
        bytes32 id = _propose(_eth(1 ether, 5), 0);
        bytes memory sigs = _quorumSigs(vault.cancellationId(id));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceNotNext.selector, 5, 0));
        vault.cancel(id, SLOT, sigs);

        ConfigChange memory c = _change(ConfigAction.SetThreshold, address(0), 2, 3);
        vm.prank(_signer(0));
        bytes32 changeId = vault.proposeConfigChange(c);
        bytes memory changeSigs = _quorumSigs(vault.cancellationId(changeId));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceNotNext.selector, 3, 0));
        vault.cancel(changeId, SLOT, changeSigs);
    }

    /// Nothing to cancel: an unknown id, an executed operation, a revoked or stale proposal, or a
    /// cancellation itself.
    function test_RevertWhen_NothingToCancel() external {
        bytes32 unknown = keccak256("unknown");
        bytes memory sigs = _quorumSigs(vault.cancellationId(unknown));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, unknown, SLOT));
        vault.cancel(unknown, SLOT, sigs);

        Withdrawal memory w = _eth(1 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        sigs = _quorumSigs(vault.cancellationId(id));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, id, SLOT));
        vault.cancel(id, SLOT, sigs);

        bytes32 revoked = _propose(_eth(1 ether, 1), 0);
        vm.prank(_signer(0));
        vault.revokeProposal(revoked);
        sigs = _quorumSigs(vault.cancellationId(revoked));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, revoked, SLOT));
        vault.cancel(revoked, SLOT, sigs);
    }

    /// A stale proposal (nonce used by another withdrawal) cannot be cancelled.
    function test_RevertWhen_CancelStaleProposal() external {
        bytes32 stale = _propose(_eth(1 ether, 0), 0);
        _queue(_eth(2 ether, 0), 0);
        bytes memory sigs = _quorumSigs(vault.cancellationId(stale));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, stale, SLOT));
        vault.cancel(stale, SLOT, sigs);
    }

    /// A queued operation is cancelled only through its own slot.
    function test_RevertWhen_CancelThroughWrongSlot() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        bytes memory sigs = _quorumSigs(vault.cancellationId(id));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, id, SLOT + 1));
        vault.cancel(id, SLOT + 1, sigs);
    }

    // -------------------------------------------------------------------------------------
    // approveCancellation (on-chain)
    // -------------------------------------------------------------------------------------

    /// The first approval opens the cancellation, the M-th cancels; cancellations cannot be
    /// cancelled and never read as pending operations.
    function test_ApproveCancellationCancelsAtThreshold() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        bytes32 cancellation = vault.cancellationId(id);
        vm.expectEmit();
        emit CancellationProposed(cancellation, _signer(3), id);
        vm.expectEmit();
        emit OperationApproved(cancellation, _signer(3), 1);
        _assertFalse(_approveCancellation(id, SLOT, 3), "first approval");
        _assertState(cancellation, SLOT, OperationState.Unknown, "a cancellation is never pending");
        (uint256 bitmap, uint256 count, address proposer) = vault.approvals(cancellation);
        _assertEq(bitmap, 0x8, "bitmap");
        _assertEq(count, 1, "count");
        _assertEq(proposer, _signer(3), "proposer");

        vm.expectEmit();
        emit OperationApproved(cancellation, _signer(0), 2);
        _assertFalse(_approveCancellation(id, SLOT, 0), "second approval");
        _assertState(id, SLOT, OperationState.Queued, "still queued");

        vm.expectEmit();
        emit OperationApproved(cancellation, _signer(1), 3);
        vm.expectEmit();
        emit OperationCancelled(id, SLOT);
        _assertTrue(_approveCancellation(id, SLOT, 1), "third approval cancels");
        _assertState(id, SLOT, OperationState.Cancelled, "cancelled");

        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, cancellation));
        vm.prank(_signer(2));
        vault.approveCancellation(id, SLOT);
    }

    /// A signer approves a cancellation once; only signers approve.
    function test_RevertWhen_ApproveCancellationTwiceOrNotSigner() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        _approveCancellation(id, SLOT, 0);
        bytes32 cancellation = vault.cancellationId(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AlreadyApproved.selector, cancellation, _signer(0)));
        vm.prank(_signer(0));
        vault.approveCancellation(id, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, OUTSIDER));
        vm.prank(OUTSIDER);
        vault.approveCancellation(id, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, OUTSIDER));
        vm.prank(OUTSIDER);
        vault.approveCancellation(keccak256("other"), SLOT);
    }

    /// On-chain cancellation approvals add to signatures in cancel, and close the cancellation.
    function test_CancelMixesSignaturesAndApprovals() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        bytes32 cancellation = vault.cancellationId(id);
        _approveCancellation(id, SLOT, 0);
        _approveCancellation(id, SLOT, 1);
        vault.cancel(id, SLOT, _sigs(cancellation, 0x8));
        _assertState(id, SLOT, OperationState.Cancelled, "cancelled");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, cancellation));
        vm.prank(_signer(2));
        vault.approveCancellation(id, SLOT);
    }

    /// The approval reaching M fails if there is nothing to cancel (here: executed meanwhile).
    function test_RevertWhen_ApproveCancellationOfExecutedOperation() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        _approveCancellation(id, SLOT, 0);
        _approveCancellation(id, SLOT, 1);
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToCancel.selector, id, SLOT));
        vm.prank(_signer(2));
        vault.approveCancellation(id, SLOT);
    }

    // -------------------------------------------------------------------------------------
    // Views over proposals
    // -------------------------------------------------------------------------------------

    /// An id nobody proposed has no approvals and no proposer.
    function test_ApprovalsOfUnknownId() external view {
        (uint256 bitmap, uint256 count, address proposer) = vault.approvals(keccak256("none"));
        _assertEq(bitmap, 0, "bitmap");
        _assertEq(count, 0, "count");
        _assertEq(proposer, address(0), "proposer");
        _assertState(keccak256("none"), 0, OperationState.Unknown, "unknown");
    }

    /// A cancellation id depends on the operation and the epoch (it changes with the epoch).
    function test_CancellationIdFollowsEpoch() external {
        bytes32 id = keccak256("op");
        bytes32 before = vault.cancellationId(id);
        _assertTrue(before != vault.cancellationId(keccak256("other op")), "depends on the operation");
        _executeChange(_change(ConfigAction.SetThreshold, address(0), 2, 0), 0);
        _assertTrue(before != vault.cancellationId(id), "depends on the epoch");
    }
}
