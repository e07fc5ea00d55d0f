// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {
    ConfigAction,
    ConfigChange,
    IReserveVaultErrors,
    OperationState,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {FalseReturnToken} from "../../contracts/test/FalseReturnToken.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";
import {NoReturnToken} from "../../contracts/test/NoReturnToken.sol";
import {ReentrantReceiver} from "../../contracts/test/ReentrantReceiver.sol";
import {RevertingReceiver} from "../../contracts/test/RevertingReceiver.sol";
import {RevertingToken} from "../../contracts/test/RevertingToken.sol";
import {VaultUnitBase} from "./VaultUnitBase.sol";

/// @title Unit tests of ReserveVault withdrawals: queueing by signatures, on-chain proposals and
///        approvals, execution in the window, transfers, nonces and deposits.
/// @notice Each test starts from the 3-of-4 vault of VaultUnitBase at time START.
contract ReserveVaultTest is VaultUnitBase {
    uint256 private constant SLOT = 7;

    /// @dev A call re-entering the vault, and what it must answer: its return or revert data.
    struct Reentry {
        bytes call;
        bool succeeds;
        bytes answer;
    }

    // -------------------------------------------------------------------------------------
    // receive
    // -------------------------------------------------------------------------------------

    /// Anyone can deposit ETH; the deposit is announced with its sender and amount.
    function test_ReceiveAcceptsEthAndEmitsDeposited() external {
        vm.deal(OUTSIDER, 5 ether);
        vm.expectEmit();
        emit Deposited(OUTSIDER, 5 ether);
        vm.prank(OUTSIDER);
        (bool ok,) = address(vault).call{value: 5 ether}("");
        _assertTrue(ok, "deposit succeeded");
        _assertEq(address(vault).balance, VAULT_ETH + 5 ether, "vault balance");
    }

    // -------------------------------------------------------------------------------------
    // queueWithdrawal
    // -------------------------------------------------------------------------------------

    /// M signatures queue a withdrawal with eta = now + withdrawalDelay, deadline = eta + window,
    /// take the asset's nonce and count the amount against the asset's limit.
    function test_QueueWithdrawalBySignatures() external {
        Withdrawal memory w = _eth(2 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        uint256 eta = START + WITHDRAWAL_DELAY;
        bytes memory sigs = _quorumSigs(id);
        vm.expectEmit();
        emit WithdrawalQueued(id, address(0), RECIPIENT, 2 ether, 0, SLOT, eta);
        vm.prank(OUTSIDER);
        bytes32 returned = vault.queueWithdrawal(w, SLOT, sigs);
        _assertEq(returned, id, "returned id");
        _assertSlot(SLOT, id, eta, eta + WINDOW, false);
        _assertState(id, SLOT, OperationState.Queued, "state");
        _assertEq(vault.withdrawalNonce(address(0)), 1, "ETH nonce advanced");
        _assertEq(vault.withdrawalNonce(address(token)), 0, "token nonce untouched");
        (uint256 limit, uint256 used,) = vault.outflow(address(0));
        _assertEq(limit, ETH_LIMIT, "limit");
        _assertEq(used, 2 ether, "used");
    }

    /// M - 1 signatures (and no on-chain approvals) are not a quorum.
    function test_RevertWhen_QueueWithdrawalBelowThreshold() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes memory two = _sigs(vault.withdrawalId(w), 0x3);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 2));
        vault.queueWithdrawal(w, SLOT, two);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 0));
        vault.queueWithdrawal(w, SLOT, "");
    }

    /// All four signers' signatures are accepted too (more than M).
    function test_QueueWithdrawalWithEverySignature() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        vault.queueWithdrawal(w, SLOT, _sigs(id, 0xF));
        _assertState(id, SLOT, OperationState.Queued, "state");
    }

    /// A withdrawal must carry the current epoch.
    function test_RevertWhen_QueueWithdrawalEpochMismatch() external {
        Withdrawal memory w = _eth(1 ether, 0);
        w.epoch = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 2, 1));
        vault.queueWithdrawal(w, SLOT, "");
    }

    /// The recipient must not be the zero address.
    function test_RevertWhen_QueueWithdrawalToZeroAddress() external {
        Withdrawal memory w = _eth(1 ether, 0);
        w.to = address(0);
        vm.expectRevert(IReserveVaultErrors.WithdrawalToZeroAddress.selector);
        vault.queueWithdrawal(w, SLOT, "");
    }

    /// The amount must not be zero.
    function test_RevertWhen_QueueWithdrawalAmountZero() external {
        vm.expectRevert(IReserveVaultErrors.WithdrawalAmountZero.selector);
        vault.queueWithdrawal(_eth(0, 0), SLOT, "");
    }

    /// queueWithdrawal takes exactly the asset's next nonce: neither a later one nor a used one.
    function test_RevertWhen_QueueWithdrawalNonceNotNext() external {
        Withdrawal memory ahead = _eth(1 ether, 1);
        bytes32 id = vault.withdrawalId(ahead);
        bytes memory sigs = _quorumSigs(id);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        vault.queueWithdrawal(ahead, SLOT, sigs);

        _queue(_eth(1 ether, 0), 0);
        Withdrawal memory used = _eth(3 ether, 0);
        bytes32 usedId = vault.withdrawalId(used);
        bytes memory usedSigs = _quorumSigs(usedId);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vault.queueWithdrawal(used, SLOT, usedSigs);
    }

    /// The quorum is checked before the exact nonce: a used nonce without a quorum reports the
    /// missing quorum.
    function test_RevertWhen_QueueWithdrawalUsedNonceWithoutQuorum() external {
        _queue(_eth(1 ether, 0), 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 0));
        vault.queueWithdrawal(_eth(2 ether, 0), SLOT, "");
    }

    /// An asset's nonce never wraps: the last nonce (2^32 - 1) cannot be used.
    function test_RevertWhen_QueueWithdrawalNonceExhausted() external {
        bytes32 assetSlot = keccak256(abi.encode(address(0), uint256(1)));
        uint256 state = uint256(vm.load(address(vault), assetSlot));
        _assertEq(state >> 160, ETH_LIMIT, "the slot holds ETH's state");
        vm.store(address(vault), assetSlot, bytes32(state | type(uint32).max));
        _assertEq(vault.withdrawalNonce(address(0)), type(uint32).max, "last nonce");
        Withdrawal memory w = _eth(1 ether, type(uint32).max);
        bytes32 id = vault.withdrawalId(w);
        bytes memory sigs = _quorumSigs(id);
        vm.expectRevert(IReserveVaultErrors.WithdrawalNonceExhausted.selector);
        vault.queueWithdrawal(w, SLOT, sigs);
    }

    /// A slot holding a queued operation is occupied until its deadline, and free one second later.
    function test_RevertWhen_QueueWithdrawalSlotOccupied() external {
        (, uint256 eta) = _queue(_eth(1 ether, 0), SLOT);
        Withdrawal memory next = _eth(1 ether, 1);
        bytes32 id = vault.withdrawalId(next);
        bytes memory sigs = _quorumSigs(id);
        vm.warp(eta + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.QueueSlotOccupied.selector, SLOT));
        vault.queueWithdrawal(next, SLOT, sigs);
        vm.warp(eta + WINDOW + 1);
        vault.queueWithdrawal(next, SLOT, sigs);
        _assertSlot(SLOT, id, eta + WINDOW + 1 + WITHDRAWAL_DELAY, eta + 2 * WINDOW + 1 + WITHDRAWAL_DELAY, false);
    }

    /// A withdrawal that would exceed its asset's limit waits the long delay and is not counted;
    /// one that exactly reaches it waits the normal delay.
    function test_QueueWithdrawalOverLimitWaitsLongDelay() external {
        (, uint256 eta0) = _queue(_eth(ETH_LIMIT - 1 ether, 0), 0);
        _assertEq(eta0, START + WITHDRAWAL_DELAY, "within limit: normal delay");
        (, uint256 eta1) = _queue(_eth(1 ether + 1, 1), 1);
        _assertEq(eta1, START + LONG_DELAY, "over limit by 1 wei: long delay");
        (, uint256 eta2) = _queue(_eth(1 ether, 2), 2);
        _assertEq(eta2, START + WITHDRAWAL_DELAY, "exactly reaching the limit: normal delay");
        (, uint256 used,) = vault.outflow(address(0));
        _assertEq(used, ETH_LIMIT, "used");
    }

    /// An UNLIMITED asset always gets the normal delay and is never counted.
    function test_QueueUnlimitedTokenIsNotCounted() external {
        Withdrawal memory w = _eth(VAULT_TOKENS, 0);
        w.asset = address(token);
        (, uint256 eta) = _queue(w, SLOT);
        _assertEq(eta, START + WITHDRAWAL_DELAY, "normal delay");
        (uint256 limit, uint256 used,) = vault.outflow(address(token));
        _assertEq(limit, UNLIMITED, "limit");
        _assertEq(used, 0, "not counted");
    }

    // -------------------------------------------------------------------------------------
    // proposeWithdrawal / approveWithdrawal
    // -------------------------------------------------------------------------------------

    /// A signer's proposal is pending with its approval; the approval reaching M queues it.
    function test_ProposeAndApproveQueueAtThreshold() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        vm.expectEmit();
        emit WithdrawalProposed(id, _signer(1), address(0), RECIPIENT, 1 ether, 0);
        vm.expectEmit();
        emit OperationApproved(id, _signer(1), 1);
        vm.prank(_signer(1));
        _assertEq(vault.proposeWithdrawal(w), id, "returned id");
        _assertState(id, SLOT, OperationState.Pending, "pending after proposal");
        (uint256 bitmap, uint256 count, address proposer) = vault.approvals(id);
        _assertEq(bitmap, 0x2, "bitmap");
        _assertEq(count, 1, "count");
        _assertEq(proposer, _signer(1), "proposer");

        vm.prank(_signer(3));
        _assertFalse(vault.approveWithdrawal(w, SLOT), "second approval does not queue");
        _assertState(id, SLOT, OperationState.Pending, "still pending");
        _assertEq(vault.withdrawalNonce(address(0)), 0, "nonce unused while pending");

        vm.expectEmit();
        emit OperationApproved(id, _signer(0), 3);
        vm.expectEmit();
        emit WithdrawalQueued(id, address(0), RECIPIENT, 1 ether, 0, SLOT, START + WITHDRAWAL_DELAY);
        vm.prank(_signer(0));
        _assertTrue(vault.approveWithdrawal(w, SLOT), "third approval queues");
        _assertState(id, SLOT, OperationState.Queued, "queued");
        (bitmap, count,) = vault.approvals(id);
        _assertEq(bitmap, 0xB, "final bitmap");
        _assertEq(count, 3, "final count");
        _assertEq(vault.withdrawalNonce(address(0)), 1, "nonce used");
    }

    /// Only a signer may propose.
    function test_RevertWhen_ProposeWithdrawalCallerNotSigner() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, OUTSIDER));
        vm.prank(OUTSIDER);
        vault.proposeWithdrawal(_eth(1 ether, 0));
    }

    /// A withdrawal can be proposed only once.
    function test_RevertWhen_ProposeWithdrawalTwice() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeWithdrawal(w);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalAlreadyExists.selector, id));
        vm.prank(_signer(1));
        vault.proposeWithdrawal(w);
    }

    /// A proposal's fields are checked: epoch, recipient, amount, and a nonce not yet used.
    function test_RevertWhen_ProposeWithdrawalInvalid() external {
        Withdrawal memory w = _eth(1 ether, 0);
        w.epoch = 0;
        vm.startPrank(_signer(0));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 0, 1));
        vault.proposeWithdrawal(w);
        w = _eth(1 ether, 0);
        w.to = address(0);
        vm.expectRevert(IReserveVaultErrors.WithdrawalToZeroAddress.selector);
        vault.proposeWithdrawal(w);
        vm.expectRevert(IReserveVaultErrors.WithdrawalAmountZero.selector);
        vault.proposeWithdrawal(_eth(0, 0));
        vm.stopPrank();
        _queue(_eth(1 ether, 0), 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vm.prank(_signer(0));
        vault.proposeWithdrawal(_eth(2 ether, 0));
    }

    /// A proposal may carry a later nonce; it queues only once that nonce is the next one.
    function test_RevertWhen_ApprovalQueuesWithdrawalWithNonceAhead() external {
        Withdrawal memory w = _eth(1 ether, 1);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeWithdrawal(w);
        _assertState(id, SLOT, OperationState.Pending, "a later nonce is pending");
        vm.prank(_signer(1));
        vault.approveWithdrawal(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        vm.prank(_signer(2));
        vault.approveWithdrawal(w, SLOT);

        _queue(_eth(1 ether, 0), 0);
        vm.prank(_signer(2));
        _assertTrue(vault.approveWithdrawal(w, SLOT), "queues once its nonce is next");
        _assertEq(vault.withdrawalNonce(address(0)), 2, "nonce");
    }

    /// Approving needs a pending proposal.
    function test_RevertWhen_ApproveWithdrawalNotProposed() external {
        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 id = vault.withdrawalId(w);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(0));
        vault.approveWithdrawal(w, SLOT);
    }

    /// A signer approves once (its proposal is its approval).
    function test_RevertWhen_ApproveWithdrawalTwice() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(2));
        bytes32 id = vault.proposeWithdrawal(w);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AlreadyApproved.selector, id, _signer(2)));
        vm.prank(_signer(2));
        vault.approveWithdrawal(w, SLOT);
    }

    /// Only a signer may approve.
    function test_RevertWhen_ApproveWithdrawalCallerNotSigner() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(0));
        vault.proposeWithdrawal(w);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, OUTSIDER));
        vm.prank(OUTSIDER);
        vault.approveWithdrawal(w, SLOT);
    }

    /// The approval reaching M needs a free slot; otherwise nothing changes.
    function test_RevertWhen_ApprovalQueuesIntoOccupiedSlot() external {
        _queue(_eth(1 ether, 0), SLOT);
        Withdrawal memory w = _eth(1 ether, 1);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeWithdrawal(w);
        vm.prank(_signer(1));
        vault.approveWithdrawal(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.QueueSlotOccupied.selector, SLOT));
        vm.prank(_signer(2));
        vault.approveWithdrawal(w, SLOT);
        _assertState(id, SLOT + 1, OperationState.Pending, "still pending");
    }

    /// On-chain approvals of a pending proposal add to signatures, each signer counted once; the
    /// proposal is then closed (it can no longer be revoked).
    function test_QueueWithdrawalMixesSignaturesAndApprovals() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeWithdrawal(w);
        vm.prank(_signer(1));
        vault.approveWithdrawal(w, SLOT);
        bytes memory proposerSig = _sigs(id, 0x1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 2));
        vault.queueWithdrawal(w, SLOT, proposerSig);
        vault.queueWithdrawal(w, SLOT, _sigs(id, 0x8));
        _assertState(id, SLOT, OperationState.Queued, "queued");
        _assertState(id, SLOT + 1, OperationState.Unknown, "the proposal is closed");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, id));
        vm.prank(_signer(0));
        vault.revokeProposal(id);
    }

    /// A quorum of signatures alone queues a proposed withdrawal; the proposal's nonce is then used,
    /// so it no longer reads as pending.
    function test_QueueWithdrawalBySignaturesOverPendingProposal() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(0));
        bytes32 id = vault.proposeWithdrawal(w);
        vault.queueWithdrawal(w, SLOT, _sigs(id, 0xE));
        _assertState(id, SLOT, OperationState.Queued, "queued");
        _assertState(id, SLOT + 1, OperationState.Unknown, "stale proposal");
    }

    // -------------------------------------------------------------------------------------
    // executeWithdrawal
    // -------------------------------------------------------------------------------------

    /// Anyone executes a queued ETH withdrawal at its eta: the recipient gets the amount, the slot
    /// is final and free.
    function test_ExecuteEthWithdrawalAtEta() external {
        Withdrawal memory w = _eth(3 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        _assertState(id, SLOT, OperationState.Ready, "ready at eta");
        vm.expectEmit();
        emit WithdrawalExecuted(id);
        vm.prank(OUTSIDER);
        vault.executeWithdrawal(w, SLOT);
        _assertEq(RECIPIENT.balance, 3 ether, "recipient balance");
        _assertEq(address(vault).balance, VAULT_ETH - 3 ether, "vault balance");
        _assertState(id, SLOT, OperationState.Executed, "executed");
        _assertSlot(SLOT, id, 0, 0, true);
    }

    /// One second before its eta a withdrawal is not ready.
    function test_RevertWhen_ExecuteBeforeEta() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta - 1);
        _assertState(id, SLOT, OperationState.Queued, "queued");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, id, eta, eta - 1));
        vault.executeWithdrawal(w, SLOT);
    }

    /// The last second of the window still executes; one second later it has expired.
    function test_RevertWhen_ExecuteAfterDeadline() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        uint256 deadline = eta + WINDOW;
        uint256 snapshot = vm.snapshotState();
        vm.warp(deadline);
        _assertState(id, SLOT, OperationState.Ready, "ready at deadline");
        vault.executeWithdrawal(w, SLOT);
        _assertEq(RECIPIENT.balance, 1 ether, "executed at deadline");
        vm.revertToState(snapshot);
        vm.warp(deadline + 1);
        _assertState(id, SLOT, OperationState.Expired, "expired");
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, id, deadline, deadline + 1)
        );
        vault.executeWithdrawal(w, SLOT);
    }

    /// A withdrawal executes once, only from its own slot.
    function test_RevertWhen_ExecuteNotQueued() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, id, SLOT + 1));
        vault.executeWithdrawal(w, SLOT + 1);
        vault.executeWithdrawal(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotQueued.selector, id, SLOT));
        vault.executeWithdrawal(w, SLOT);
        _assertEq(RECIPIENT.balance, 1 ether, "paid once");
    }

    /// Execution requires the current epoch.
    function test_RevertWhen_ExecuteEpochMismatch() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        w.epoch = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 2, 1));
        vault.executeWithdrawal(w, SLOT);
    }

    /// During a freeze nothing executes; at the freeze's end it does.
    function test_RevertWhen_ExecuteWhileFrozen() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        uint256 until = eta + 30 minutes;
        vm.expectEmit();
        emit FrozenUntilChanged(0, until);
        vm.prank(address(module));
        vault.guardianSetFrozenUntil(until);
        _assertEq(vault.frozenUntil(), until, "frozenUntil");
        vm.warp(until - 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.WithdrawalsFrozen.selector, until));
        vault.executeWithdrawal(w, SLOT);
        vm.warp(until);
        vault.executeWithdrawal(w, SLOT);
        _assertEq(RECIPIENT.balance, 1 ether, "executed when the freeze ends");
    }

    /// A recipient that rejects ETH makes execution revert; the withdrawal stays ready.
    function test_RevertWhen_ExecuteEthTransferFails() external {
        RevertingReceiver receiver = new RevertingReceiver();
        Withdrawal memory w = _eth(2 ether, 0);
        w.to = address(receiver);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.EthTransferFailed.selector, address(receiver), 2 ether)
        );
        vault.executeWithdrawal(w, SLOT);
        _assertState(id, SLOT, OperationState.Ready, "still ready");
        _assertEq(address(vault).balance, VAULT_ETH, "vault balance");
    }

    /// A vault short of ETH cannot pay: EthTransferFailed.
    function test_RevertWhen_ExecuteEthBalanceTooLow() external {
        Withdrawal memory w = _eth(1 ether, 0);
        (, uint256 eta) = _queue(w, SLOT);
        vm.deal(address(vault), 1 ether - 1);
        vm.warp(eta);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EthTransferFailed.selector, RECIPIENT, 1 ether));
        vault.executeWithdrawal(w, SLOT);
    }

    /// A token withdrawal transfers exactly the amount.
    function test_ExecuteTokenWithdrawal() external {
        Withdrawal memory w = _eth(500e18, 0);
        w.asset = address(token);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        _assertEq(token.balanceOf(RECIPIENT), 500e18, "recipient tokens");
        _assertEq(token.balanceOf(address(vault)), VAULT_TOKENS - 500e18, "vault tokens");
        _assertState(id, SLOT, OperationState.Executed, "executed");
    }

    /// A token whose transfer returns false makes execution revert (SafeERC20).
    function test_RevertWhen_ExecuteTokenReturnsFalse() external {
        FalseReturnToken bad = new FalseReturnToken();
        bad.mint(address(vault), 100);
        Withdrawal memory w = _eth(100, 0);
        w.asset = address(bad);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        _assertEq(eta, START + LONG_DELAY, "an asset without a limit waits the long delay");
        vm.warp(eta);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(bad)));
        vault.executeWithdrawal(w, SLOT);
        _assertState(id, SLOT, OperationState.Ready, "still ready");
    }

    /// A token whose transfer reverts makes execution revert with its error.
    function test_RevertWhen_ExecuteTokenReverts() external {
        RevertingToken bad = new RevertingToken();
        bad.mint(address(vault), 100);
        Withdrawal memory w = _eth(100, 0);
        w.asset = address(bad);
        (, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vm.expectRevert(RevertingToken.TransfersBlocked.selector);
        vault.executeWithdrawal(w, SLOT);
    }

    /// A token that returns nothing from transfer is paid normally.
    function test_ExecuteNoReturnTokenWithdrawal() external {
        NoReturnToken quiet = new NoReturnToken();
        quiet.mint(address(vault), 100);
        Withdrawal memory w = _eth(60, 0);
        w.asset = address(quiet);
        (, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        _assertEq(quiet.balanceOf(RECIPIENT), 60, "recipient");
        _assertEq(quiet.balanceOf(address(vault)), 40, "vault");
    }

    /// A fee-on-transfer token delivers the amount less its fee; the vault pays the full amount.
    function test_ExecuteFeeOnTransferTokenDeliversLess() external {
        FeeOnTransferToken fee = new FeeOnTransferToken();
        fee.mint(address(vault), 10_000);
        Withdrawal memory w = _eth(10_000, 0);
        w.asset = address(fee);
        (, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vault.executeWithdrawal(w, SLOT);
        _assertEq(fee.balanceOf(RECIPIENT), 10_000 - fee.feeOf(10_000), "recipient");
        _assertEq(fee.balanceOf(address(vault)), 0, "vault");
    }

    /// A recipient cannot re-enter executeWithdrawal from its receive hook.
    function test_ExecuteIsNotReentrant() external {
        ReentrantReceiver receiver = new ReentrantReceiver(vault);
        Withdrawal memory w = _eth(1 ether, 0);
        w.to = address(receiver);
        (bytes32 id0, uint256 eta) = _queue(w, 0);
        Withdrawal memory second = _eth(1 ether, 1);
        second.to = address(receiver);
        (bytes32 id1,) = _queue(second, 1);
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(vault.executeWithdrawal, (second, 1));
        receiver.setCalls(calls);
        vm.warp(eta);
        vault.executeWithdrawal(w, 0);
        ReentrantReceiver.Attempt[] memory attempts = receiver.attempts();
        _assertEq(attempts.length, 1, "re-entry attempted");
        ReentrantReceiver.Attempt memory attempt = attempts[0];
        _assertTrue(attempt.reverted, "re-entry reverted");
        _assertEq(
            keccak256(attempt.returnData),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "reentrancy error"
        );
        _assertState(id0, 0, OperationState.Executed, "outer executed");
        _assertState(id1, 1, OperationState.Ready, "inner not executed");
        _assertEq(address(receiver).balance, 1 ether, "paid once");
    }

    /// THREAT_MODEL's reentrancy rows, entry point by entry point: a recipient re-entering the vault
    /// from its receive hook cannot execute anything (both executes are `nonReentrant`, even for a
    /// ready configuration change), and every other entry point is deliberately unguarded: it gives
    /// the re-entrant caller exactly the answer it gives any outsider, not a reentrancy error.
    function test_ReentryIsRefusedOnlyByTheExecutes() external {
        ReentrantReceiver receiver = new ReentrantReceiver(vault);
        ConfigChange memory c = _change(ConfigAction.SetWithdrawalDelay, address(0), WITHDRAWAL_DELAY + 1 hours, 0);
        bytes32 changeId = _queueChange(c, 1);
        vm.warp(START + CONFIG_DELAY - WITHDRAWAL_DELAY);
        Withdrawal memory w = _eth(1 ether, 0);
        w.to = address(receiver);
        (bytes32 id, uint256 eta) = _queue(w, 0);
        vm.warp(eta);
        _assertState(changeId, 1, OperationState.Ready, "the change is ready too");
        Reentry[] memory cases = _reentryCases(address(receiver), w, c, changeId);
        bytes[] memory calls = new bytes[](cases.length);
        for (uint256 i = 0; i < cases.length; ++i) {
            calls[i] = cases[i].call;
        }
        receiver.setCalls(calls);

        vault.executeWithdrawal(w, 0);

        ReentrantReceiver.Attempt[] memory attempts = receiver.attempts();
        _assertEq(attempts.length, cases.length, "every call made");
        for (uint256 i = 0; i < cases.length; ++i) {
            string memory call = string.concat("call ", vm.toString(i));
            string memory outcome = cases[i].succeeds ? " succeeds" : " reverts";
            _assertTrue(attempts[i].reverted != cases[i].succeeds, string.concat(call, outcome));
            _assertEq(keccak256(attempts[i].returnData), keccak256(cases[i].answer), string.concat(call, "'s answer"));
        }
        _assertState(id, 0, OperationState.Executed, "outer executed");
        _assertState(changeId, 1, OperationState.Ready, "the change was not executed");
        _assertState(vault.withdrawalId(_nextWithdrawal()), 2, OperationState.Queued, "re-entrant queueWithdrawal");
        _assertEq(vault.withdrawalNonce(address(0)), 2, "its nonce used");
        _assertState(vault.configChangeId(_nextChange()), 3, OperationState.Queued, "re-entrant queueConfigChange");
        _assertEq(address(receiver).balance, 1 ether, "paid once");
    }

    /// @dev A valid withdrawal and configuration change with the nonces after those of the test.
    function _nextWithdrawal() private pure returns (Withdrawal memory) {
        return _eth(1 ether, 1);
    }

    function _nextChange() private pure returns (ConfigChange memory) {
        return _change(ConfigAction.SetWithdrawalDelay, address(0), WITHDRAWAL_DELAY + 2 hours, 1);
    }

    /// @dev Every state-changing entry point of the vault, each with the answer `r` must get when
    ///      it re-enters it while `w` (queued in slot 0) pays it: `c` is ready in slot 1, slots 2
    ///      and 3 are empty.
    function _reentryCases(address r, Withdrawal memory w, ConfigChange memory c, bytes32 changeId)
        private
        view
        returns (Reentry[] memory cases)
    {
        Withdrawal memory next = _nextWithdrawal();
        bytes32 nextId = vault.withdrawalId(next);
        ConfigChange memory nextChange = _nextChange();
        bytes32 nextChangeId = vault.configChangeId(nextChange);
        bytes memory reentrancy =
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        bytes memory notSigner = abi.encodeWithSelector(IReserveVaultErrors.CallerNotSigner.selector, r);
        bytes memory noQuorum = abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, THRESHOLD, 0);
        bytes memory notModule = abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, r);
        cases = new Reentry[](18);
        cases[0] = Reentry(abi.encodeCall(vault.executeWithdrawal, (w, 0)), false, reentrancy);
        cases[1] = Reentry(abi.encodeCall(vault.executeConfigChange, (c, 1)), false, reentrancy);
        cases[2] = Reentry(abi.encodeCall(vault.proposeWithdrawal, (next)), false, notSigner);
        cases[3] = Reentry(abi.encodeCall(vault.approveWithdrawal, (next, 2)), false, notSigner);
        cases[4] = Reentry(abi.encodeCall(vault.queueWithdrawal, (next, 2, "")), false, noQuorum);
        cases[5] = Reentry(
            abi.encodeCall(vault.reclaimOutflow, (next, 2)),
            false,
            abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, nextId, 2)
        );
        cases[6] = Reentry(abi.encodeCall(vault.proposeConfigChange, (nextChange)), false, notSigner);
        cases[7] = Reentry(abi.encodeCall(vault.approveConfigChange, (nextChange, 2)), false, notSigner);
        cases[8] = Reentry(abi.encodeCall(vault.queueConfigChange, (nextChange, 2, "")), false, noQuorum);
        cases[9] = Reentry(
            abi.encodeCall(vault.revokeProposal, (nextId)),
            false,
            abi.encodeWithSelector(IReserveVaultErrors.ProposalNotPending.selector, nextId)
        );
        cases[10] = Reentry(abi.encodeCall(vault.cancel, (changeId, 1, "")), false, noQuorum);
        cases[11] = Reentry(abi.encodeCall(vault.approveCancellation, (changeId, 1)), false, notSigner);
        cases[12] = Reentry(abi.encodeCall(vault.guardianVeto, (changeId, 1)), false, notModule);
        cases[13] = Reentry(abi.encodeCall(vault.guardianTighten, (c, changeId)), false, notModule);
        cases[14] = Reentry(abi.encodeCall(vault.guardianSetFrozenUntil, (block.timestamp + MAX_FREEZE)), false, notModule);
        cases[15] =
            Reentry(abi.encodeCall(vault.guardianReplaceSigners, (_signerAccounts(), THRESHOLD, 0)), false, notModule);
        // With the quorum's signatures, queueing is open to anyone, re-entrant or not.
        cases[16] =
            Reentry(abi.encodeCall(vault.queueWithdrawal, (next, 2, _quorumSigs(nextId))), true, abi.encode(nextId));
        cases[17] = Reentry(
            abi.encodeCall(vault.queueConfigChange, (nextChange, 3, _quorumSigs(nextChangeId))),
            true,
            abi.encode(nextChangeId)
        );
    }

    // -------------------------------------------------------------------------------------
    // reclaimOutflow (as ReserveVault passes it: oldEpoch = w.epoch != current epoch)
    // -------------------------------------------------------------------------------------

    /// A queued, current-epoch counted withdrawal can still execute: nothing to release.
    function test_RevertWhen_ReclaimQueuedCurrentEpochWithdrawal() external {
        Withdrawal memory w = _eth(4 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, id, SLOT));
        vault.reclaimOutflow(w, SLOT);
    }

    /// A cancelled counted withdrawal gives its share back to the current period.
    function test_ReclaimCancelledWithdrawal() external {
        Withdrawal memory w = _eth(4 ether, 0);
        (bytes32 id,) = _queue(w, SLOT);
        vault.cancel(id, SLOT, _quorumSigs(vault.cancellationId(id)));
        vm.expectEmit();
        emit OutflowReleased(id, address(0), 4 ether);
        vault.reclaimOutflow(w, SLOT);
        (, uint256 used,) = vault.outflow(address(0));
        _assertEq(used, 0, "share returned");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, id, SLOT));
        vault.reclaimOutflow(w, SLOT);
    }

    /// An expired counted withdrawal gives its share back while its period is still current.
    function test_ReclaimExpiredWithdrawal() external {
        Withdrawal memory w = _eth(4 ether, 0);
        (bytes32 id, uint256 eta) = _queue(w, SLOT);
        vm.warp(eta + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, id, SLOT));
        vault.reclaimOutflow(w, SLOT);
        vm.warp(eta + WINDOW + 1);
        vm.expectEmit();
        emit OutflowReleased(id, address(0), 4 ether);
        vault.reclaimOutflow(w, SLOT);
    }

    /// A share reclaimed once new withdrawals fall in a later period returns 0 (the old period no
    /// longer matters), and the record stops being counted.
    function test_ReclaimAfterPeriodEndedReleasesZero() external {
        Withdrawal memory w = _eth(4 ether, 0);
        (bytes32 id,) = _queue(w, SLOT);
        vault.cancel(id, SLOT, _quorumSigs(vault.cancellationId(id)));
        (,, uint256 resetsAt) = vault.outflow(address(0));
        vm.warp(resetsAt);
        vm.expectEmit();
        emit OutflowReleased(id, address(0), 0);
        vault.reclaimOutflow(w, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NothingToRelease.selector, id, SLOT));
        vault.reclaimOutflow(w, SLOT);
    }

    /// A proposal whose nonce another withdrawal used cannot be approved.
    function test_RevertWhen_ApproveStaleWithdrawalProposal() external {
        Withdrawal memory w = _eth(1 ether, 0);
        vm.prank(_signer(0));
        vault.proposeWithdrawal(w);
        _queue(_eth(2 ether, 0), 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 0, 1));
        vm.prank(_signer(1));
        vault.approveWithdrawal(w, SLOT);
    }
}
