// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ConfigAction,
    ConfigChange,
    CouncilChange,
    Heartbeat,
    IReserveVaultErrors,
    Recovery
} from "../../contracts/interfaces/IReserveVault.sol";
import {OperationHashing} from "../../contracts/libraries/OperationHashing.sol";
import {GuardianTestBase} from "./GuardianTestBase.sol";

/// @title Unit tests of the guardian module's council changes, of the guardian configuration the
///        vault applies through it, and of heartbeats.
/// @notice The council (signers and guardians together, C = 4 of 6) replaces either group after
///         councilDelay; the vault's timelocked guardian changes reach the module through its
///         vault-only hook; every key can prove it is alive. Each revert path is checked with its
///         exact error and arguments, each effect through the module's and the vault's views.
contract GuardianCouncilTest is GuardianTestBase {
    // =====================================================================================
    // queueCouncilChange
    // =====================================================================================

    /// @notice C signatures from the union of signers and guardians queue a change at now + councilDelay.
    function test_CouncilQueuesChange() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = module.councilChangeId(c);
        bytes memory signatures = _sign(_range(0, 4), id);
        uint256 eta = now_ + COUNCIL_DELAY;
        vm.expectEmit();
        emit CouncilChangeQueued(id, c, 4, eta);
        vm.prank(OUTSIDER);
        bytes32 queued = module.queueCouncilChange(c, signatures);
        _assertEq(queued, id, "returned id");
        _assertPendingCouncil(id, eta, true);
        (,,,,, uint32 councilNonce) = module.guardianStatus();
        _assertEq(councilNonce, 1, "council nonce");
    }

    /// @notice A council member submitting counts as one approval: three signatures plus the caller reach C.
    function test_CouncilMemberSubmittingCountsOnce() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = module.councilChangeId(c);
        bytes memory signatures = _sign(_range(1, 4), id);
        vm.prank(_key(5).account);
        module.queueCouncilChange(c, signatures);
        _assertPendingCouncil(id, now_ + COUNCIL_DELAY, true);
    }

    /// @notice C - 1 council signatures cannot queue a change.
    function test_RevertWhen_CouncilBelowThreshold() external {
        CouncilChange memory c = _signersChange();
        bytes memory signatures = _sign(_range(0, 3), module.councilChangeId(c));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdNotMet.selector, 4, 3));
        module.queueCouncilChange(c, signatures);
    }

    /// @notice A council change must carry the next council nonce.
    function test_RevertWhen_CouncilNonceNotNext() external {
        CouncilChange memory c = _signersChange();
        c.nonce = 1;
        bytes memory signatures = _sign(_range(0, 4), module.councilChangeId(c));
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NonceMismatch.selector, 1, 0));
        module.queueCouncilChange(c, signatures);
    }

    /// @notice A council change must replace at least one group.
    function test_RevertWhen_CouncilChangeEmpty() external {
        CouncilChange memory c = _councilChange();
        vm.expectRevert(IReserveVaultErrors.CouncilChangeEmpty.selector);
        module.queueCouncilChange(c, "");
    }

    /// @notice A kept group's threshold field must be zero (signers kept, signer threshold set).
    function test_RevertWhen_CouncilSignerThresholdWithoutSigners() external {
        CouncilChange memory c = _guardiansChange();
        c.threshold = 2;
        vm.expectRevert(IReserveVaultErrors.UnusedCouncilField.selector);
        module.queueCouncilChange(c, "");
    }

    /// @notice A kept group's threshold field must be zero (guardians kept, guardian threshold set).
    function test_RevertWhen_CouncilGuardianThresholdWithoutGuardians() external {
        CouncilChange memory c = _signersChange();
        c.guardianThreshold = 2;
        vm.expectRevert(IReserveVaultErrors.UnusedCouncilField.selector);
        module.queueCouncilChange(c, "");
    }

    /// @notice New guardians cannot include a signer the change keeps.
    function test_RevertWhen_CouncilGuardiansIncludeKeptSigner() external {
        CouncilChange memory c = _councilChange();
        c.guardians = _accounts(_keys(0, 6, 7));
        c.guardianThreshold = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianIsSigner.selector, _key(0).account));
        module.queueCouncilChange(c, "");
    }

    /// @notice New signers cannot include a guardian the change keeps.
    function test_RevertWhen_CouncilSignersIncludeKeptGuardian() external {
        CouncilChange memory c = _councilChange();
        c.signers = _accounts(_keys(1, 6, 7));
        c.threshold = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianAlreadyMember.selector, _key(1).account));
        module.queueCouncilChange(c, "");
    }

    /// @notice The council threshold a change names must be valid for the groups after it.
    function test_RevertWhen_CouncilThresholdInvalidAfterChange() external {
        CouncilChange memory c = _signersChange();
        c.councilThreshold = 5;
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 5, 4, 4)
        );
        module.queueCouncilChange(c, "");
    }

    /// @notice A later council change (next nonce) supersedes the pending one, which can no longer execute.
    function test_LaterCouncilChangeSupersedesPending() external {
        CouncilChange memory first = _signersChange();
        bytes32 firstId = _queueCouncilChange(first);
        CouncilChange memory second = _guardiansChange();
        _assertEq(second.nonce, 1, "next nonce");
        bytes32 secondId = module.councilChangeId(second);
        bytes memory signatures = _sign(_range(0, 4), secondId);
        vm.expectEmit();
        emit CouncilChangeSuperseded(firstId);
        module.queueCouncilChange(second, signatures);
        _assertPendingCouncil(secondId, now_ + COUNCIL_DELAY, true);
        _skip(COUNCIL_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilChangeNotQueued.selector, firstId));
        module.executeCouncilChange(first);
    }

    // =====================================================================================
    // executeCouncilChange
    // =====================================================================================

    /// @notice Anyone executes a signer replacement at its eta: new signers, epoch advanced, no cool-off.
    function test_AnyoneExecutesCouncilSignerChange() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = _queueCouncilChange(c);
        _skip(COUNCIL_DELAY);
        vm.expectEmit();
        emit CouncilChangeExecuted(id);
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vm.prank(OUTSIDER);
        module.executeCouncilChange(c);
        _assertSameSet(vault.signers(), c.signers, "signers");
        (uint32 epoch,,,,,,) = vault.configuration();
        _assertEq(epoch, 2, "epoch");
        (, uint256 coolOffUntil) = vault.timings();
        _assertEq(coolOffUntil, 0, "no cool-off");
        _assertPendingCouncil(id, 0, false);
        (uint32 guardianEpoch,,,) = module.guardianCounts();
        _assertEq(guardianEpoch, 1, "guardians kept");
    }

    /// @notice A guardian replacement installs the new guardians and K and advances the guardian epoch.
    function test_CouncilReplacesGuardians() external {
        CouncilChange memory c = _guardiansChange();
        _queueCouncilChange(c);
        _skip(COUNCIL_DELAY);
        vm.expectEmit();
        emit GuardianEpochAdvanced(1, 2);
        module.executeCouncilChange(c);
        _assertSameSet(module.guardians(), c.guardians, "guardians");
        (uint32 guardianEpoch, uint256 g, uint256 k, uint256 council) = module.guardianCounts();
        _assertEq(guardianEpoch, 2, "guardian epoch");
        _assertEq(g, 3, "G");
        _assertEq(k, 2, "K");
        _assertEq(council, COUNCIL, "C");
        (uint32 epoch,,,,,,) = vault.configuration();
        _assertEq(epoch, 1, "signers kept");
    }

    /// @notice A change naming another council threshold sets it (G = 4 allows C = 5).
    function test_CouncilChangeSetsCouncilThreshold() external {
        CouncilChange memory c = _councilChange();
        c.guardians = _accounts(_range(6, 10));
        c.guardianThreshold = 2;
        c.councilThreshold = 5;
        _queueCouncilChange(c);
        _skip(COUNCIL_DELAY);
        vm.expectEmit();
        emit CouncilThresholdChanged(COUNCIL, 5);
        module.executeCouncilChange(c);
        (, uint256 g,, uint256 council) = module.guardianCounts();
        _assertEq(g, 4, "G");
        _assertEq(council, 5, "C");
    }

    /// @notice Executing a council change lifts a running freeze and cancels a pending recovery.
    function test_CouncilChangeLiftsFreezeAndCancelsRecovery() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = _queueCouncilChange(c);
        _skip(COUNCIL_DELAY - 1 days);
        _freeze();
        bytes32 recovery = _queueRecovery(_recovery(_keys(7, 8, 9), 2));
        uint256 until = _frozenUntil();
        _skip(1 days);
        _assertTrue(now_ < until, "frozen at execution");
        vm.expectEmit();
        emit RecoveryCancelled(recovery);
        vm.expectEmit();
        emit CouncilChangeExecuted(id);
        vm.expectEmit();
        emit Unfrozen(now_);
        vm.expectEmit();
        emit FrozenUntilChanged(until, now_);
        module.executeCouncilChange(c);
        _assertEq(_frozenUntil(), now_, "unfrozen");
        (bytes32 pendingRecovery,,, bool recoveryQueued) = _recoveryPending();
        _assertEq(pendingRecovery, recovery, "last recovery");
        _assertTrue(!recoveryQueued, "recovery cancelled");
    }

    /// @notice Nobody executes a council change one second before its eta.
    function test_RevertWhen_CouncilExecutedBeforeEta() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = _queueCouncilChange(c);
        uint256 eta = now_ + COUNCIL_DELAY;
        _warp(eta - 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.OperationNotReady.selector, id, eta, eta - 1));
        module.executeCouncilChange(c);
    }

    /// @notice Nobody executes a council change one second after its window; at its last second it executes.
    function test_RevertWhen_CouncilExecutedAfterWindow() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = _queueCouncilChange(c);
        uint256 deadline = now_ + COUNCIL_DELAY + EXECUTION_WINDOW;
        _warp(deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.OperationExpired.selector, id, deadline, deadline + 1)
        );
        module.executeCouncilChange(c);
        _warp(deadline);
        module.executeCouncilChange(c);
        _assertSameSet(vault.signers(), c.signers, "signers");
    }

    /// @notice Nobody executes a council change that was never queued.
    function test_RevertWhen_CouncilChangeNeverQueued() external {
        CouncilChange memory c = _signersChange();
        bytes32 id = module.councilChangeId(c);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilChangeNotQueued.selector, id));
        module.executeCouncilChange(c);
    }

    /// @notice Nobody executes a council change twice.
    function test_RevertWhen_CouncilChangeExecutedTwice() external {
        CouncilChange memory c = _guardiansChange();
        bytes32 id = _queueCouncilChange(c);
        _skip(COUNCIL_DELAY);
        module.executeCouncilChange(c);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilChangeNotQueued.selector, id));
        module.executeCouncilChange(c);
    }

    /// @notice A council change is re-validated at execution: new guardians a recovery made signers are refused.
    function test_RevertWhen_CouncilChangeInvalidAtExecution() external {
        CouncilChange memory c = _guardiansChange();
        _queueCouncilChange(c);
        Recovery memory r = _recovery(_keys(6, 9), 2);
        _queueRecovery(r);
        _skip(RECOVERY_DELAY);
        module.executeRecovery(r);
        _skip(COUNCIL_DELAY - RECOVERY_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianIsSigner.selector, _key(6).account));
        module.executeCouncilChange(c);
    }

    // =====================================================================================
    // Guardian configuration through the vault's timelock (vault-only hooks)
    // =====================================================================================

    /// @notice An executed addGuardian adds the guardian with the new K and advances the guardian epoch.
    function test_VaultAddsGuardian() external {
        address added = _key(6).account;
        ConfigChange memory c = _configChange(ConfigAction.AddGuardian, added, address(0), 3);
        _queueConfigReady(c);
        vm.expectEmit();
        emit GuardianAdded(added);
        vm.expectEmit();
        emit GuardianThresholdChanged(GUARDIAN_K, 3);
        vm.expectEmit();
        emit GuardianEpochAdvanced(1, 2);
        vault.executeConfigChange(c, 0);
        (, uint256 g, uint256 k, uint256 council) = module.guardianCounts();
        _assertEq(g, 4, "G");
        _assertEq(k, 3, "K");
        _assertEq(council, COUNCIL, "C unchanged");
        _assertEq(module.guardians()[3], added, "new guardian");
    }

    /// @notice An executed removeGuardian removes it, and the council threshold follows (G = 2: C = 3).
    function test_VaultRemovesGuardianAndLowersCouncil() external {
        address removed = _key(5).account;
        ConfigChange memory c = _configChange(ConfigAction.RemoveGuardian, removed, address(0), 2);
        _queueConfigReady(c);
        vm.expectEmit();
        emit GuardianRemoved(removed);
        vm.expectEmit();
        emit CouncilThresholdChanged(COUNCIL, 3);
        vault.executeConfigChange(c, 0);
        _assertSameSet(module.guardians(), _accounts(_keys(1, 3)), "guardians");
        (,, uint256 k, uint256 council) = module.guardianCounts();
        _assertEq(k, 2, "K");
        _assertEq(council, 3, "C");
    }

    /// @notice An executed replaceGuardian swaps one guardian and keeps K.
    function test_VaultReplacesGuardian() external {
        _executeConfig(_configChange(ConfigAction.ReplaceGuardian, _key(1).account, _key(6).account, 0));
        _assertSameSet(module.guardians(), _accounts(_keys(3, 5, 6)), "guardians");
        (uint32 epoch,, uint256 k,) = module.guardianCounts();
        _assertEq(epoch, 2, "guardian epoch");
        _assertEq(k, GUARDIAN_K, "K kept");
    }

    /// @notice An executed setGuardianThreshold changes K (same guardians, next guardian epoch).
    function test_VaultSetsGuardianThreshold() external {
        ConfigChange memory c = _configChange(ConfigAction.SetGuardianThreshold, address(0), address(0), 1);
        _queueConfigReady(c);
        vm.expectEmit();
        emit GuardianThresholdChanged(GUARDIAN_K, 1);
        vault.executeConfigChange(c, 0);
        (uint32 epoch,, uint256 k,) = module.guardianCounts();
        _assertEq(epoch, 2, "guardian epoch");
        _assertEq(k, 1, "K");
        _assertSameSet(module.guardians(), _accounts(_keys(1, 3, 5)), "guardians kept");
    }

    /// @notice An executed setCouncilThreshold sets C (once a fourth guardian makes C = 5 valid).
    function test_VaultSetsCouncilThreshold() external {
        _executeConfig(_configChange(ConfigAction.AddGuardian, _key(6).account, address(0), 2));
        ConfigChange memory c = _configChange(ConfigAction.SetCouncilThreshold, address(0), address(0), 5);
        _queueConfigReady(c);
        vm.expectEmit();
        emit CouncilThresholdChanged(COUNCIL, 5);
        vault.executeConfigChange(c, 0);
        (uint32 epoch,,, uint256 council) = module.guardianCounts();
        _assertEq(council, 5, "C");
        _assertEq(epoch, 2, "guardian epoch not advanced by C");
    }

    /// @notice A signer change that needs another council threshold sets it on the module (N = 2: C = 3).
    function test_VaultSignerChangeAdjustsCouncil() external {
        ConfigChange memory c = _configChange(ConfigAction.RemoveSigner, _key(4).account, address(0), 2);
        _queueConfigReady(c);
        vm.expectEmit();
        emit CouncilThresholdChanged(COUNCIL, 3);
        vault.executeConfigChange(c, 0);
        (,,, uint256 council) = module.guardianCounts();
        _assertEq(council, 3, "C");
    }

    // =====================================================================================
    // Heartbeats
    // =====================================================================================

    /// @notice A signer proves liveness on-chain.
    function test_SignerHeartbeat() external {
        address signer = _key(0).account;
        vm.expectEmit();
        emit KeySeen(signer, now_);
        vm.prank(signer);
        module.heartbeat();
        _assertEq(module.lastSeen(signer), now_, "lastSeen");
    }

    /// @notice A guardian proves liveness on-chain.
    function test_GuardianHeartbeat() external {
        address guardian = _key(5).account;
        vm.prank(guardian);
        module.heartbeat();
        _assertEq(module.lastSeen(guardian), now_, "lastSeen");
    }

    /// @notice An outsider has no liveness to prove.
    function test_RevertWhen_OutsiderHeartbeat() external {
        vm.prank(OUTSIDER);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotKeyHolder.selector, OUTSIDER));
        module.heartbeat();
    }

    /// @notice Anyone records signed heartbeats of several keys at once.
    function test_RecordHeartbeatsOfSeveralKeys() external {
        Heartbeat[] memory beats = new Heartbeat[](2);
        beats[0] = _beat(2, now_ - 100);
        beats[1] = _beat(3, now_);
        vm.expectEmit();
        emit KeySeen(_key(2).account, now_ - 100);
        vm.expectEmit();
        emit KeySeen(_key(3).account, now_);
        vm.prank(OUTSIDER);
        module.recordHeartbeats(beats);
        _assertEq(module.lastSeen(_key(2).account), now_ - 100, "signer seen");
        _assertEq(module.lastSeen(_key(3).account), now_, "guardian seen");
    }

    /// @notice An older heartbeat than the recorded one changes nothing (a replay is harmless).
    function test_OlderHeartbeatChangesNothing() external {
        Heartbeat[] memory beats = new Heartbeat[](1);
        beats[0] = _beat(1, now_);
        module.recordHeartbeats(beats);
        beats[0] = _beat(1, now_ - 1);
        module.recordHeartbeats(beats);
        _assertEq(module.lastSeen(_key(1).account), now_, "newer kept");
    }

    /// @notice A heartbeat cannot be dated in the future.
    function test_RevertWhen_HeartbeatInFuture() external {
        Heartbeat[] memory beats = new Heartbeat[](1);
        beats[0] = _beat(0, now_ + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.HeartbeatInFuture.selector, _key(0).account, now_ + 1)
        );
        module.recordHeartbeats(beats);
    }

    /// @notice A heartbeat must be signed by its own key.
    function test_RevertWhen_HeartbeatSignedByOtherKey() external {
        Heartbeat[] memory beats = new Heartbeat[](2);
        beats[0] = _beat(0, now_);
        beats[1] = _beat(2, now_);
        beats[1].signature = beats[0].signature;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.HeartbeatSignatureInvalid.selector, 1));
        module.recordHeartbeats(beats);
    }

    /// @notice A malformed heartbeat signature is refused.
    function test_RevertWhen_HeartbeatSignatureMalformed() external {
        Heartbeat[] memory beats = new Heartbeat[](1);
        beats[0] = _beat(0, now_);
        beats[0].signature = new bytes(64);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.HeartbeatSignatureInvalid.selector, 0));
        module.recordHeartbeats(beats);
    }

    /// @notice An outsider's self-signed heartbeat is refused.
    function test_RevertWhen_HeartbeatOfOutsider() external {
        Heartbeat[] memory beats = new Heartbeat[](1);
        beats[0] = _beat(6, now_);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotKeyHolder.selector, _key(6).account));
        module.recordHeartbeats(beats);
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    /// @dev Queues `c` in slot 0 and waits until it is ready.
    function _queueConfigReady(ConfigChange memory c) private {
        _queueConfig(c, 0);
        _skip(CONFIG_DELAY);
    }

    /// @dev Replace the signers by keys 6, 7, 8 (M = 2), keep the guardians.
    function _signersChange() private view returns (CouncilChange memory c) {
        c = _councilChange();
        c.signers = _accounts(_keys(6, 7, 8));
        c.threshold = 2;
    }

    /// @dev Replace the guardians by keys 6, 7, 8 (K = 2), keep the signers.
    function _guardiansChange() private view returns (CouncilChange memory c) {
        c = _councilChange();
        c.guardians = _accounts(_keys(6, 7, 8));
        c.guardianThreshold = 2;
    }

    /// @dev Key `i`'s signed heartbeat at `at`.
    function _beat(uint256 i, uint256 at) private view returns (Heartbeat memory) {
        Signer memory key = _key(i);
        bytes32 digest = _moduleDigest(OperationHashing.hashHeartbeat(key.account, uint40(at)));
        return Heartbeat(key.account, uint40(at), _signOne(key, digest));
    }

    function _assertPendingCouncil(bytes32 id, uint256 eta, bool queued) private view {
        (bytes32 pendingId, uint256 pendingEta, uint256 deadline, bool isQueued) = _councilPending();
        _assertEq(pendingId, id, "pending council id");
        _assertEq(pendingEta, eta, "pending council eta");
        _assertEq(deadline, queued ? eta + EXECUTION_WINDOW : 0, "pending council deadline");
        _assertTrue(isQueued == queued, "pending council queued");
    }
}
