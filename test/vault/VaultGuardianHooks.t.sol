// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ConfigAction, ConfigChange, DelayReason, IReserveVaultErrors, OperationState
} from "../../contracts/interfaces/IReserveVault.sol";
import {Vm} from "../fuzz/Vm.sol";
import {VaultUnitBase} from "./VaultUnitBase.sol";

/// @title Unit tests of the hooks ReserveVault exposes to its guardian module (veto, tightening,
///        freeze time, signer replacement with cool-off), called as the module or through it.
/// @notice Each test starts from the 3-of-4 vault of VaultUnitBase at time START.
contract VaultGuardianHooksTest is VaultUnitBase {
    uint256 private constant SLOT = 11;

    function _configNonce() private view returns (uint32 nonce) {
        (,,,,,, nonce) = vault.configuration();
    }

    /// Only the guardian module may call the hooks.
    function test_RevertWhen_HookCallerNotGuardianModule() external {
        vm.startPrank(OUTSIDER);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, OUTSIDER));
        vault.guardianVeto(bytes32(0), 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, OUTSIDER));
        vault.guardianSetFrozenUntil(1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, OUTSIDER));
        vault.guardianReplaceSigners(new address[](0), 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CallerNotGuardianModule.selector, OUTSIDER));
        vault.guardianTighten(_change(ConfigAction.SetOutflowLimit, address(0), 0, 0), bytes32(0));
        vm.stopPrank();
    }

    /// A veto cancels a queued operation up to its deadline, not one second later.
    function test_GuardianVetoUntilDeadline() external {
        (bytes32 id, uint256 eta) = _queue(_eth(1 ether, 0), SLOT);
        uint256 snapshot = vm.snapshotState();
        vm.warp(eta + WINDOW);
        vm.expectEmit();
        emit OperationCancelled(id, SLOT);
        vm.prank(address(module));
        vault.guardianVeto(id, SLOT);
        _assertState(id, SLOT, OperationState.Cancelled, "vetoed");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, SLOT));
        vm.prank(address(module));
        vault.guardianVeto(id, SLOT);
        vm.revertToState(snapshot);
        vm.warp(eta + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, SLOT));
        vm.prank(address(module));
        vault.guardianVeto(id, SLOT);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id, SLOT + 1));
        vm.prank(address(module));
        vault.guardianVeto(id, SLOT + 1);
    }

    /// A veto names the slot that holds the operation: a slot holding another queued operation
    /// cannot be used to veto (and that operation stays queued).
    function test_RevertWhen_GuardianVetoThroughAnotherOperationsSlot() external {
        (bytes32 id0,) = _queue(_eth(1 ether, 0), SLOT);
        (bytes32 id1,) = _queue(_eth(1 ether, 1), SLOT + 1);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotVetoable.selector, id0, SLOT + 1));
        vm.prank(address(module));
        vault.guardianVeto(id0, SLOT + 1);
        _assertState(id0, SLOT, OperationState.Queued, "first still queued");
        _assertState(id1, SLOT + 1, OperationState.Queued, "second still queued");
    }

    /// Guardians veto through their module: a guardian's call counts as its approval.
    function test_GuardianVetoThroughModule() external {
        (bytes32 id,) = _queue(_eth(1 ether, 0), SLOT);
        bytes32 digest = _vetoDigest(id);
        vm.prank(_guardian(0));
        module.veto(id, SLOT, _guardianSigs(digest, 0x2));
        _assertState(id, SLOT, OperationState.Cancelled, "vetoed");
    }

    /// The veto digest as GuardianModule computes it (EIP-712 domain "ReserveVaultGuardians").
    function _vetoDigest(bytes32 id) private view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ReserveVaultGuardians"),
                keccak256("1"),
                block.chainid,
                address(module)
            )
        );
        bytes32 structHash = keccak256(abi.encode(keccak256("Veto(bytes32 operation,uint32 guardianEpoch)"), id, 1));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// Guardians may only tighten: a loosening through their module reverts NotATightening.
    function test_RevertWhen_GuardianTightenLoosens() external {
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), 20 ether, 0);
        bytes memory sigs = _guardianSigs(module.tighteningId(c), 0x2);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotATightening.selector, c.action));
        vm.prank(_guardian(0));
        module.tighten(c, sigs);
        c.epoch = 2;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.EpochMismatch.selector, 2, 1));
        vm.prank(address(module));
        vault.guardianTighten(c, bytes32(0));
    }

    /// Nor may they make a neutral change: one that neither tightens nor loosens (the ETH limit set to
    /// its current value, or a membership action) also reverts NotATightening.
    function test_RevertWhen_GuardianTightenIsNeutral() external {
        ConfigChange memory same = _change(ConfigAction.SetOutflowLimit, address(0), ETH_LIMIT, 0);
        bytes memory sigs = _guardianSigs(module.tighteningId(same), 0x3);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotATightening.selector, same.action));
        module.tighten(same, sigs);
        ConfigChange memory threshold = _change(ConfigAction.SetThreshold, address(0), THRESHOLD - 1, 0);
        sigs = _guardianSigs(module.tighteningId(threshold), 0x3);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.NotATightening.selector, threshold.action));
        module.tighten(threshold, sigs);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, ETH_LIMIT, "ETH limit unchanged");
        (, uint256 m,,,,,) = vault.configuration();
        _assertEq(m, THRESHOLD, "threshold unchanged");
    }

    /// A guardian tightening applies at once and is marked as the guardians'.
    function test_GuardianTightenApplies() external {
        ConfigChange memory c = _change(ConfigAction.SetOutflowLimit, address(0), 1 ether, 0);
        bytes32 id = module.tighteningId(c);
        bytes memory sigs = _guardianSigs(id, 0x3);
        vm.expectEmit();
        emit Tightened(id, ConfigAction.SetOutflowLimit, true);
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), ETH_LIMIT, 1 ether);
        module.tighten(c, sigs);
        (uint256 limit,,) = vault.outflow(address(0));
        _assertEq(limit, 1 ether, "limit");
        _assertEq(_configNonce(), 0, "the signers' nonce is untouched");
    }

    /// A recovery's signer replacement starts a cool-off only if it ends later than the current one;
    /// during it withdrawals wait the long delay.
    function test_GuardianReplaceSignersStartsCoolOff() external {
        address[] memory next = _signerAccounts();
        uint256 until = START + COOL_OFF;
        vm.expectEmit();
        emit EpochAdvanced(1, 2);
        vm.expectEmit();
        emit CoolOffStarted(until);
        vm.prank(address(module));
        vault.guardianReplaceSigners(next, 2, until);
        (, uint256 coolOffUntil) = vault.timings();
        _assertEq(coolOffUntil, until, "cool-off");
        (uint32 epoch, uint256 threshold,,,,,) = vault.configuration();
        _assertEq(epoch, 2, "epoch");
        _assertEq(threshold, 2, "threshold");
        // An end no later than the current one neither shortens nor restarts it.
        vm.recordLogs();
        vm.prank(address(module));
        vault.guardianReplaceSigners(next, 2, until - 1);
        vm.prank(address(module));
        vault.guardianReplaceSigners(next, 2, until);
        _assertEq(_countEvents(CoolOffStarted.selector), 0, "no new cool-off");
        (, coolOffUntil) = vault.timings();
        _assertEq(coolOffUntil, until, "an earlier end does not shorten it");
        vm.warp(until - 1);
        (uint256 delay, DelayReason reason) = vault.delayFor(address(0), RECIPIENT, 1 ether);
        _assertEq(delay, LONG_DELAY, "cool-off delay");
        _assertEq(uint256(reason), uint256(DelayReason.RecoveryCoolOff), "reason");
        vm.warp(until);
        (delay, reason) = vault.delayFor(address(0), RECIPIENT, 1 ether);
        _assertEq(delay, WITHDRAWAL_DELAY, "after the cool-off");
        _assertEq(uint256(reason), uint256(DelayReason.WithinLimit), "reason after");
    }

    /// @dev The number of events with topic0 `selector` recorded since `recordLogs`.
    function _countEvents(bytes32 selector) private returns (uint256 n) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics.length > 0 && logs[i].topics[0] == selector) ++n;
        }
    }
}
